/** TenantStore on the Postgres store's pool (see tenant-store.ts). BIGINT columns arrive as strings: Number(). */
import type pg from 'pg';
import { TENANTS_MIGRATION } from '../store/postgres/migrations/0002-tenants.ts';
import type { HelpdeskStateRow, TenantRow, TenantStore } from './tenant-store.ts';

interface Row {
  id: string;
  sealed: string;
  key_id: string;
  version: string;
  created_at: string;
  updated_at: string;
}
interface StateRow {
  tenant_id: string;
  helpdesk: string;
  reason: string;
  disconnected_at: string;
}

const toRow = (r: Row): TenantRow => ({
  id: r.id,
  sealed: r.sealed,
  keyId: r.key_id,
  version: Number(r.version),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});
const toState = (r: StateRow): HelpdeskStateRow => ({ tenantId: r.tenant_id, helpdesk: r.helpdesk, reason: r.reason, disconnectedAt: Number(r.disconnected_at) });

/** The tables, for a database the Postgres store has not migrated (e.g. the CLI on a fresh database); idempotent. */
export async function ensurePostgresTenantTables(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: one at a time (same key as nothing else).
    await c.query("SELECT pg_advisory_xact_lock(hashtext('baton:tenants-ddl'))");
    await c.query(TENANTS_MIGRATION);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

export function openPostgresTenantStore(pool: pg.Pool): TenantStore {
  /** One transaction; the revision is bumped in it when `fn` reports a change. */
  const write = async (fn: (c: pg.PoolClient) => Promise<boolean>): Promise<boolean> => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const changed = await fn(c);
      if (changed) await c.query('UPDATE tenant_revision SET revision = revision + 1 WHERE id = 1');
      await c.query('COMMIT');
      return changed;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  };
  const revision = async (): Promise<number> => Number((await pool.query<{ revision: string }>('SELECT revision FROM tenant_revision WHERE id = 1')).rows[0]?.revision ?? 0);
  return {
    revision,
    load: async () => {
      const c = await pool.connect();
      try {
        // One snapshot: the revision matches the rows read with it.
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const rev = await c.query<{ revision: string }>('SELECT revision FROM tenant_revision WHERE id = 1');
        const rows = await c.query<Row>('SELECT * FROM tenants ORDER BY created_at, id');
        const states = await c.query<StateRow>('SELECT * FROM tenant_helpdesk_state');
        await c.query('COMMIT');
        return { revision: Number(rev.rows[0]?.revision ?? 0), tenants: rows.rows.map(toRow), states: states.rows.map(toState) };
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    loadOne: async (id) => {
      const r = (await pool.query<Row>('SELECT * FROM tenants WHERE id = $1', [id])).rows[0];
      return r ? toRow(r) : undefined;
    },
    insert: (r) =>
      write(async (c) => {
        const res = await c.query(
          'INSERT INTO tenants (id, sealed, key_id, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (id) DO NOTHING',
          [r.id, r.sealed, r.keyId, r.createdAt, r.updatedAt],
        );
        return res.rowCount === 1;
      }),
    update: (id, sealed, keyId, v, now) =>
      write(async (c) => {
        const res = await c.query('UPDATE tenants SET sealed = $1, key_id = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5', [sealed, keyId, now, id, v]);
        return res.rowCount === 1;
      }),
    remove: (id) =>
      write(async (c) => {
        await c.query('DELETE FROM tenant_helpdesk_state WHERE tenant_id = $1', [id]);
        return (await c.query('DELETE FROM tenants WHERE id = $1', [id])).rowCount === 1;
      }),
    setState: async (tenantId, helpdesk, state) => {
      await write(async (c) => {
        if (state)
          await c.query(
            'INSERT INTO tenant_helpdesk_state (tenant_id, helpdesk, disconnected_at, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, helpdesk) DO UPDATE SET disconnected_at = EXCLUDED.disconnected_at, reason = EXCLUDED.reason',
            [tenantId, helpdesk, state.at, state.reason],
          );
        else await c.query('DELETE FROM tenant_helpdesk_state WHERE tenant_id = $1 AND helpdesk = $2', [tenantId, helpdesk]);
        return true;
      });
    },
  };
}
