/**
 * HTML escaping for every HTML rendering of the briefing (each helpdesk's note, sandbox views).
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
