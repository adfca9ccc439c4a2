/**
 * A small allowlist sanitizer for comment HTML, standing in for Zendesk's own (Zendesk sanitizes
 * `html_body`; see "Bodies" in https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/).
 * The sandbox stores what Zendesk would keep and the human view renders it: simple formatting tags only,
 * no attributes except an http(s)/mailto `href` on links, scripts and styles removed with their content,
 * unclosed tags closed. It is not a general-purpose HTML sanitizer; it only has to be safe and faithful
 * enough for a local demo page.
 */
import { escapeHtml } from './escape-html.ts';

const ALLOWED = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'ins', 'kbd', 'li', 'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
]);
const VOID = new Set(['br', 'hr']);
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'textarea', 'title', 'head']);

const TAG_RE = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/;
const ENTITY_RE = /^&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/;

function hrefOf(attrs: string): string | undefined {
  const m = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
  const raw = m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
  const decoded = raw.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
  return /^(https?:\/\/|mailto:)/i.test(decoded) ? decoded : undefined;
}

export function sanitizeCommentHtml(html: string): string {
  let out = '';
  const open: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === '<') {
      const rest = html.slice(i);
      if (rest.startsWith('<!--')) {
        const end = html.indexOf('-->', i + 4);
        i = end < 0 ? html.length : end + 3;
        continue;
      }
      const m = TAG_RE.exec(rest);
      if (!m) {
        out += '&lt;';
        i++;
        continue;
      }
      i += m[0].length;
      const closing = m[1] === '/';
      const name = (m[2] as string).toLowerCase();
      if (DROP_WITH_CONTENT.has(name)) {
        if (!closing) {
          const endRe = new RegExp(`</${name}\\s*>`, 'i');
          const end = endRe.exec(html.slice(i));
          i = end ? i + end.index + end[0].length : html.length;
        }
        continue;
      }
      if (!ALLOWED.has(name)) continue;
      if (VOID.has(name)) {
        if (!closing) out += `<${name}>`;
        continue;
      }
      if (closing) {
        const at = open.lastIndexOf(name);
        if (at < 0) continue;
        while (open.length > at) out += `</${open.pop() as string}>`;
        continue;
      }
      if (name === 'a') {
        const href = hrefOf(m[3] ?? '');
        out += href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">` : '<a>';
      } else {
        out += `<${name}>`;
      }
      open.push(name);
      continue;
    }
    if (ch === '&') {
      const ent = ENTITY_RE.exec(html.slice(i, i + 40));
      if (ent) {
        out += ent[0];
        i += ent[0].length;
      } else {
        out += '&amp;';
        i++;
      }
      continue;
    }
    out += ch === '>' ? '&gt;' : ch === '"' ? '&quot;' : ch;
    i++;
  }
  while (open.length) out += `</${open.pop() as string}>`;
  return out;
}

/** Plain text of comment HTML (what Zendesk returns as `body`/`plain_body` for an html_body comment). */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|blockquote|tr|pre|ul|ol|table)\s*>/gi, '\n')
    .replace(/<hr\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '- ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&#(\d{1,7});/g, (_, d: string) => safeFromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, h: string) => safeFromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function safeFromCodePoint(n: number): string {
  try {
    return String.fromCodePoint(n);
  } catch {
    return '';
  }
}
