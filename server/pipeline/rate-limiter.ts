/**
 * Per-account client-side rate limiting for helpdesk APIs: stay under the account's limit instead of
 * bouncing off 429s. An account is one tenant's connection to one helpdesk (key `<helpdesk>:<tenantId>`).
 * The limit is learned from what the helpdesk module reads in each response's headers (RateLimitReading),
 * capped by the module's ceiling; an account-wide 429 pauses the account until Retry-After has passed.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type { RateLimitReading } from '../helpdesks/helpdesk-module.ts';

/** The rate-limit key of one tenant's account at one helpdesk. */
export function accountKey(helpdesk: string, tenantId: string): string {
  return `${helpdesk}:${tenantId}`;
}

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
 * to run after `waitMs` rather than hold a worker slot that another account could use.
 */
export class RateLimitDeferral extends Error {
  override name = 'RateLimitDeferral';
  constructor(
    readonly accountKey: string,
    readonly waitMs: number,
  ) {
    super(`waiting ${waitMs} ms for ${accountKey}'s rate-limit budget`);
  }
}

interface AccountWindow {
  sent: number[];
  learnedLimit?: number;
  pausedUntil: number;
}

export class AccountRateLimiter {
  private readonly accounts = new Map<string, AccountWindow>();

  constructor(
    private readonly ceilingFor: (accountKey: string) => number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    /** Longer waits throw RateLimitDeferral instead of sleeping (default: always sleep). */
    private readonly maxWaitMs = Number.POSITIVE_INFINITY,
  ) {}

  private window(key: string): AccountWindow {
    let w = this.accounts.get(key);
    if (!w) this.accounts.set(key, (w = { sent: [], pausedUntil: 0 }));
    return w;
  }

  /** Requests per minute Baton allows itself for this account right now. */
  limitFor(key: string): number {
    const w = this.window(key);
    const ceiling = this.ceilingFor(key);
    return w.learnedLimit ? Math.max(1, Math.min(ceiling, Math.floor(w.learnedLimit * SHARE_OF_LEARNED_LIMIT))) : ceiling;
  }

  /** Ms until this account may send again (0 = now). */
  waitFor(key: string): number {
    const now = this.clock();
    const w = this.window(key);
    while (w.sent.length && (w.sent[0] as number) <= now - WINDOW_MS) w.sent.shift();
    const pause = Math.max(0, w.pausedUntil - now);
    const limit = this.limitFor(key);
    const windowWait = w.sent.length >= limit ? (w.sent[w.sent.length - limit] as number) + WINDOW_MS - now : 0;
    return Math.max(pause, windowWait);
  }

  /** Requests this account may send right now without waiting (0 while paused). */
  freeSlots(key: string): number {
    if (this.waitFor(key) > 0) return 0;
    return Math.max(0, this.limitFor(key) - this.window(key).sent.length);
  }

  /** Waits for a slot and takes it; a wait over `maxWaitMs` throws RateLimitDeferral instead. */
  async acquire(key: string): Promise<void> {
    for (let wait = this.waitFor(key); wait > 0; wait = this.waitFor(key)) {
      if (wait > (maxWaitScope.getStore() ?? this.maxWaitMs)) throw new RateLimitDeferral(key, wait);
      await this.sleep(wait);
    }
    this.window(key).sent.push(this.clock());
  }

  /** Learns from what a response's rate-limit headers said (the module reads its own header names). */
  observe(key: string, reading: RateLimitReading): void {
    const w = this.window(key);
    if (reading.limitPerMinute !== undefined && reading.limitPerMinute > 0) w.learnedLimit = reading.limitPerMinute;
    // The account is nearly spent by others too: hold off until the window resets.
    if (reading.remaining !== undefined && reading.remaining <= 1 && reading.resetInMs !== undefined && reading.resetInMs > 0)
      this.pause(key, this.clock() + reading.resetInMs);
  }

  pause(key: string, untilMs: number): void {
    const w = this.window(key);
    w.pausedUntil = Math.max(w.pausedUntil, untilMs);
  }

  pausedUntil(key: string): number {
    return this.window(key).pausedUntil;
  }

  /** Accounts that may not send now (the worker does not claim their jobs). */
  pausedAccounts(): Set<string> {
    const now = this.clock();
    return new Set([...this.accounts].filter(([, w]) => w.pausedUntil > now).map(([id]) => id));
  }
}
