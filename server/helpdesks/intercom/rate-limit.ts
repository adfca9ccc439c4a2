/**
 * Intercom's rate-limit headers, made common (https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting):
 * `X-RateLimit-Limit` (requests allowed in the current window), `X-RateLimit-Remaining`, `X-RateLimit-Reset`
 * (UNIX time, seconds, when the window refills). Intercom counts per app and per workspace, but spreads the
 * per-minute limit over 10-second windows ("1000 per minute, which is 167 per 10-second window"), so the
 * header's limit is per 10 s: Baton scales it by 6 to the per-minute figure the budget works in. The window
 * length is Intercom's documented default; it is not in the headers, so an app on another window would be
 * mis-scaled by that factor (the budget still backs off on `Remaining`/`Reset` and on 429).
 */
import type { RateLimitReading } from '../helpdesk-module.ts';

export const INTERCOM_WINDOW_SECONDS = 10;
const WINDOWS_PER_MINUTE = 60 / INTERCOM_WINDOW_SECONDS;

const count = (v: unknown): number | undefined => {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).trim();
  if (!/^\d{1,15}$/.test(s)) return undefined;
  return Number(s);
};

/** Header names lower-cased (axios and Node give them so); `now` is epoch ms. */
export function readIntercomRateLimit(headers: Record<string, unknown>, now = Date.now()): RateLimitReading {
  const reading: RateLimitReading = {};
  const limit = count(headers['x-ratelimit-limit']);
  if (limit !== undefined && limit > 0) reading.limitPerMinute = limit * WINDOWS_PER_MINUTE;
  const remaining = count(headers['x-ratelimit-remaining']);
  if (remaining !== undefined) reading.remaining = remaining;
  const reset = count(headers['x-ratelimit-reset']);
  // Epoch seconds; a reset in the past (clock skew) means "now".
  if (reset !== undefined && reset > 0) reading.resetInMs = Math.max(0, reset * 1000 - now);
  return reading;
}

/** Ms until the window named by `X-RateLimit-Reset` refills, if the headers say. */
export function resetWaitMs(headers: Record<string, unknown>, now: number): number | undefined {
  return readIntercomRateLimit(headers, now).resetInMs;
}
