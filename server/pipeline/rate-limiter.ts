/**
 * Per-tenant client-side rate limiting for helpdesk APIs: stay under the account's limit instead of
 * bouncing off 429s. The limit is learned from Zendesk's headers (X-Rate-Limit / ratelimit-limit,
 * https://developer.zendesk.com/api-reference/introduction/rate-limits/), capped by our configured
 * ceiling; a 429 pauses the whole tenant until Retry-After has passed.
 */

import { AsyncLocalStorage } from 'node:async_hooks';

const WINDOW_MS = 60_000;

/** A per-job override of `maxWaitMs`, seen by every `acquire` the job's write makes (through the HTTP client). */
const maxWaitScope = new AsyncLocalStorage<number>();

/** Runs `fn` with acquire's longest in-place wait set to `maxWaitMs` (Infinity: wait, never defer). */
export function withMaxWait<T>(maxWaitMs: number, fn: () => Promise<T>): Promise<T> {
  return maxWaitScope.run(maxWaitMs, fn);
}
/** Keep a margin under the account limit: other integrations share it. */
const SHARE_OF_LEARNED_LIMIT = 0.8;

/**
 * Thrown by `acquire` instead of waiting longer than the limiter's `maxWaitMs`: the worker hands the job back
 * to run after `waitMs` rather than hold a worker slot that another tenant could use.
 */
export class RateLimitDeferral extends Error {
  override name = 'RateLimitDeferral';
  constructor(
    readonly tenantId: string,
    readonly waitMs: number,
  ) {
    super(`waiting ${waitMs} ms for tenant ${tenantId}'s rate-limit budget`);
  }
}

interface TenantWindow {
  sent: number[];
  learnedLimit?: number;
  pausedUntil: number;
}

export class TenantRateLimiter {
  private readonly tenants = new Map<string, TenantWindow>();

  constructor(
    private readonly ceilingFor: (tenantId: string) => number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    /** Longer waits throw RateLimitDeferral instead of sleeping (default: always sleep). */
    private readonly maxWaitMs = Number.POSITIVE_INFINITY,
  ) {}

  private window(tenantId: string): TenantWindow {
    let w = this.tenants.get(tenantId);
    if (!w) this.tenants.set(tenantId, (w = { sent: [], pausedUntil: 0 }));
    return w;
  }

  /** Requests per minute Baton allows itself for this tenant right now. */
  limitFor(tenantId: string): number {
    const w = this.window(tenantId);
    const ceiling = this.ceilingFor(tenantId);
    return w.learnedLimit ? Math.max(1, Math.min(ceiling, Math.floor(w.learnedLimit * SHARE_OF_LEARNED_LIMIT))) : ceiling;
  }

  /** Ms until this tenant may send again (0 = now). */
  waitFor(tenantId: string): number {
    const now = this.clock();
    const w = this.window(tenantId);
    while (w.sent.length && (w.sent[0] as number) <= now - WINDOW_MS) w.sent.shift();
    const pause = Math.max(0, w.pausedUntil - now);
    const limit = this.limitFor(tenantId);
    const windowWait = w.sent.length >= limit ? (w.sent[w.sent.length - limit] as number) + WINDOW_MS - now : 0;
    return Math.max(pause, windowWait);
  }

  /** Requests this tenant may send right now without waiting (0 while paused). */
  freeSlots(tenantId: string): number {
    if (this.waitFor(tenantId) > 0) return 0;
    return Math.max(0, this.limitFor(tenantId) - this.window(tenantId).sent.length);
  }

  /** Waits for a slot and takes it; a wait over `maxWaitMs` throws RateLimitDeferral instead. */
  async acquire(tenantId: string): Promise<void> {
    for (let wait = this.waitFor(tenantId); wait > 0; wait = this.waitFor(tenantId)) {
      if (wait > (maxWaitScope.getStore() ?? this.maxWaitMs)) throw new RateLimitDeferral(tenantId, wait);
      await this.sleep(wait);
    }
    this.window(tenantId).sent.push(this.clock());
  }

  /** Learns from a response's rate-limit headers (lower-cased names). */
  observe(tenantId: string, headers: Record<string, unknown>): void {
    const w = this.window(tenantId);
    const limit = Number(headers['x-rate-limit'] ?? headers['ratelimit-limit']);
    if (Number.isFinite(limit) && limit > 0) w.learnedLimit = limit;
    const remaining = Number(headers['x-rate-limit-remaining'] ?? headers['ratelimit-remaining']);
    const reset = Number(headers['ratelimit-reset']);
    // The account is nearly spent by others too: hold off until the window resets.
    if (Number.isFinite(remaining) && remaining <= 1 && Number.isFinite(reset) && reset > 0) this.pause(tenantId, this.clock() + reset * 1000);
  }

  pause(tenantId: string, untilMs: number): void {
    const w = this.window(tenantId);
    w.pausedUntil = Math.max(w.pausedUntil, untilMs);
  }

  pausedUntil(tenantId: string): number {
    return this.window(tenantId).pausedUntil;
  }

  /** Tenants that may not send now (the worker does not claim their jobs). */
  pausedTenants(): Set<string> {
    const now = this.clock();
    return new Set([...this.tenants].filter(([, w]) => w.pausedUntil > now).map(([id]) => id));
  }
}
