/**
 * Which store Baton runs on (issue 10): Postgres when `databaseUrl` (BATON_DATABASE_URL) is set, so several
 * replicas can share it; otherwise the embedded SQLite file in the data directory, as before.
 *
 * SQLite: the server takes the data-directory lock first (process-lock.ts: at start-up the worker takes back every
 * running job, which is only right when no other process delivers from the same file); closing the store
 * releases it. Postgres needs no lock: a replica takes back only its own jobs and expired leases.
 */
import { dirname } from 'node:path';
import type { Config } from '../config.ts';
import { openSqliteStore, type Store } from './store.ts';
import { acquireProcessLock } from './process-lock.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';

export type StoreConfig = Pick<Config, 'dbFile' | 'durability'> & {
  /** postgres://user:password@host:port/database (BATON_DATABASE_URL); unset → SQLite. */
  databaseUrl?: string;
  /** Pool size per replica (BATON_DATABASE_POOL_MAX, default 10). */
  databasePoolMax?: number;
};

export interface OpenStoreOptions {
  clock?: () => number;
  /** Take SQLite's data-directory lock (the server: true, the default; CLI commands working beside it: false). */
  processLock?: boolean;
  /** Postgres lease-owner id (default BATON_REPLICA_ID, else random per process). */
  replicaId?: string;
}

export async function openStore(config: StoreConfig, opts: OpenStoreOptions = {}): Promise<Store> {
  const clock = opts.clock ?? Date.now;
  if (config.databaseUrl) {
    return openPostgresStore(config.databaseUrl, {
      clock,
      ...(config.databasePoolMax !== undefined ? { poolMax: config.databasePoolMax } : {}),
      ...(opts.replicaId !== undefined ? { replicaId: opts.replicaId } : {}),
    });
  }
  // Before anything touches the file (see above); released when the store closes.
  const lock = opts.processLock === false ? undefined : acquireProcessLock(dirname(config.dbFile));
  let store: Store;
  try {
    store = await openSqliteStore(config.dbFile, clock, { durability: config.durability });
  } catch (err) {
    lock?.release();
    throw err;
  }
  if (!lock) return store;
  const close = store.close.bind(store);
  store.close = async () => {
    try {
      await close();
    } finally {
      lock.release();
    }
  };
  return store;
}
