/**
 * Helpdesks turn URLs in notes into live links by themselves (which schemes: see helpdesks/<name>/). A URL
 * a customer typed must stay text in the note (a planted phishing link must not look endorsed), so a
 * zero-width space goes after the scheme's colon and after a leading `www`: it reads the same, and the
 * auto-linker no longer matches. Pure: no Node imports.
 */
const ZWSP = '\u200B';
// Linear: a bounded scheme run, then a fixed `//`; `www.` only at a word start.
const SCHEME_RE = /\b([a-z][a-z0-9+.-]{0,31}):(?=\/\/)/gi;
const WWW_RE = /\b(www)\./gi;

export function inertUrls(text: string): string {
  if (!text.includes('//') && !/www\./i.test(text)) return text;
  return text.replace(SCHEME_RE, `$1:${ZWSP}`).replace(WWW_RE, `$1${ZWSP}.`);
}
