/**
 * HTML escaping for everything Baton renders into Zendesk comments and the sandbox's human view. The
 * escaping itself is shared by every helpdesk's rendering (briefing/escape-html.ts); the link markup here is
 * Zendesk's.
 */
import { escapeHtml } from '../../briefing/escape-html.ts';
import { safeHttpUrl } from '../../briefing/safe-url.ts';

export { escapeHtml, safeHttpUrl };

/** `<a href="…">text</a>` when the URL is safe http(s); otherwise the escaped text alone. */
export function linkHtml(url: string | undefined, text?: string): string {
  const safe = safeHttpUrl(url);
  const label = escapeHtml(text ?? url ?? '');
  if (!safe) return label;
  return `<a href="${escapeHtml(safe)}" rel="noopener noreferrer" target="_blank">${label}</a>`;
}
