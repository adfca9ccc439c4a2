/**
 * HTML escaping for everything Baton renders into Zendesk comments and the sandbox's human view.
 * Values come from customers and bots, so every one of them goes through escapeHtml before it meets markup.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for use in HTML element content AND in double- or single-quoted attribute values.
 * Also drops C0 control characters (except tab, newline, carriage return) that some sanitizers choke on.
 */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * Returns the URL, normalized, when it is an absolute http(s) URL that is safe to put in an href;
 * undefined otherwise (javascript:, data:, relative, malformed, credentials in the URL). The caller still
 * escapes the returned string for the attribute.
 */
export function safeHttpUrl(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}

/** `<a href="…">text</a>` when the URL is safe http(s); otherwise the escaped text alone. */
export function linkHtml(url: string | undefined, text?: string): string {
  const safe = safeHttpUrl(url);
  const label = escapeHtml(text ?? url ?? '');
  if (!safe) return label;
  return `<a href="${escapeHtml(safe)}" rel="noopener noreferrer" target="_blank">${label}</a>`;
}
