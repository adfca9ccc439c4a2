/**
 * One rate budget per helpdesk account shared by every replica on one Postgres database (issue 10). Each
 * account is one row, a GCRA bucket (generic cell rate algorithm, the token bucket kept as one timestamp:
 * https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm): `tat` is the theoretical arrival time of the next
 * request; a request may go when `tat - now <= tolerance`, and then pushes `tat` on by one interval. One
 * conditional UPDATE takes a slot atomically, whichever replica asks. Times are the database's clock, so replicas
 * on hosts with skewed clocks still agree. A 429's Retry-After sets `paused_until`, which stops every replica.
 *
 * The shape keeps any 60-second window within the allowed rate: a burst of `burst` requests, then one per
 * `intervalMs = 60 s / (limit - burst)`, so at most burst + (limit - burst) = limit in a minute (limits under 5
 * per minute excepted).
 */
import type pg from 'pg';
import type { RateLimitReading } from '../helpdesks/helpdesk-module.ts';
import { allowedPerMinute, currentMaxWait, RateLimitDeferral, type RateBudget, type WaitListener } from './rate-budget.ts';

export const RATE_BUDGET_TABLE = 'baton_rate_budgets';

/** The table, created once under an advisory lock so replicas starting together do not race on CREATE. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${RATE_BUDGET_TABLE} (
    account_key    TEXT PRIMARY KEY,
    tat            BIGINT NOT NULL DEFAULT 0,
    paused_until   BIGINT NOT NULL DEFAULT 0,
    learned_limit  INTEGER,
    updated_at     BIGINT NOT NULL DEFAULT 0
  )`;
/** Any constant; names this module's schema lock among the store's advisory locks. */
const SCHEMA_LOCK = 0x6261_7262; // 'barb'

const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

export interface GcraShape {
  burst: number;
  intervalMs: number;
  toleranceMs: number;
}

export function gcraShape(limitPerMinute: number): GcraShape {
  const limit = Math.max(1, Math.floor(limitPerMinute));
  // About one second's worth at once (at least 4: two Zendesk writes), then an even pace.
  const burst = Math.min(limit, Math.max(4, Math.ceil(limit / 60)));
  const intervalMs = Math.ceil(60_000 / Math.max(1, limit - burst));
  return { burst, intervalMs, toleranceMs: (burst - 1) * intervalMs };
}

interface Seen {
  tat: number;
  pausedUntil: number;
  learnedLimit: number | null;
}

interface BudgetRow {
  account_key?: string;
  tat: string;
  paused_until: string;
  learned_limit: number | null;
  now_ms: string;
}

export interface PostgresRateBudgetOptions {
  pool: pg.Pool;
  ceilingFor: (accountKey: string) => number;
  /** Longer waits throw RateLimitDeferral instead of sleeping (default: always sleep). */
  maxWaitMs?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Where a failed background write is reported (never throws into the caller). */
  onError?: (err: unknown) => void;
}

export class PostgresRateBudget implements RateBudget {
  readonly kind = 'postgres' as const;
  onWait?: WaitListener;
  private readonly seen = new Map<string, Seen>();
  private readonly known = new Set<string>();
  /** Database clock minus this process's clock, from the last answer. */
  private offset = 0;
  private readonly pending = new Set<Promise<unknown>>();
  private ready: Promise<void> | undefined;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;

  constructor(private readonly opts: PostgresRateBudgetOptions) {
    this.clock = opts.clock ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.maxWaitMs = opts.maxWaitMs ?? Number.POSITIVE_INFINITY;
  }

  /** Creates the table if it is missing (idempotent; safe for replicas starting at once). */
  init(): Promise<void> {
    return (this.ready ??= (async () => {
      const client = await this.opts.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        await client.query(SCHEMA);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    }));
  }

  private dbNow(): number {
    return this.clock() + this.offset;
  }

  private remember(key: string, row: BudgetRow): Seen {
    this.offset = Number(row.now_ms) - this.clock();
    const s: Seen = { tat: Number(row.tat), pausedUntil: Number(row.paused_until), learnedLimit: row.learned_limit };
    this.seen.set(key, s);
    return s;
  }

  private shape(key: string): GcraShape {
    return gcraShape(this.limitFor(key));
  }

  limitFor(key: string): number {
    return allowedPerMinute(this.opts.ceilingFor(key), this.seen.get(key)?.learnedLimit);
  }

  waitFor(key: string): number {
    const s = this.seen.get(key);
    if (!s) return 0;
    const now = this.dbNow();
    return Math.max(0, s.pausedUntil - now, s.tat - this.shape(key).toleranceMs - now);
  }

  freeSlots(key: string): number {
    if (this.waitFor(key) > 0) return 0;
    const { burst, intervalMs, toleranceMs } = this.shape(key);
    const s = this.seen.get(key);
    if (!s) return burst;
    const now = this.dbNow();
    return Math.min(burst, Math.floor((now + toleranceMs - Math.max(s.tat, now)) / intervalMs) + 1);
  }

  private async ensureRow(key: string): Promise<void> {
    if (this.known.has(key)) return;
    await this.init();
    await this.opts.pool.query(`INSERT INTO ${RATE_BUDGET_TABLE} (account_key) VALUES ($1) ON CONFLICT (account_key) DO NOTHING`, [key]);
    this.known.add(key);
  }

  /** One try: takes a slot (0) or says how long to wait (> 0). */
  private async tryTake(key: string): Promise<number> {
    await this.ensureRow(key);
    const { intervalMs, toleranceMs } = this.shape(key);
    const taken = await this.opts.pool.query<BudgetRow>(
      `UPDATE ${RATE_BUDGET_TABLE} b SET tat = GREATEST(b.tat, n.ms) + $2, updated_at = n.ms
         FROM (SELECT ${NOW_MS} AS ms) n
        WHERE b.account_key = $1 AND b.paused_until <= n.ms AND b.tat - n.ms <= $3
        RETURNING b.tat, b.paused_until, b.learned_limit, n.ms AS now_ms`,
      [key, intervalMs, toleranceMs],
    );
    if (taken.rows[0]) {
      this.remember(key, taken.rows[0]);
      return 0;
    }
    const r = await this.opts.pool.query<BudgetRow>(
      `SELECT tat, paused_until, learned_limit, ${NOW_MS} AS now_ms FROM ${RATE_BUDGET_TABLE} WHERE account_key = $1`,
      [key],
    );
    const row = r.rows[0];
    if (!row) {
      // Deleted under us (an operator reset the table): make it again.
      this.known.delete(key);
      return 1;
    }
    const s = this.remember(key, row);
    const now = Number(row.now_ms);
    return Math.max(1, s.pausedUntil - now, s.tat - this.shape(key).toleranceMs - now);
  }

  async acquire(key: string): Promise<void> {
    for (let wait = await this.tryTake(key); wait > 0; wait = await this.tryTake(key)) {
      if (wait > currentMaxWait(this.maxWaitMs)) {
        this.onWait?.(key, 'deferred', wait);
        throw new RateLimitDeferral(key, wait);
      }
      this.onWait?.(key, 'slept', wait);
      await this.sleep(wait);
    }
  }

  private background(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.opts.onError?.(err)).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  observe(key: string, reading: RateLimitReading): void {
    const learned = reading.limitPerMinute !== undefined && reading.limitPerMinute > 0 ? Math.floor(reading.limitPerMinute) : undefined;
    const s = this.seen.get(key);
    if (learned !== undefined && s?.learnedLimit !== learned) {
      if (s) s.learnedLimit = learned;
      this.background(
        this.ensureRow(key).then(() =>
          this.opts.pool.query(`UPDATE ${RATE_BUDGET_TABLE} SET learned_limit = $2 WHERE account_key = $1 AND learned_limit IS DISTINCT FROM $2`, [key, learned]),
        ),
      );
    }
    // The account is nearly spent by others too: hold off until the window resets.
    if (reading.remaining !== undefined && reading.remaining <= 1 && reading.resetInMs !== undefined && reading.resetInMs > 0)
      this.pause(key, this.clock() + reading.resetInMs);
  }

  pause(key: string, untilMs: number): void {
    const until = Math.ceil(untilMs + this.offset);
    const s = this.seen.get(key);
    if (s) s.pausedUntil = Math.max(s.pausedUntil, until);
    else this.seen.set(key, { tat: 0, pausedUntil: until, learnedLimit: null });
    this.background(
      this.ensureRow(key).then(() =>
        this.opts.pool.query(`UPDATE ${RATE_BUDGET_TABLE} SET paused_until = GREATEST(paused_until, $2) WHERE account_key = $1`, [key, until]),
      ),
    );
  }

  pausedUntil(key: string): number {
    const s = this.seen.get(key);
    return s ? s.pausedUntil - this.offset : 0;
  }

  pausedAccounts(): Set<string> {
    const now = this.dbNow();
    return new Set([...this.seen].filter(([, s]) => s.pausedUntil > now).map(([k]) => k));
  }

  async refresh(): Promise<void> {
    await this.init();
    const r = await this.opts.pool.query<BudgetRow & { account_key: string }>(
      `SELECT account_key, tat, paused_until, learned_limit, ${NOW_MS} AS now_ms FROM ${RATE_BUDGET_TABLE}`,
    );
    for (const row of r.rows) {
      this.known.add(row.account_key);
      this.remember(row.account_key, row);
    }
  }

  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
