/**
 * Retention and erasure on Postgres, as server/store/deletions.ts does on SQLite: each handoff goes with its job,
 * report, delivery and feedback, a chunk per transaction. Unlike SQLite's secure_delete, Postgres leaves deleted
 * row versions in the table files until VACUUM reuses the space, and in WAL segments until they are recycled;
 * the README's replica notes say so (rows are unreachable at once; the bytes go with vacuum and WAL recycling).
 */
import type pg from 'pg';
import { addCounts, emptyCounts, normalizeEmail, type CustomerSelector, type DeletedCounts } from '../deletions.ts';
import { idIn } from './pg-text.ts';

const CHUNK = 500;

type Tx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>;

async function deleteHandoffs(c: pg.PoolClient, ids: readonly string[]): Promise<DeletedCounts> {
  const n = async (sql: string): Promise<number> => (await c.query(sql, [ids])).rowCount ?? 0;
  // Outcomes (issue 11, as deletions.ts on SQLite): the helpdesk events about the handoff's object (they hold the
  // customer's redacted messages after the handoff), its rejected answers and its outcome row.
  await n(
    'DELETE FROM outcome_events WHERE (tenant_id, helpdesk, ref_id) IN (SELECT tenant_id, helpdesk, ref_id FROM handoff_outcomes WHERE handoff_id = ANY($1::text[]))',
  );
  await n('DELETE FROM outcome_rejections WHERE handoff_id = ANY($1::text[])');
  await n('DELETE FROM handoff_outcomes WHERE handoff_id = ANY($1::text[])');
  // Children first: reports, deliveries and jobs reference events.
  const feedback = await n('DELETE FROM feedback WHERE handoff_id = ANY($1::text[])');
  const deliveries = await n('DELETE FROM deliveries WHERE handoff_id = ANY($1::text[])');
  const reports = await n('DELETE FROM reports WHERE handoff_id = ANY($1::text[])');
  const jobs = await n('DELETE FROM jobs WHERE handoff_id = ANY($1::text[])');
  const events = await n('DELETE FROM events WHERE handoff_id = ANY($1::text[])');
  return { events, jobs, reports, deliveries, feedback };
}

export function createPgDeletions(pool: pg.Pool, tx: Tx) {
  return {
    async purgeBefore(cutoffMs: number): Promise<DeletedCounts> {
      let total = emptyCounts();
      for (;;) {
        const counts = await tx(async (c) => {
          // Never a job that is still queued or running; SKIP LOCKED leaves one a replica is finishing for next time.
          const ids = (
            await c.query<{ handoff_id: string }>(
              "SELECT handoff_id FROM jobs WHERE created_at < $1 AND state IN ('done','dead') LIMIT $2 FOR UPDATE SKIP LOCKED",
              [cutoffMs, CHUNK],
            )
          ).rows.map((r) => r.handoff_id);
          return { ids: ids.length, counts: ids.length ? await deleteHandoffs(c, ids) : emptyCounts() };
        });
        total = addCounts(total, counts.counts);
        if (counts.ids < CHUNK) break;
      }
      total.feedback += (await pool.query('DELETE FROM feedback WHERE created_at < $1', [cutoffMs])).rowCount ?? 0;
      return total;
    },
    async eraseCustomer(tenantId: string, who: CustomerSelector): Promise<DeletedCounts> {
      const rows =
        'email' in who
          ? await pool.query<{ handoff_id: string }>('SELECT handoff_id FROM events WHERE tenant_id = $1 AND customer_email = $2', [tenantId, idIn(normalizeEmail(who.email))])
          : await pool.query<{ handoff_id: string }>('SELECT handoff_id FROM events WHERE tenant_id = $1 AND customer_id = $2', [tenantId, idIn(who.customerId)]);
      const ids = rows.rows.map((r) => r.handoff_id);
      let total = emptyCounts();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        total = addCounts(total, await tx((c) => deleteHandoffs(c, chunk)));
      }
      return total;
    },
  };
}
