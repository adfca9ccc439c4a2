/**
 * The Store contract on the Postgres store (runs when BATON_DATABASE_URL is set; CI starts a throwaway cluster),
 * plus what only several replicas on one database can show: leases owned by a replica, migrations applied once
 * by stores opening together, group commit with duplicates across instances, claims that never overlap.
 */
import { afterEach, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgresStore, type PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import { POSTGRES_MIGRATIONS } from '../../server/store/postgres/migrations/index.ts';
import type { HandoffReport } from '../../server/types/handoff-report.ts';
import { describeIfPostgres, freshDatabase, postgresUrl, type FreshDatabase } from '../helpers/postgres.ts';
import { testEvent } from '../helpers/handoff-event.ts';
import { storeContract } from './store-contract.ts';

if (postgresUrl()) {
  storeContract('Postgres', async () => {
    const db = await freshDatabase('baton_contract');
    return {
      open: (clock) => openPostgresStore(db.url, { ...(clock ? { clock } : {}), poolMax: 4 }),
      cleanup: () => db.drop(),
    };
  });
}

describeIfPostgres('Postgres: several store instances (replicas) on one database', () => {
  const stores: PostgresStore[] = [];
  const dbs: FreshDatabase[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => {});
    for (const d of dbs.splice(0)) await d.drop();
  });
  const database = async () => {
    const d = await freshDatabase('baton_replicas');
    dbs.push(d);
    return d;
  };
  const replica = async (url: string, replicaId: string, clock?: () => number) => {
    const s = await openPostgresStore(url, { replicaId, poolMax: 4, ...(clock ? { clock } : {}) });
    stores.push(s);
    return s;
  };
  const report = (text: string) => ({ version: 1, eventId: 'x', summary: { text } }) as unknown as HandoffReport;

  it('a lease belongs to its replica: B cannot take A’s unexpired job; after expiry B takes it, and A’s late writes do not break B’s run', async () => {
    const { url } = await database();
    let now = 1_000_000;
    const clock = () => now;
    const a = await replica(url, 'replica-a', clock);
    const b = await replica(url, 'replica-b', clock);
    const { handoffId } = await a.accept(testEvent('acme', 'e1'));
    expect(await a.claim(now, 5_000, 10)).toHaveLength(1);
    expect(await b.claim(now, 5_000, 10)).toEqual([]);
    // B starting up takes back only its own running jobs, never A's live one.
    expect(await b.releaseExpired(now, true)).toBe(0);
    expect(await b.releaseExpired(now + 4_999)).toBe(0);
    now += 6_000; // A paused past its lease
    expect(await b.releaseExpired(now)).toBe(1);
    const [taken] = await b.claim(now, 5_000, 10);
    expect(taken).toMatchObject({ handoffId, attempts: 2, tries: 2 });
    // A resumes: none of its writes may end, extend or re-queue B's run.
    await a.renew(handoffId, now + 999_999);
    await a.release(handoffId, now, 'A thought it failed');
    await a.defer(handoffId, now, 'A waited', false);
    await a.endAnalysis(handoffId, 'A crashed');
    await a.kill(handoffId, 'A gave up');
    await a.complete({ handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'created' }, report('from A'));
    expect(await a.releaseExpired(now, true)).toBe(0);
    expect(await b.getJob(handoffId)).toMatchObject({ state: 'running', attempts: 2, lastError: null });
    expect(await b.getReport(handoffId)).toBeUndefined();
    expect(await b.beginAnalysis(handoffId)).toBe(1);
    await b.complete({ handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'updated' }, report('from B'));
    expect(await a.getJob(handoffId)).toMatchObject({ state: 'done' });
    expect((await a.getReport(handoffId))?.report.summary.text).toBe('from B');
    // Done: a repeated complete is idempotent (the "done has its delivery and report" invariant holds).
    await b.complete({ handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'updated' }, report('from B'));
    expect((await b.deliveryStats()).count).toBe(1);
  });

  it('a job A\'s lease lost but nobody claimed yet is still A\'s to complete', async () => {
    const { url } = await database();
    let now = 1_000_000;
    const a = await replica(url, 'replica-a', () => now);
    const b = await replica(url, 'replica-b', () => now);
    const { handoffId } = await a.accept(testEvent('acme', 'e1'));
    await a.claim(now, 5_000, 1);
    now += 6_000;
    expect(await b.releaseExpired(now)).toBe(1);
    await a.complete({ handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'created' }, report('from A'));
    expect(await b.getJob(handoffId)).toMatchObject({ state: 'done' });
    expect(await b.claim(now, 5_000, 1)).toEqual([]);
  });

  it('a replica frozen inside a transaction holds its row locks only until the server ends its idle session', async () => {
    const { url } = await database();
    const a = await openPostgresStore(url, { replicaId: 'replica-a', poolMax: 2, idleInTransactionMs: 300 });
    stores.push(a);
    const b = await replica(url, 'replica-b');
    const { handoffId } = await a.accept(testEvent('acme', 'e1'));
    // A is stopped between its claim's SELECT … FOR UPDATE and its UPDATE (as SIGSTOP would leave it).
    const frozen = await a.pool.connect();
    let ended: Error | undefined;
    frozen.on('error', (err) => (ended = err));
    await frozen.query('BEGIN');
    await frozen.query('SELECT handoff_id FROM jobs WHERE handoff_id = $1 FOR UPDATE', [handoffId]);
    expect(await b.claim(Date.now(), 60_000, 10)).toEqual([]); // skipped, not waited for
    let taken: string[] = [];
    for (let i = 0; i < 200 && !taken.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      taken = (await b.claim(Date.now(), 60_000, 10)).map((j) => j.handoffId);
    }
    expect(taken).toEqual([handoffId]);
    // A, resumed, finds its transaction gone: nothing it held was committed.
    const resumed = await frozen.query('COMMIT').then(() => undefined, (err: unknown) => err);
    expect(resumed ?? ended).toBeInstanceOf(Error);
    frozen.release(true);
    expect(await b.getJob(handoffId)).toMatchObject({ state: 'running', attempts: 1 });
  });

  it('a claim frozen mid-transaction past the idle timeout fails cleanly, and the store carries on', async () => {
    const { url } = await database();
    const a = await openPostgresStore(url, { replicaId: 'replica-a', poolMax: 2, idleInTransactionMs: 200 });
    stores.push(a);
    await a.accept(testEvent('acme', 'e1'));
    // The budget is asked inside the claim's transaction: blocking the event loop there is a frozen process.
    const freeze = () => {
      const until = Date.now() + 1_000;
      while (Date.now() < until) {
        /* frozen */
      }
      return 10;
    };
    const failed = await a.claim(Date.now(), 60_000, 10, freeze).then(() => undefined, (err: unknown) => err);
    expect(failed).toBeInstanceOf(Error);
    expect(await a.jobCounts()).toMatchObject({ queued: 1, running: 0 });
    expect(await a.claim(Date.now(), 60_000, 10)).toHaveLength(1);
    expect(a.commitHealth()).toEqual({ ok: true });
  });

  it('three stores opening at once on an empty database apply each migration once', async () => {
    const { url } = await database();
    const opened = await Promise.all(['m1', 'm2', 'm3'].map((id) => replica(url, id)));
    const applied = opened.map((s) => s.migrations.applied.map((m) => m.version));
    // Exactly one of them did the work; the others found it done.
    expect(applied.filter((v) => v.length > 0)).toEqual([POSTGRES_MIGRATIONS.map((m) => m.version)]);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const rows = (await c.query<{ version: number; name: string }>('SELECT version, name FROM baton_migrations ORDER BY version')).rows;
      expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      await c.end();
    }
    for (const s of opened) expect(await s.ping()).toBe(true);
    expect(opened.every((s) => s.migrations.current === POSTGRES_MIGRATIONS.length)).toBe(true);
  });

  it('group commit across two replicas: the same events in concurrent batches are stored once, and each event has one handoff', async () => {
    const { url } = await database();
    const a = await replica(url, 'replica-a');
    const b = await replica(url, 'replica-b');
    const events = Array.from({ length: 60 }, (_, i) => testEvent(i % 2 ? 'acme' : 'globex', `e${i}`));
    const reversed = [...events].reverse();
    // Several rounds of batches racing in opposite orders (the order that would deadlock without sorted inserts).
    const results = await Promise.all([
      a.acceptMany(events.slice(0, 40)),
      b.acceptMany(reversed.slice(0, 40)),
      a.acceptMany([...events.slice(20), events[25]!]),
      b.acceptMany(reversed.slice(20)),
    ]);
    const byKey = new Map<string, Set<string>>();
    let fresh = 0;
    results.forEach((batch, k) => {
      const input = [events.slice(0, 40), reversed.slice(0, 40), [...events.slice(20), events[25]!], reversed.slice(20)][k]!;
      batch.forEach((r, i) => {
        const key = `${input[i]!.tenantId}/${input[i]!.id}`;
        byKey.set(key, (byKey.get(key) ?? new Set()).add(r.handoffId));
        if (!r.duplicate) fresh++;
      });
    });
    expect(fresh).toBe(60);
    expect(byKey.size).toBe(60);
    for (const ids of byKey.values()) expect(ids.size).toBe(1);
    expect(await a.jobCounts()).toEqual({ queued: 60, running: 0, done: 0, dead: 0 });
  });

  it('claims from two replicas at once never overlap and take every ready job', async () => {
    const { url } = await database();
    const a = await replica(url, 'replica-a');
    const b = await replica(url, 'replica-b');
    await a.acceptMany(Array.from({ length: 30 }, (_, i) => testEvent(['acme', 'globex', 'initech'][i % 3]!, `e${i}`)));
    const now = Date.now();
    const ids: string[] = [];
    // SKIP LOCKED: a claim passes over rows another replica holds at that moment, so rounds go on until none is left.
    for (let round = 0; round < 30 && ids.length < 30; round++) {
      const got = await Promise.all([a.claim(now, 60_000, 12), b.claim(now, 60_000, 12), a.claim(now, 60_000, 12)]);
      ids.push(...got.flat().map((j) => j.handoffId));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(30);
    expect(await b.jobCounts()).toMatchObject({ queued: 0, running: 30 });
  });

  it('commit health: a database that refuses writes (read-only) fails readiness; writable again, ready again', async () => {
    const db = await database();
    const store = await replica(db.url, 'replica-a');
    expect(store.commitHealth()).toEqual({ ok: true });
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    const reconnect = () => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
    try {
      await admin.query(`ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`);
      await reconnect();
      // The pool notices its connections were ended; the next writes fail with 25006 (read-only transaction).
      let refused: unknown;
      for (let i = 0; i < 20 && !refused; i++) {
        try {
          await store.accept(testEvent('acme', `ro${i}`));
        } catch (err) {
          if ((err as { code?: string }).code === '25006') refused = err;
        }
      }
      expect(refused).toBeDefined();
      // The reason is the first fault seen: 25006, or the ended connection (57P01) when a write met one first.
      expect(store.commitHealth()).toMatchObject({ ok: false, code: 'store_cannot_commit', reason: expect.stringMatching(/^(25006|57P01)/) });
      expect(JSON.stringify(store.commitHealth())).not.toContain('postgres://');
      await admin.query(`ALTER DATABASE "${db.name}" RESET default_transaction_read_only`);
      await reconnect();
      let ok = false;
      for (let i = 0; i < 20 && !ok; i++) {
        try {
          ok = !(await store.accept(testEvent('acme', `rw${i}`))).duplicate;
        } catch {
          /* a connection the server ended: the pool replaces it */
        }
      }
      expect(ok).toBe(true);
      expect(store.commitHealth()).toEqual({ ok: true });
    } finally {
      await admin.end();
    }
  });

  it('erasure also deletes the handoff’s outcome row, rejected answers and helpdesk events (issue 11 tables)', async () => {
    const { url } = await database();
    const store = await replica(url, 'replica-e');
    const mine = (await store.accept(testEvent('acme', 'e1', { customer: { id: 'cus_1' } }))).handoffId;
    const other = (await store.accept(testEvent('globex', 'e1', { customer: { id: 'cus_1' } }))).handoffId;
    for (const [tenant, id, ref] of [['acme', mine, '7'], ['globex', other, '8']] as const) {
      await store.pool.query(
        `INSERT INTO handoff_outcomes (tenant_id, handoff_id, helpdesk, ref_id, accepted_at, day, reason, topic, bot, source, channel, priority, group_key, sentiment)
         VALUES ($1, $2, 'zendesk', $3, 0, 0, 'r', 't', 'b', 's', 'c', 'p', 'g', 'n')`,
        [tenant, id, ref],
      );
      await store.pool.query("INSERT INTO outcome_events (tenant_id, helpdesk, event_key, ref_id, kind, at, received_at, text) VALUES ($1, 'zendesk', 'k1', $2, 'reply', 0, 0, 'still broken')", [tenant, ref]);
      await store.pool.query("INSERT INTO outcome_rejections (tenant_id, handoff_id, seq, accepted_at, kind, text_key, text) VALUES ($1, $2, 0, 0, 'k', 'x', 'x')", [tenant, id]);
    }
    expect((await store.eraseCustomer('acme', { customerId: 'cus_1' })).events).toBe(1);
    const left = async (table: string) => (await store.pool.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${table} ORDER BY 1`)).rows.map((r) => r.tenant_id);
    expect(await left('handoff_outcomes')).toEqual(['globex']);
    expect(await left('outcome_events')).toEqual(['globex']);
    expect(await left('outcome_rejections')).toEqual(['globex']);
  });

  it('a malformed URL fails with an error that carries no part of it', async () => {
    const err = await openPostgresStore('postgres://baton:s3cret-pw@db host:5432/baton').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(JSON.stringify(err) + String(err)).not.toContain('s3cret-pw');
  });

  it('an outcome that could not be committed is kept and recorded once commits go through again, not after the lease', async () => {
    const db = await database();
    const store = await replica(db.url, 'replica-a');
    const { handoffId } = await store.accept(testEvent('acme', 'e1'));
    expect(await store.claim(Date.now(), 120_000, 1)).toHaveLength(1);
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    const reconnect = () => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
    try {
      await admin.query(`ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`);
      await reconnect();
      const delivery = { handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'updated' };
      let refused = false;
      for (let i = 0; i < 20 && !refused; i++) {
        refused = await store.complete(delivery, report('landed')).then(() => false, (err: { code?: string }) => err.code === '25006');
      }
      expect(refused).toBe(true);
      // The worker then treats it as a failed try and releases the job: the landed write wins.
      await store.release(handoffId, 0, 'read-only').catch(() => {});
      expect(store.pendingOutcomes()).toBe(1);
      await admin.query(`ALTER DATABASE "${db.name}" RESET default_transaction_read_only`);
      await reconnect();
      // Any write records kept outcomes first (a connection the server ended on the way may take a few tries).
      for (let i = 0; i < 20 && store.pendingOutcomes(); i++) await store.accept(testEvent('acme', `w${i}`)).catch(() => {});
      expect(store.pendingOutcomes()).toBe(0);
      expect(await store.getJob(handoffId)).toMatchObject({ state: 'done' });
      expect((await store.getReport(handoffId))?.report.summary.text).toBe('landed');
    } finally {
      await admin.end();
    }
  });

  it('describes its server, database and replica without the password', async () => {
    const db = await database();
    const u = new URL(db.url);
    const store = await replica(db.url, 'replica-d');
    expect(await store.describe()).toEqual({ kind: 'postgres', server: `${u.hostname}:${u.port || '5432'}`, database: db.name, replicaId: 'replica-d' });
  });
});
