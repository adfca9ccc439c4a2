/**
 * The rows behind the tenant registry, on whichever store Baton runs (SQLite or Postgres): each tenant's sealed
 * document, the per-helpdesk disconnected state, and a revision counter every write bumps in the same
 * transaction, so another process (a replica, the CLI) notices a change by reading one row.
 */
import type pg from 'pg';
import type { SqliteStore, Store } from '../store/store.ts';
import { openSqliteTenantStore } from './sqlite-tenant-store.ts';
import { ensurePostgresTenantTables, openPostgresTenantStore } from './postgres-tenant-store.ts';

export interface TenantRow {
  id: string;
  /** The tenant document, sealed by secret-box.ts with the tenant id as context. */
  sealed: string;
  keyId: string;
  /** Bumped by every update: updates are compare-and-set on it. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface HelpdeskStateRow {
  tenantId: string;
  helpdesk: string;
  reason: string;
  disconnectedAt: number;
}

export interface TenantSnapshot {
  revision: number;
  tenants: TenantRow[];
  states: HelpdeskStateRow[];
}

export interface TenantStore {
  revision(): Promise<number>;
  load(): Promise<TenantSnapshot>;
  loadOne(id: string): Promise<TenantRow | undefined>;
  /** False when the id is taken. */
  insert(row: Omit<TenantRow, 'version'>): Promise<boolean>;
  /** False when the row is gone or its version is no longer `expectedVersion` (someone else wrote first). */
  update(id: string, sealed: string, keyId: string, expectedVersion: number, now: number): Promise<boolean>;
  /** Deletes the tenant and its helpdesk state; false when there was no such tenant. */
  remove(id: string): Promise<boolean>;
  /** `null` clears the disconnected state. */
  setState(tenantId: string, helpdesk: string, state: { reason: string; at: number } | null): Promise<void>;
}

/** The tenant rows of this store: its SQLite connection or its Postgres pool (tables made sure of, idempotently). */
export async function openTenantStore(store: Store): Promise<TenantStore> {
  if (store.kind === 'sqlite') return openSqliteTenantStore((store as SqliteStore).connection);
  const { pool } = store as Store & { readonly pool: pg.Pool };
  await ensurePostgresTenantTables(pool);
  return openPostgresTenantStore(pool);
}
