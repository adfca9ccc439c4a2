/**
 * The rate budget for the store Baton runs on: in process memory on SQLite (one process), one row per account in
 * Postgres when replicas share the database (issue 10), so their requests add up to one account's budget.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import { AccountRateLimiter } from './rate-limiter.ts';
import { PostgresRateBudget } from './postgres-rate-budget.ts';
import type { RateBudget } from './rate-budget.ts';

export function openRateBudget(opts: { store: Store; ceilingFor: (accountKey: string) => number; maxWaitMs: number; logger: Pick<Logger, 'warn'> }): RateBudget {
  const { store, ceilingFor, maxWaitMs, logger } = opts;
  const pool = (store as Store & { pool?: pg.Pool }).pool;
  if (store.kind === 'postgres' && pool) {
    return new PostgresRateBudget({
      pool,
      ceilingFor,
      maxWaitMs,
      // A pause or learned limit that did not reach the database: the next response's headers teach it again.
      onError: (err) => logger.warn({ err }, 'shared rate budget: a background update failed'),
    });
  }
  return new AccountRateLimiter(ceilingFor, Date.now, undefined, maxWaitMs);
}
