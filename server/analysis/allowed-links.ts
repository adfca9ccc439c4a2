/**
 * Which links the bot offered may be live in the note and the sidebar: only those whose host is on the
 * tenant's knowledge-base allow-list. Anything else (a URL in bot or customer text, an article on another host)
 * is shown as text, so a customer cannot plant a phishing link that sits in an internal note looking endorsed.
 */
import type { AttemptedSolution } from '../types/handoff-report.ts';

/** The URL's host (lowercase, with a non-default port) when it is an absolute http(s) URL without credentials. */
export function linkHost(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password) return undefined;
  return u.host.toLowerCase();
}

export function hostAllowed(url: string, hosts: readonly string[]): boolean {
  const host = linkHost(url);
  return host !== undefined && hosts.includes(host);
}

/** Marks solutions whose URL is on the allow-list (`linkAllowed: true`); returns new objects. */
export function markAllowedLinks(solutions: readonly AttemptedSolution[], hosts: readonly string[]): AttemptedSolution[] {
  return solutions.map((s) => {
    const { linkAllowed: _ignored, ...rest } = s;
    return s.url && hostAllowed(s.url, hosts) ? { ...rest, linkAllowed: true } : rest;
  });
}
