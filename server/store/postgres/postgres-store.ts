/**
 * The Postgres store (issue 10): the Store contract of server/store/store.ts on a `pg` pool, so several Baton
 * replicas can share one database. Differences from SQLite, all about replicas:
 * - a claimed job is leased to this replica (`lease_owner` = replicaId) until its expiry; writes that end or
 *   extend a job do nothing to a job another replica has claimed since (our lease ran out and it was taken);
 * - `releaseExpired(now, true)` takes back only this replica's own running jobs, never another live replica's;
 * - no data-directory lock: replicas coordinate through row locks and `FOR UPDATE SKIP LOCKED`.
 * Migrations run at open (see migrate.ts). Times are epoch ms in BIGINT columns, read back as numbers.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { HandoffEvent } from '../../types/handoff-event.ts';
import { newHandoffId, type ClaimedJob, type InboxResult, type JobRow, type JobState, type Store, type StoredReport } from '../store.ts';
import { ANALYSIS_INTERRUPTED } from '../job-queue.ts';
import { normalizeEmail } from '../deletions.ts';
import { migratePostgres, type MigrationResult } from './migrate.ts';
import { createPgClaimer } from './pg-job-queue.ts';
import { createPgDeletions } from './pg-deletions.ts';
import { createPgHealth } from './pg-health.ts';
import { isPostgresStorageFault, isRetryableConflict } from './pg-errors.ts';
import { idIn, idOut, textIn } from './pg-text.ts';
import { toJobRow as jobRowOf, toStoredReport, type JobDbRow, type ReportDbRow } from '../db-rows.ts';

export interface PostgresStoreOptions {
  clock?: () => number;
  /** Pool size (BATON_DATABASE_POOL_MAX, default 10). Replicas × pool size must stay below max_connections. */
  poolMax?: number;
  /** This process's lease-owner id (BATON_REPLICA_ID; default random per process). */
  replicaId?: string;
  /** How long the server lets a session of ours sit idle inside a transaction before ending it (default 10 s). */
  idleInTransactionMs?: number;
  /** Skip migrating at open (tests of the migration runner itself). */
  migrate?: boolean;
}

export type PostgresStore = Store & {
  readonly kind: 'postgres';
  readonly pool: pg.Pool;
  readonly replicaId: string;
  /** What the migration at open applied (empty when nothing was left to do). */
  readonly migrations: MigrationResult;
  jobCounts(): Promise<Record<JobState, number>>;
  pendingOutcomes(): number;
};

const IDLE_IN_TRANSACTION_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 60_000;

/** BIGINT (int8) as a JS number: every BIGINT here is an epoch-ms time, a count or a serial, far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const toJobRow = (r: JobDbRow): JobRow => jobRowOf(r, idOut);
const toStored = (r: ReportDbRow): StoredReport => toStoredReport(r, idOut);

/** The job is not running under another replica's lease (ours, or not running at all). */
const NOT_OTHERS = '(state <> $$running$$ OR lease_owner IS NOT DISTINCT FROM $2)';

export function defaultReplicaId(): string {
  return process.env.BATON_REPLICA_ID?.trim() || `r_${randomBytes(6).toString('hex')}`;
}

export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not the URL's TypeError: it carries the input, password included, into any log that prints the error.
    throw new Error('BATON_DATABASE_URL is not a valid URL (postgres://user:password@host:port/database)');
  }
  const clock = opts.clock ?? Date.now;
  const replicaId = opts.replicaId ?? defaultReplicaId();
  const poolMax = opts.poolMax ?? (Number(process.env.BATON_DATABASE_POOL_MAX) || 10);
  // Session settings by SET rather than as startup parameters, which PgBouncer refuses by default. A replica frozen
  // inside a transaction (SIGSTOP, a long GC pause) would hold its row locks and other replicas' updates of those
  // jobs would wait on it: the server ends such a session instead. The statement timeout is a safety net: no store
  // statement should take a minute; one waiting on a lock that long fails instead.
  const sessionSettings = `SET idle_in_transaction_session_timeout = ${Math.max(1, Math.floor(opts.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS))}; SET statement_timeout = ${STATEMENT_TIMEOUT_MS}`;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    types,
    connectionTimeoutMillis: 10_000,
    application_name: `baton ${replicaId}`,
    // Awaited by the pool before the new connection is handed out.
    onConnect: async (client) => {
      await client.query(sessionSettings);
    },
  });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  let migrations: MigrationResult;
  try {
    migrations = opts.migrate === false ? { applied: [], current: 0 } : await migratePostgres(pool, clock);
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }

  const tx = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const c = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client has no error listener of the pool's: a connection the server ends (a session idle
      // in a transaction while this process was frozen, a restart) would otherwise be an uncaught 'error'.
      const onError = (err: Error): void => {
        broken ??= err;
      };
      c.on('error', onError);
      try {
        await c.query('BEGIN');
        const r = await fn(c);
        await c.query('COMMIT');
        return r;
      } catch (err) {
        await c.query('ROLLBACK').catch((e: unknown) => {
          broken = e as Error;
        });
        if (isPostgresStorageFault(err)) broken ??= err as Error;
        // Two replicas' batches or claims locking rows in another order: Postgres aborts one; run it again.
        if (isRetryableConflict(err) && attempt < 5) continue;
        throw err;
      } finally {
        c.removeListener('error', onError);
        c.release(broken);
      }
    }
  };

  /** A statement outside `tx` that a concurrent batch's row locks may abort (deadlock): run it again. */
  const retryConflicts = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isRetryableConflict(err) || attempt >= 5) throw err;
      }
    }
  };

  const claimer = createPgClaimer(pool, tx, replicaId);
  const deletions = createPgDeletions(pool, tx);
  const one = async <R extends pg.QueryResultRow>(sql: string, args: unknown[]): Promise<R | undefined> => (await pool.query<R>(sql, args)).rows[0];

  const acceptMany = async (events: readonly HandoffEvent[], serialized?: readonly string[]): Promise<InboxResult[]> => {
    if (!events.length) return [];
    // A repeat inside the batch answers as a duplicate of its first occurrence; only first occurrences are sent.
    const firstOf = new Map<string, number>();
    const rows: Array<{ i: number; id: string; e: HandoffEvent; json: string }> = [];
    events.forEach((e, i) => {
      const key = `${e.tenantId}\u0000${e.id}`;
      if (firstOf.has(key)) return;
      firstOf.set(key, i);
      rows.push({ i, id: newHandoffId(), e, json: serialized?.[i] ?? JSON.stringify(e) });
    });
    // Inserted in key order, so two replicas' concurrent batches take the unique-index locks in the same order.
    rows.sort((a, b) => (a.e.tenantId < b.e.tenantId ? -1 : a.e.tenantId > b.e.tenantId ? 1 : a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
    const now = clock();
    const col = <T>(f: (r: (typeof rows)[number]) => T): T[] => rows.map(f);
    // One statement inserts the whole batch (events and jobs): atomic on its own, so the batch is one transaction
    // and one round trip. The read-back of duplicates needs no transaction: those rows are already committed.
    const found = await retryConflicts(async () => {
      const c = pool;
      const inserted = new Set(
        (
          await c.query<{ handoff_id: string }>(
            `WITH input AS (
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                 AS t(handoff_id, tenant_id, event_id, source, received_at, customer_email, customer_id, await_key, event_json, helpdesk)
             ), ins AS (
               INSERT INTO events (handoff_id, tenant_id, event_id, source, received_at, customer_email, customer_id, await_key, event_json)
               SELECT handoff_id, tenant_id, event_id, source, received_at, customer_email, customer_id, await_key, event_json FROM input
               ON CONFLICT (tenant_id, event_id) DO NOTHING
               RETURNING handoff_id
             ), jobs_ins AS (
               INSERT INTO jobs (handoff_id, tenant_id, helpdesk, state, attempts, run_after, created_at, updated_at)
               SELECT input.handoff_id, input.tenant_id, input.helpdesk, 'queued', 0, $11, $11, $11 FROM ins JOIN input USING (handoff_id)
             )
             SELECT handoff_id FROM ins`,
            [
              col((r) => r.id),
              col((r) => r.e.tenantId),
              col((r) => idIn(r.e.id)),
              col((r) => r.e.source),
              col((r) => r.e.receivedAt),
              col((r) => idIn(customerEmail(r.e))),
              col((r) => idIn(customerId(r.e))),
              col((r) => idIn(typeof r.e.target?.awaitKey === 'string' ? r.e.target.awaitKey : null)),
              col((r) => r.json),
              col((r) => r.e.target?.helpdesk ?? ''),
              now,
            ],
          )
        ).rows.map((r) => r.handoff_id),
      );
      const known = rows.filter((r) => !inserted.has(r.id));
      const existing = new Map<string, string>();
      if (known.length) {
        // Read in a new statement (READ COMMITTED): it sees the row the conflicting, now committed, batch wrote.
        const r = await c.query<{ tenant_id: string; event_id: string; handoff_id: string }>(
          'SELECT e.tenant_id, e.event_id, e.handoff_id FROM events e JOIN unnest($1::text[], $2::text[]) AS k(tenant_id, event_id) ON e.tenant_id = k.tenant_id AND e.event_id = k.event_id',
          [known.map((k) => k.e.tenantId), known.map((k) => idIn(k.e.id))],
        );
        for (const x of r.rows) existing.set(`${x.tenant_id}\u0000${idOut(x.event_id)}`, x.handoff_id);
      }
      return { inserted, existing };
    });
    const byKey = new Map<string, InboxResult>();
    for (const r of rows) {
      const key = `${r.e.tenantId}\u0000${r.e.id}`;
      if (found.inserted.has(r.id)) byKey.set(key, { handoffId: r.id, duplicate: false });
      else {
        const id = found.existing.get(key);
        if (id === undefined) throw new Error('acceptMany: a conflicting event vanished before it could be read back');
        byKey.set(key, { handoffId: id, duplicate: true });
      }
    }
    return events.map((e, i) => {
      const key = `${e.tenantId}\u0000${e.id}`;
      const r = byKey.get(key)!;
      return firstOf.get(key) === i ? r : { handoffId: r.handoffId, duplicate: true };
    });
  };

  const complete: Store['complete'] = async (d, report, scrubbedEvent) => {
    await tx(async (c) => {
      // Erased while its write was in flight: nothing of it may come back. Claimed since by another replica
      // (our lease ran out): that replica finds the write and completes it; ours must not end its run.
      const job = (await c.query<{ ok: number }>(`SELECT 1 AS ok FROM jobs WHERE handoff_id = $1 AND ${NOT_OTHERS} FOR UPDATE`, [d.handoffId, replicaId])).rows[0];
      if (!job) return;
      const now = clock();
      if (scrubbedEvent) await c.query('UPDATE events SET event_json = $1 WHERE handoff_id = $2', [JSON.stringify(scrubbedEvent), d.handoffId]);
      await c.query(
        `INSERT INTO deliveries (handoff_id, tenant_id, helpdesk, ref_id, outcome, delivered_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (handoff_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, helpdesk = EXCLUDED.helpdesk, ref_id = EXCLUDED.ref_id,
           outcome = EXCLUDED.outcome, delivered_at = EXCLUDED.delivered_at`,
        [d.handoffId, d.tenantId, d.ref.helpdesk, idIn(d.ref.id), textIn(d.outcome), now],
      );
      await c.query(
        `INSERT INTO reports (handoff_id, tenant_id, helpdesk, ref_id, report_json, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (handoff_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, helpdesk = EXCLUDED.helpdesk, ref_id = EXCLUDED.ref_id,
           report_json = EXCLUDED.report_json, created_at = EXCLUDED.created_at, seq = nextval(pg_get_serial_sequence('reports', 'seq'))`,
        [d.handoffId, d.tenantId, d.ref.helpdesk, idIn(d.ref.id), JSON.stringify(report), now],
      );
      await c.query("UPDATE jobs SET state = 'done', lease_until = NULL, lease_owner = NULL, last_error = NULL, updated_at = $1 WHERE handoff_id = $2", [now, d.handoffId]);
    });
  };

  const inner: Omit<PostgresStore, 'commitHealth' | 'pendingOutcomes'> = {
    kind: 'postgres',
    pool,
    replicaId,
    migrations,
    accept: async (event) => (await acceptMany([event]))[0]!,
    acceptMany,
    claim: (now, leaseMs, limit, budget): Promise<ClaimedJob[]> => claimer.claim(now, leaseMs, limit, budget),
    defer: async (id, runAfter, reason, mayHaveWritten) => {
      // Not a failed attempt: the retry budget is given back; `tries` only when no request can have gone out.
      await pool.query(
        `UPDATE jobs SET state = 'queued', run_after = $3, lease_until = NULL, lease_owner = NULL, last_error = $4,
           attempts = greatest(0, attempts - 1), tries = greatest(0, tries - $5), updated_at = $6
         WHERE handoff_id = $1 AND state = 'running' AND lease_owner = $2`,
        [id, replicaId, runAfter, textIn(reason), mayHaveWritten ? 0 : 1, clock()],
      );
    },
    beginAnalysis: async (id) =>
      (
        await one<{ analysis_tries: number }>(
          `UPDATE jobs SET analysis_tries = analysis_tries + 1, analysis_error = $3, updated_at = $4 WHERE handoff_id = $1 AND ${NOT_OTHERS} RETURNING analysis_tries`,
          [id, replicaId, ANALYSIS_INTERRUPTED, clock()],
        )
      )?.analysis_tries ?? 0,
    endAnalysis: async (id, failure) => {
      if (failure === undefined) await pool.query(`UPDATE jobs SET analysis_tries = 0, analysis_error = NULL WHERE handoff_id = $1 AND ${NOT_OTHERS}`, [id, replicaId]);
      else await pool.query(`UPDATE jobs SET analysis_error = $3 WHERE handoff_id = $1 AND ${NOT_OTHERS}`, [id, replicaId, textIn(failure)]);
    },
    renew: async (id, leaseUntil) => {
      await pool.query("UPDATE jobs SET lease_until = $3, updated_at = $4 WHERE handoff_id = $1 AND state = 'running' AND lease_owner = $2", [id, replicaId, leaseUntil, clock()]);
    },
    release: async (id, runAfter, error) => {
      await pool.query(
        "UPDATE jobs SET state = 'queued', run_after = $3, lease_until = NULL, lease_owner = NULL, last_error = $4, updated_at = $5 WHERE handoff_id = $1 AND state = 'running' AND lease_owner = $2",
        [id, replicaId, runAfter, textIn(error), clock()],
      );
    },
    complete,
    kill: async (id, reason) => {
      await pool.query(
        `UPDATE jobs SET state = 'dead', lease_until = NULL, lease_owner = NULL, last_error = $3, updated_at = $4 WHERE handoff_id = $1 AND ${NOT_OTHERS}`,
        [id, replicaId, textIn(reason), clock()],
      );
    },
    replay: async (id, now) =>
      ((
        await pool.query(
          "UPDATE jobs SET state = 'queued', attempts = 0, analysis_tries = 0, analysis_error = NULL, run_after = $2, last_error = NULL, updated_at = $2 WHERE handoff_id = $1 AND state = 'dead'",
          [id, now],
        )
      ).rowCount ?? 0) === 1,
    releaseExpired: async (now, all = false) =>
      (
        await pool.query(
          `UPDATE jobs SET state = 'queued', lease_until = NULL, lease_owner = NULL, run_after = $1, updated_at = $1
           WHERE state = 'running' AND (lease_until < $1 OR ($2 AND lease_owner = $3))`,
          [now, all, replicaId],
        )
      ).rowCount ?? 0,
    listJobs: async ({ state, tenantId, limit = 100 }) => {
      const where: string[] = [];
      const args: unknown[] = [];
      if (state) {
        args.push(state);
        where.push(`j.state = $${args.length}`);
      }
      if (tenantId) {
        args.push(tenantId);
        where.push(`j.tenant_id = $${args.length}`);
      }
      args.push(limit);
      const sql = `SELECT j.*, e.event_id FROM jobs j JOIN events e USING (handoff_id) ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.updated_at DESC LIMIT $${args.length}`;
      return (await pool.query<JobDbRow>(sql, args)).rows.map(toJobRow);
    },
    getJob: async (id) => {
      const r = await one<JobDbRow>('SELECT j.*, e.event_id FROM jobs j JOIN events e USING (handoff_id) WHERE j.handoff_id = $1', [id]);
      return r ? toJobRow(r) : undefined;
    },
    getReportFor: async (tenantId, ref) => {
      const r = await one<ReportDbRow>(
        'SELECT * FROM reports WHERE tenant_id = $1 AND helpdesk = $2 AND ref_id = $3 ORDER BY created_at DESC, seq DESC LIMIT 1',
        [tenantId, ref.helpdesk, idIn(ref.id)],
      );
      return r ? toStored(r) : undefined;
    },
    getReport: async (id) => {
      const r = await one<ReportDbRow>('SELECT * FROM reports WHERE handoff_id = $1', [id]);
      return r ? toStored(r) : undefined;
    },
    getEvent: async (id) => {
      const r = await one<{ event_json: string }>('SELECT event_json FROM events WHERE handoff_id = $1', [id]);
      return r ? (JSON.parse(r.event_json) as HandoffEvent) : undefined;
    },
    addFeedback: async (f) =>
      (await one<{ id: number }>(
        'INSERT INTO feedback (tenant_id, helpdesk, ref_id, handoff_id, accurate, comment, agent_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
        [f.tenantId, f.ref.helpdesk, idIn(f.ref.id), f.handoffId, f.accurate, textIn(f.comment ?? null), idIn(f.agentId ?? null), clock()],
      ))!.id,
    listFeedback: async (tenantId, ref) =>
      (
        await pool.query<{ id: number; tenant_id: string; helpdesk: string; ref_id: string; handoff_id: string; accurate: boolean; comment: string | null; agent_id: string | null; created_at: number }>(
          'SELECT * FROM feedback WHERE tenant_id = $1 AND helpdesk = $2 AND ref_id = $3 ORDER BY id',
          [tenantId, ref.helpdesk, idIn(ref.id)],
        )
      ).rows.map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        ref: { helpdesk: r.helpdesk, id: idOut(r.ref_id) },
        handoffId: r.handoff_id,
        accurate: r.accurate,
        ...(r.comment !== null ? { comment: r.comment } : {}),
        ...(r.agent_id !== null ? { agentId: idOut(r.agent_id) } : {}),
        createdAt: r.created_at,
      })),
    deliveryStats: async () =>
      (await one<{ count: number; first: number | null; last: number | null }>(
        'SELECT COUNT(*)::bigint AS count, MIN(delivered_at) AS first, MAX(delivered_at) AS last FROM deliveries',
        [],
      )) ?? { count: 0, first: null, last: null },
    jobCounts: async () => {
      const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, dead: 0 };
      for (const r of (await pool.query<{ state: JobState; n: number }>('SELECT state, COUNT(*)::bigint AS n FROM jobs GROUP BY state')).rows) counts[r.state] = r.n;
      return counts;
    },
    bindTarget: (input, now) =>
      tx(async (c) => {
        // The key in its stored form (pg-text.ts), as events.await_key holds it.
        let key = input.awaitKey === undefined ? undefined : idIn(input.awaitKey);
        let consumedBy: string | null = null;
        if (input.handoffId !== undefined) {
          const row = (await c.query<{ k: string | null }>('SELECT await_key AS k FROM events WHERE handoff_id = $1 AND tenant_id = $2', [input.handoffId, input.tenantId])).rows[0];
          if (row?.k) {
            key = row.k;
            // The object names this very handoff: it is its object, whatever else waits on the key.
            consumedBy = input.handoffId;
          }
        }
        if (key === undefined) return { bound: false, woken: 0 };
        await c.query(
          'INSERT INTO target_bindings (tenant_id, helpdesk, await_key, ref_id, bound_at, consumed_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
          [input.tenantId, input.helpdesk, key, idIn(input.refId), now, consumedBy],
        );
        const woken = await c.query(
          `UPDATE jobs SET run_after = $1, updated_at = $1 WHERE state = 'queued' AND tenant_id = $2 AND helpdesk = $3
           AND handoff_id IN (SELECT handoff_id FROM events WHERE tenant_id = $2 AND await_key = $4)`,
          [now, input.tenantId, input.helpdesk, key],
        );
        return { bound: true, woken: woken.rowCount ?? 0 };
      }),
    claimBoundTarget: (tenantId, helpdesk, awaitKey, handoffId, notBefore) =>
      tx(async (c) => {
        const mine = (
          await c.query<{ ref_id: string }>(
            'SELECT ref_id FROM target_bindings WHERE tenant_id = $1 AND helpdesk = $2 AND await_key = $3 AND consumed_by = $4 LIMIT 1',
            [tenantId, helpdesk, idIn(awaitKey), handoffId],
          )
        ).rows[0];
        if (mine) return idOut(mine.ref_id);
        // Locked, so two replicas' handoffs waiting on one key never take the same binding.
        const free = (
          await c.query<{ ref_id: string }>(
            `SELECT ref_id FROM target_bindings WHERE tenant_id = $1 AND helpdesk = $2 AND await_key = $3 AND consumed_by IS NULL AND bound_at >= $4
             ORDER BY bound_at, ref_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
            [tenantId, helpdesk, idIn(awaitKey), notBefore],
          )
        ).rows[0];
        if (!free) return undefined;
        await c.query('UPDATE target_bindings SET consumed_by = $5 WHERE tenant_id = $1 AND helpdesk = $2 AND await_key = $3 AND ref_id = $4', [tenantId, helpdesk, idIn(awaitKey), free.ref_id, handoffId]);
        return idOut(free.ref_id);
      }),
    ping: async () => (await one<{ ok: number }>('SELECT 1 AS ok', []))?.ok === 1,
    purgeBefore: deletions.purgeBefore,
    eraseCustomer: deletions.eraseCustomer,
    describe: async () => ({
      kind: 'postgres',
      server: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
      replicaId,
    }),
    close: async () => {
      await pool.end();
    },
  };

  return createPgHealth(inner, {
    clock,
    probe: async () => {
      await pool.query('INSERT INTO store_probe (replica_id, at) VALUES ($1, $2) ON CONFLICT (replica_id) DO UPDATE SET at = EXCLUDED.at', [replicaId, clock()]);
    },
  });
}

function customerEmail(event: HandoffEvent): string | null {
  return typeof event.customer?.email === 'string' ? normalizeEmail(event.customer.email) : null;
}

function customerId(event: HandoffEvent): string | null {
  const id: unknown = event.customer?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}
