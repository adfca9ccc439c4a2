/**
 * The rate budget of helpdesk accounts, as an interface with two implementations: in process memory for one
 * process on SQLite (rate-limiter.ts AccountRateLimiter), and one row per account in Postgres shared by every
 * replica (postgres-rate-budget.ts), so three replicas do not triple a helpdesk's request rate.
 *
 * The synchronous reads (limitFor, waitFor, freeSlots, pausedAccounts) answer from what the budget last saw; the
 * shared budget re-reads the database in `refresh()` (the worker calls it before each claim). `acquire` is always
 * authoritative: on Postgres it takes its slot in one atomic UPDATE.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RateLimitReading } from '../helpdesks/helpdesk-module.ts';

/** The rate-limit key of one tenant's account at one helpdesk. */
export function accountKey(helpdesk: string, tenantId: string): string {
  return `${helpdesk}:${tenantId}`;
}

/** The helpdesk part of an account key (metrics label). */
export function helpdeskOfKey(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
}

/** Keep a margin under the account limit: other integrations share it. */
export const SHARE_OF_LEARNED_LIMIT = 0.8;

/** Requests per minute Baton allows itself: the ceiling, lowered to 80 % of a limit the helpdesk announced. */
export function allowedPerMinute(ceiling: number, learnedLimit: number | undefined | null): number {
  return learnedLimit ? Math.max(1, Math.min(ceiling, Math.floor(learnedLimit * SHARE_OF_LEARNED_LIMIT))) : ceiling;
}

/**
 * Thrown by `acquire` instead of waiting longer than the budget's `maxWaitMs`: the worker hands the job back
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

/** A per-job override of `maxWaitMs`, seen by every `acquire` the job's write makes (through the HTTP client). */
const maxWaitScope = new AsyncLocalStorage<number>();

/** Runs `fn` with acquire's longest in-place wait set to `maxWaitMs` (Infinity: wait, never defer). */
export function withMaxWait<T>(maxWaitMs: number, fn: () => Promise<T>): Promise<T> {
  return maxWaitScope.run(maxWaitMs, fn);
}

/** The longest in-place wait for the current job (withMaxWait), else the budget's own default. */
export function currentMaxWait(fallbackMs: number): number {
  return maxWaitScope.getStore() ?? fallbackMs;
}

/** Observes waits (metrics): `slept` in place, or `deferred` (handed back to the queue). */
export type WaitListener = (key: string, kind: 'slept' | 'deferred', ms: number) => void;

export interface RateBudget {
  /** 'memory' (one process) or 'postgres' (shared by every replica on the database). */
  readonly kind: 'memory' | 'postgres';
  /** Requests per minute Baton allows itself for this account right now. */
  limitFor(key: string): number;
  /** Ms until this account may send again (0 = now), as last seen. */
  waitFor(key: string): number;
  /** Requests this account may send right now without waiting (0 while paused), as last seen. */
  freeSlots(key: string): number;
  /** Waits for a slot and takes it; a wait over `maxWaitMs` throws RateLimitDeferral instead. */
  acquire(key: string): Promise<void>;
  /** Learns from what a response's rate-limit headers said (the module reads its own header names). */
  observe(key: string, reading: RateLimitReading): void;
  /** Pauses the account until `untilMs` (epoch ms), for every process sharing the budget. */
  pause(key: string, untilMs: number): void;
  pausedUntil(key: string): number;
  /** Accounts that may not send now (the worker does not claim their jobs). */
  pausedAccounts(): Set<string>;
  /** Re-reads shared state before a claim (no-op in memory). */
  refresh(): Promise<void>;
  /** Waits for background writes (pauses, learned limits) to land; for shutdown and tests. */
  flush(): Promise<void>;
  onWait?: WaitListener;
}
