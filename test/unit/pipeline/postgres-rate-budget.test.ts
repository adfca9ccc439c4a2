/**
 * The shared rate budget on a real Postgres (issue 10): several budgets on one database stand for several
 * replicas; together they must never grant more than one account's budget, and a pause from one stops all.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfPostgres, freshDatabase, type FreshDatabase } from '../../helpers/postgres.ts';
import { gcraShape, PostgresRateBudget } from '../../../server/pipeline/postgres-rate-budget.ts';
import { RateLimitDeferral, withMaxWait } from '../../../server/pipeline/rate-budget.ts';

const KEY = 'zendesk:acme';
/** 5 a minute: a burst of 4, then one a minute, so no slot comes back while a test runs. */
const CEILING = 5;

describeIfPostgres('PostgresRateBudget (several replicas on one database)', () => {
  let db: FreshDatabase;
  const pools: pg.Pool[] = [];
  const budget = (ceiling = CEILING, maxWaitMs = 0): PostgresRateBudget => {
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    pools.push(pool);
    return new PostgresRateBudget({ pool, ceilingFor: () => ceiling, maxWaitMs });
  };

  beforeAll(async () => {
    db = await freshDatabase('baton_rate');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db?.drop();
  });

  it('shapes a limit so a minute never holds more than the limit', () => {
    for (const limit of [5, 10, 60, 100, 400, 700, 2000]) {
      const { burst, intervalMs } = gcraShape(limit);
      expect(burst).toBeGreaterThanOrEqual(4);
      expect(burst + Math.floor(60_000 / intervalMs)).toBeLessThanOrEqual(limit);
    }
  });

  it('creates its table once when replicas start together', async () => {
    const three = [budget(), budget(), budget()];
    await Promise.all(three.map((b) => b.init()));
    const r = await pools[0]!.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'baton_rate_budgets'");
    expect(r.rows[0].n).toBe(1);
  });

  it('grants one burst in total to three replicas racing, then defers all of them', async () => {
    const replicas = [budget(), budget(), budget()];
    const key = `${KEY}-race`;
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => replicas[i % 3]!.acquire(key)));
    const granted = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(granted).toBe(gcraShape(CEILING).burst);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.every((o) => o.reason instanceof RateLimitDeferral)).toBe(true);
    // Every replica now sees the spent budget after a refresh.
    await Promise.all(replicas.map((r) => r.refresh()));
    for (const r of replicas) {
      expect(r.freeSlots(key)).toBe(0);
      expect(r.waitFor(key)).toBeGreaterThan(0);
    }
  });

  it('a 429 pause from one replica stops the others until it passes', async () => {
    const [a, b] = [budget(), budget()];
    const key = `${KEY}-pause`;
    await b.acquire(key);
    a.pause(key, Date.now() + 30_000);
    await a.flush();
    const err = await b.acquire(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitDeferral);
    expect((err as RateLimitDeferral).waitMs).toBeGreaterThan(25_000);
    await b.refresh();
    expect(b.pausedAccounts().has(key)).toBe(true);
    expect(b.pausedUntil(key)).toBeGreaterThan(Date.now() + 25_000);
    expect(b.freeSlots(key)).toBe(0);
  });

  it('a limit learned from headers by one replica lowers every replica’s limit', async () => {
    const [a, b] = [budget(1000), budget(1000)];
    const key = `${KEY}-learn`;
    await a.acquire(key);
    a.observe(key, { limitPerMinute: 200, remaining: 150 });
    await a.flush();
    expect(a.limitFor(key)).toBe(160);
    expect(b.limitFor(key)).toBe(1000);
    await b.refresh();
    expect(b.limitFor(key)).toBe(160);
  });

  it('nearly spent headers pause the account everywhere', async () => {
    const [a, b] = [budget(), budget()];
    const key = `${KEY}-spent`;
    await a.acquire(key);
    a.observe(key, { remaining: 0, resetInMs: 20_000 });
    await a.flush();
    await b.refresh();
    expect(b.waitFor(key)).toBeGreaterThan(15_000);
  });

  it('sleeps in place for a wait when a job scope lifts the wait limit', async () => {
    const slept: number[] = [];
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pools.push(pool);
    const key = `${KEY}-sleep`;
    const b = new PostgresRateBudget({
      pool,
      ceilingFor: () => 600,
      maxWaitMs: 0,
      // Instead of sleeping, the pause ends (as if the time had passed).
      sleep: async (ms) => {
        slept.push(ms);
        await pool.query('UPDATE baton_rate_budgets SET paused_until = 0 WHERE account_key = $1', [key]);
      },
    });
    const waits: string[] = [];
    b.onWait = (_k, kind) => waits.push(kind);
    b.pause(key, Date.now() + 60_000);
    await b.flush();
    await expect(b.acquire(key)).rejects.toBeInstanceOf(RateLimitDeferral);
    await withMaxWait(Number.POSITIVE_INFINITY, () => b.acquire(key));
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(50_000);
    expect(waits).toEqual(['deferred', 'slept']);
  });
});
