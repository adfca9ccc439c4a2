/** TenantStore on the SQLite store's connection (see tenant-store.ts). */
import type Database from 'better-sqlite3';
import { TENANTS_MIGRATION } from '../store/sqlite-migrations/0007-tenants.ts';
import type { HelpdeskStateRow, TenantRow, TenantStore } from './tenant-store.ts';

interface Row {
  id: string;
  sealed: string;
  key_id: string;
  version: number;
  created_at: number;
  updated_at: number;
}
interface StateRow {
  tenant_id: string;
  helpdesk: string;
  reason: string;
  disconnected_at: number;
}

const toRow = (r: Row): TenantRow => ({ id: r.id, sealed: r.sealed, keyId: r.key_id, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });
const toState = (r: StateRow): HelpdeskStateRow => ({ tenantId: r.tenant_id, helpdesk: r.helpdesk, reason: r.reason, disconnectedAt: r.disconnected_at });

export function openSqliteTenantStore(db: Database.Database): TenantStore {
  // Idempotent: a data dir whose slot 7 ran as a placeholder still gets the tables.
  db.exec(TENANTS_MIGRATION);
  const q = {
    revision: db.prepare<[], { revision: number }>('SELECT revision FROM tenant_revision WHERE id = 1'),
    bump: db.prepare('UPDATE tenant_revision SET revision = revision + 1 WHERE id = 1'),
    all: db.prepare<[], Row>('SELECT * FROM tenants ORDER BY created_at, id'),
    one: db.prepare<[string], Row>('SELECT * FROM tenants WHERE id = ?'),
    states: db.prepare<[], StateRow>('SELECT * FROM tenant_helpdesk_state'),
    insert: db.prepare('INSERT OR IGNORE INTO tenants (id, sealed, key_id, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)'),
    update: db.prepare('UPDATE tenants SET sealed = ?, key_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?'),
    remove: db.prepare('DELETE FROM tenants WHERE id = ?'),
    removeStates: db.prepare('DELETE FROM tenant_helpdesk_state WHERE tenant_id = ?'),
    setState: db.prepare(
      'INSERT INTO tenant_helpdesk_state (tenant_id, helpdesk, disconnected_at, reason) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, helpdesk) DO UPDATE SET disconnected_at = excluded.disconnected_at, reason = excluded.reason',
    ),
    clearState: db.prepare('DELETE FROM tenant_helpdesk_state WHERE tenant_id = ? AND helpdesk = ?'),
  };
  const revision = (): number => q.revision.get()?.revision ?? 0;
  const load = db.transaction(() => ({ revision: revision(), tenants: q.all.all().map(toRow), states: q.states.all().map(toState) }));
  // Each write and its revision bump commit together; IMMEDIATE takes the write lock up front (busy_timeout applies).
  const write = <A extends unknown[]>(fn: (...a: A) => boolean) => {
    const tx = db.transaction((...a: A) => {
      const changed = fn(...a);
      if (changed) q.bump.run();
      return changed;
    });
    return (...a: A): boolean => tx.immediate(...a);
  };
  const insert = write((r: Omit<TenantRow, 'version'>) => q.insert.run(r.id, r.sealed, r.keyId, r.createdAt, r.updatedAt).changes === 1);
  const update = write((id: string, sealed: string, keyId: string, v: number, now: number) => q.update.run(sealed, keyId, now, id, v).changes === 1);
  const remove = write((id: string) => {
    q.removeStates.run(id);
    return q.remove.run(id).changes === 1;
  });
  const setState = write((tenantId: string, helpdesk: string, state: { reason: string; at: number } | null) => {
    if (state) q.setState.run(tenantId, helpdesk, state.at, state.reason);
    else q.clearState.run(tenantId, helpdesk);
    return true;
  });
  return {
    revision: async () => revision(),
    load: async () => load(),
    loadOne: async (id) => {
      const r = q.one.get(id);
      return r ? toRow(r) : undefined;
    },
    insert: async (row) => insert(row),
    update: async (id, sealed, keyId, v, now) => update(id, sealed, keyId, v, now),
    remove: async (id) => remove(id),
    setState: async (tenantId, helpdesk, state) => void setState(tenantId, helpdesk, state),
  };
}
