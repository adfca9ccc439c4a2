/**
 * Helpdesks render placeholders (`{{ticket.requester.email}}`, `{{first_name}}`) and Liquid tags (`{% if %}`)
 * in what agents and the API write (https://support.zendesk.com/hc/en-us/articles/4408886858138). Text that came from a
 * customer or a bot must not be evaluated, so a zero-width space goes between `{` and the `{` or `%` after
 * it: it reads the same, and no placeholder is seen. Pure (no Node imports): the sidebar uses it too, for
 * the text an agent inserts or copies into a reply.
 */
const ZWSP = '\u200B';
const OPENER_RE = /\{(?=[{%])/g;

export function neutralizePlaceholders(text: string): string {
  return text.includes('{') ? text.replace(OPENER_RE, `{${ZWSP}`) : text;
}

/** Braces percent-encoded in a URL for an href: the same address, nothing for the helpdesk to evaluate. */
export function hrefWithoutBraces(url: string): string {
  return url.replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}
