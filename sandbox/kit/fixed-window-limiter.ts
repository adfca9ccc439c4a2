/**
 * A fixed-window request budget: at most `limit` requests per window of `windowMs`, windows aligned on the
 * clock. Intercom documents its REST limits this way: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` (a Unix timestamp, constant within a window), 429 when the window is spent
 * (https://developers.intercom.com/docs/references/2.0/rest-api/errors/rate-limiting). The window length
 * Intercom uses today (it spreads a per-minute budget over short periods) is not verified.
 */
export interface WindowDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the window ends, in whole Unix seconds (rounded up). */
  resetAtSec: number;
}

export interface FixedWindowLimiter {
  take(now: number): WindowDecision;
  reset(): void;
}

export function createFixedWindowLimiter(limit: number, windowMs: number): FixedWindowLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`createFixedWindowLimiter: limit must be a positive integer (got ${limit})`);
  if (!(windowMs > 0)) throw new Error(`createFixedWindowLimiter: windowMs must be positive (got ${windowMs})`);
  let windowStart = -1;
  let used = 0;
  return {
    take(now) {
      const start = Math.floor(now / windowMs) * windowMs;
      if (start !== windowStart) {
        windowStart = start;
        used = 0;
      }
      const allowed = used < limit;
      if (allowed) used++;
      return { allowed, limit, remaining: limit - used, resetAtSec: Math.ceil((start + windowMs) / 1000) };
    },
    reset() {
      windowStart = -1;
      used = 0;
    },
  };
}
