/**
 * A sliding-window request counter: at most `limit` requests in any `windowMs`. Used for the sandbox's
 * account-wide rate limit (requests per minute) and the per-ticket update limit, the way Zendesk describes
 * them in https://developer.zendesk.com/api-reference/introduction/rate-limits.
 */

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** Seconds until the window has room again (for Retry-After and ratelimit-reset); at least 1. */
  resetSec: number;
}

export interface SlidingWindowLimiter {
  /** Counts a request now if the window has room; otherwise refuses it without counting it. */
  take(key: string, now: number): LimitDecision;
  reset(): void;
}

export function createSlidingWindowLimiter(limit: number, windowMs: number): SlidingWindowLimiter {
  const windows = new Map<string, number[]>();

  function prune(times: number[], now: number): void {
    while (times.length && (times[0] as number) <= now - windowMs) times.shift();
  }

  return {
    take(key, now) {
      let times = windows.get(key);
      if (!times) windows.set(key, (times = []));
      prune(times, now);
      const allowed = times.length < limit;
      if (allowed) times.push(now);
      const oldest = times[0] ?? now;
      const resetSec = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      return { allowed, limit, remaining: Math.max(0, limit - times.length), resetSec };
    },
    reset() {
      windows.clear();
    },
  };
}
