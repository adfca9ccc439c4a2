/**
 * The job queue's claim side on Postgres: the same fairness as the SQLite queue (server/store/job-queue.ts) —
 * accounts (a tenant at one helpdesk) served round-robin within their budgets, each account's oldest ready jobs
 * first — with rows taken by `FOR UPDATE SKIP LOCKED`, so replicas claiming at once never take the same job and
 * never wait on each other (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE).
 * A claim sets the lease to this replica (`lease_owner`) until `now + leaseMs`.
 */
import type pg from 'pg';
import type { HandoffEvent } from '../../types/handoff-event.ts';
import type { ClaimedJob, TenantBudget } from '../store.ts';

type ClaimRow = {
  handoff_id: string;
  tenant_id: string;
  attempts: number;
  tries: number;
  analysis_tries: number;
  analysis_error: string | null;
  event_json: string;
};

type Tx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>;

export interface PgClaimer {
  claim(now: number, leaseMs: number, limit: number, budget?: TenantBudget): Promise<ClaimedJob[]>;
}

export function createPgClaimer(pool: pg.Pool, tx: Tx, replicaId: string): PgClaimer {
  /** Round-robin start point, per replica: the account after the one served first last time. */
  let lastFirst: string | undefined;

  return {
    async claim(now, leaseMs, limit, budget) {
      if (limit <= 0) return [];
      const allowance = (t: string, h: string): number =>
        budget === undefined ? limit : typeof budget === 'function' ? budget(t, h) : budget.has(t) || budget.has(`${h}:${t}`) ? 0 : limit;
      // Outside a transaction: an idle queue (the common poll) costs one statement. The accounts with queued jobs
      // are found by skipping through the jobs_account_ready index, one probe per account, then kept when one of
      // their jobs is due: a large backlog costs a probe per account, not a read of every queued row.
      const accounts = (
        await pool.query<{ tenant_id: string; helpdesk: string }>(
          `WITH RECURSIVE accounts AS (
             (SELECT tenant_id, helpdesk FROM jobs WHERE state = 'queued' ORDER BY tenant_id, helpdesk LIMIT 1)
             UNION ALL
             SELECT n.tenant_id, n.helpdesk FROM accounts a CROSS JOIN LATERAL (
               SELECT tenant_id, helpdesk FROM jobs
               WHERE state = 'queued' AND (tenant_id, helpdesk) > (a.tenant_id, a.helpdesk)
               ORDER BY tenant_id, helpdesk LIMIT 1
             ) n
           )
           SELECT a.tenant_id, a.helpdesk FROM accounts a
           WHERE EXISTS (SELECT 1 FROM jobs j WHERE j.state = 'queued' AND j.tenant_id = a.tenant_id AND j.helpdesk = a.helpdesk AND j.run_after <= $1)`,
          [now],
        )
      ).rows
        .map((r) => ({ tenant: r.tenant_id, helpdesk: r.helpdesk, key: `${r.tenant_id}\u0000${r.helpdesk}` }))
        // Code-unit order, as SQLite's store sorts them (the database's collation may differ).
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      if (!accounts.length) return [];
      const start = lastFirst === undefined ? 0 : accounts.findIndex((a) => a.key > lastFirst!);
      const rotated = start <= 0 ? accounts : [...accounts.slice(start), ...accounts.slice(0, start)];
      return tx(async (client) => {
        // Budgets are read once the transaction is open, as close as possible to the claim they allow.
        const wanted = rotated
          .map((a) => ({ ...a, n: Math.max(0, Math.min(limit, Math.floor(allowance(a.tenant, a.helpdesk)))) }))
          .filter((a) => a.n > 0);
        return wanted.length ? take(client, wanted, now, leaseMs, limit) : [];
      });
    },
  };

  async function take(
    client: pg.PoolClient,
    wanted: ReadonlyArray<{ tenant: string; helpdesk: string; key: string; n: number }>,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedJob[]> {
    // Each account's oldest ready jobs, as many as its budget allows, locked; rows another replica holds are skipped.
    const rows = (
      await client.query<{ handoff_id: string; tenant_id: string; helpdesk: string }>(
        `SELECT j.handoff_id, a.tenant_id, a.helpdesk
         FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS a(tenant_id, helpdesk, n, ord)
         CROSS JOIN LATERAL (
           SELECT handoff_id, run_after, created_at FROM jobs
           WHERE state = 'queued' AND tenant_id = a.tenant_id AND helpdesk = a.helpdesk AND run_after <= $4
           ORDER BY run_after, created_at LIMIT a.n
           FOR UPDATE SKIP LOCKED
         ) j
         ORDER BY a.ord, j.run_after, j.created_at`,
        [wanted.map((a) => a.tenant), wanted.map((a) => a.helpdesk), wanted.map((a) => a.n), now],
      )
    ).rows;
    const queues = wanted
      .map((a) => ({ key: a.key, ids: rows.filter((r) => r.tenant_id === a.tenant && r.helpdesk === a.helpdesk).map((r) => r.handoff_id) }))
      .filter((q) => q.ids.length > 0);
    // One from each account in turn, up to the limit.
    const order: string[] = [];
    let firstKey: string | undefined;
    for (let round = 0; order.length < limit && queues.some((q) => q.ids.length > round); round++) {
      for (const q of queues) {
        const id = q.ids[round];
        if (id === undefined || order.length >= limit) continue;
        if (!order.length) firstKey = q.key;
        order.push(id);
      }
    }
    if (!order.length) return [];
    const claimed = (
      await client.query<ClaimRow>(
        `UPDATE jobs j SET state = 'running', attempts = j.attempts + 1, tries = j.tries + 1,
           lease_until = $2, lease_owner = $3, updated_at = $4
         FROM events e
         WHERE e.handoff_id = j.handoff_id AND j.handoff_id = ANY($1::text[]) AND j.state = 'queued'
         RETURNING j.handoff_id, j.tenant_id, j.attempts, j.tries, j.analysis_tries, j.analysis_error, e.event_json`,
        [order, now + leaseMs, replicaId, now],
      )
    ).rows;
    if (firstKey !== undefined && claimed.length) lastFirst = firstKey;
    const byId = new Map(claimed.map((r) => [r.handoff_id, r]));
    const out: ClaimedJob[] = [];
    for (const id of order) {
      const r = byId.get(id);
      if (!r) continue;
      out.push({
        handoffId: r.handoff_id,
        tenantId: r.tenant_id,
        attempts: r.attempts,
        tries: r.tries,
        analysisTries: r.analysis_tries,
        analysisError: r.analysis_error,
        event: JSON.parse(r.event_json) as HandoffEvent,
      });
    }
    return out;
  }
}
