/**
 * Per-account client-side rate limiting for helpdesk APIs, in process memory: the RateBudget (rate-budget.ts) of
 * one process on SQLite; replicas on Postgres share postgres-rate-budget.ts instead. Stay under the account's
 * limit instead of bouncing off 429s. An account is one tenant's connection to one helpdesk (key
 * `<helpdesk>:<tenantId>`). The limit is learned from what the helpdesk module reads in each response's headers
 * (RateLimitReading), capped by the module's ceiling; an account-wide 429 pauses the account until Retry-After has passed.
 */
import type { RateLimitReading } from '../helpdesks/helpdesk-module.ts';
import { allowedPerMinute, currentMaxWait, RateLimitDeferral, type RateBudget, type WaitListener } from './rate-budget.ts';

export { accountKey, RateLimitDeferral, withMaxWait } from './rate-budget.ts';
export type { RateBudget } from './rate-budget.ts';

const WINDOW_MS = 60_000;

interface AccountWindow {
  sent: number[];
  learnedLimit?: number;
  pausedUntil: number;
}

export class AccountRateLimiter implements RateBudget {
  readonly kind = 'memory' as const;
  onWait?: WaitListener;
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
    return allowedPerMinute(this.ceilingFor(key), this.window(key).learnedLimit);
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
      if (wait > currentMaxWait(this.maxWaitMs)) {
        this.onWait?.(key, 'deferred', wait);
        throw new RateLimitDeferral(key, wait);
      }
      this.onWait?.(key, 'slept', wait);
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

  /** In memory there is nothing to re-read. */
  async refresh(): Promise<void> {}

  async flush(): Promise<void> {}
}
