/**
 * Intercom part bodies are HTML (`<p>…</p>`, links, lists; webhooks for API 2.15+ may send plain text):
 * text for the analysis, with block elements as line breaks, entities decoded, and the links kept aside
 * (Fin cites its sources as links). A scanner, not a parser: bodies are short, and nothing here is rendered.
 */
const BLOCK_TAGS = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'blockquote', 'pre', 'hr', 'table']);
const SKIP_CONTENT_TAGS = new Set(['script', 'style', 'template']);
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  euro: '€',
  pound: '£',
  copy: '©',
};
const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g;

export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    const key = name.toLowerCase();
    // Own keys only: sender text must never reach Object.prototype.
    return Object.hasOwn(NAMED_ENTITIES, key) ? (NAMED_ENTITIES[key] as string) : whole;
  });
}

export interface HtmlText {
  text: string;
  /** `href`s of the links, in order, with their text. */
  links: Array<{ url: string; text: string }>;
}

function tagName(inner: string): { name: string; closing: boolean } {
  let i = 0;
  const closing = inner[0] === '/';
  if (closing) i = 1;
  let name = '';
  for (; i < inner.length; i++) {
    const c = inner[i] as string;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) name += c;
    else break;
  }
  return { name: name.toLowerCase(), closing };
}

function attribute(inner: string, attr: string): string | undefined {
  const lower = inner.toLowerCase();
  let from = 0;
  for (;;) {
    const at = lower.indexOf(attr, from);
    if (at < 0) return undefined;
    from = at + attr.length;
    // Only a whole attribute name: preceded by white space, followed by `=`.
    if (!/\s/.test(lower[at - 1] ?? '')) continue;
    let j = from;
    while (lower[j] === ' ') j++;
    if (lower[j] !== '=') continue;
    j++;
    while (lower[j] === ' ') j++;
    const quote = inner[j];
    if (quote === '"' || quote === "'") {
      const end = inner.indexOf(quote, j + 1);
      return end < 0 ? undefined : inner.slice(j + 1, end);
    }
    let end = j;
    while (end < inner.length && !/[\s>]/.test(inner[end] as string)) end++;
    return inner.slice(j, end);
  }
}

function tidy(text: string): string {
  // One line per block; empty lines (from nested blocks) dropped.
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

export function htmlToText(html: string): HtmlText {
  let out = '';
  const links: HtmlText['links'] = [];
  let link: { url: string; start: number } | undefined;
  let skipUntil: string | undefined;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (!skipUntil) out += html.slice(i, textEnd).replace(/[\r\n]+/g, ' ');
    if (lt < 0) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) {
      // A lone `<` is text ("a < b").
      if (!skipUntil) out += html.slice(lt);
      break;
    }
    const inner = html.slice(lt + 1, gt);
    i = gt + 1;
    if (inner.startsWith('!--')) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const { name, closing } = tagName(inner);
    if (!name) {
      if (!skipUntil) out += html.slice(lt, gt + 1);
      continue;
    }
    if (skipUntil) {
      if (closing && name === skipUntil) skipUntil = undefined;
      continue;
    }
    if (!closing && SKIP_CONTENT_TAGS.has(name)) {
      skipUntil = name;
      continue;
    }
    if (BLOCK_TAGS.has(name)) out += '\n';
    if (name === 'a') {
      if (!closing) {
        const href = attribute(inner, 'href');
        link = href ? { url: decodeEntities(href.trim()), start: out.length } : undefined;
      } else if (link) {
        links.push({ url: link.url, text: tidy(decodeEntities(out.slice(link.start))) });
        link = undefined;
      }
    }
  }
  return { text: tidy(decodeEntities(out)), links };
}
