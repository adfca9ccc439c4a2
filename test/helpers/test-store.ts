/**
 * Which store the Batons a test starts run on (issue 10: "every test green on both stores").
 *
 * Default: SQLite in the test's temp data directory. `BATON_TEST_STORE=postgres` (with BATON_DATABASE_URL or
 * BATON_TEST_DATABASE_URL naming a server): every Baton the harnesses start, in-process or as a child, gets a
 * FRESH database of its own (freshDatabase), dropped when that Baton closes. Tests about SQLite itself (file
 * bytes, the data-directory lock, page limits, old files) force SQLite with `store: 'sqlite'` / `sqliteOnly`.
 */
import type { Config } from '../../server/config.ts';
import { startBaton, type BatonInstance, type StartOptions } from '../../server/start.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Store } from '../../server/store/store.ts';
import { freshDatabase, postgresUrl } from './postgres.ts';

export type TestStoreKind = 'sqlite' | 'postgres';

/** True when this run puts every Baton on Postgres. */
export const pgMode: boolean = (() => {
  const want = process.env.BATON_TEST_STORE?.trim().toLowerCase();
  if (!want || want === 'sqlite') return false;
  if (want !== 'postgres') throw new Error(`BATON_TEST_STORE must be "sqlite" or "postgres", not "${want}"`);
  if (!postgresUrl()) throw new Error('BATON_TEST_STORE=postgres needs BATON_DATABASE_URL (scripts/ci/postgres-cluster.sh start)');
  return true;
})();

/** The store a test gets: SQLite when it asks for SQLite (a test about SQLite itself), else the run's. */
export function testStoreKind(force?: TestStoreKind): TestStoreKind {
  return force ?? (pgMode ? 'postgres' : 'sqlite');
}

export interface TestDatabase {
  /** Env for a child Baton or CLI: `{ BATON_DATABASE_URL }` on Postgres, `{}` on SQLite. */
  env: Record<string, string>;
  /** The URL on Postgres, undefined on SQLite. */
  databaseUrl: string | undefined;
  /** Drops the database (Postgres); nothing on SQLite. Call after the Baton using it has stopped. */
  drop(): Promise<void>;
}

/** A fresh database for one Baton in Postgres mode; nothing (its data directory's SQLite file) otherwise. */
export async function testDatabase(force?: TestStoreKind): Promise<TestDatabase> {
  if (testStoreKind(force) === 'sqlite') return { env: {}, databaseUrl: undefined, drop: async () => {} };
  const db = await freshDatabase('baton_suite');
  return { env: { BATON_DATABASE_URL: db.url }, databaseUrl: db.url, drop: () => db.drop() };
}

/**
 * startBaton on the run's store: in Postgres mode the config gets a fresh database (unless it already names
 * one: a test sharing a database between replicas), dropped after the Baton closes.
 */
export async function startTestBaton(config: Readonly<Config>, opts: StartOptions = {}, force?: TestStoreKind): Promise<BatonInstance> {
  if (config.databaseUrl || testStoreKind(force) === 'sqlite') return startBaton(config, opts);
  const db = await testDatabase(force);
  let baton: BatonInstance;
  try {
    baton = await startBaton({ ...config, databaseUrl: db.databaseUrl }, opts);
  } catch (err) {
    await db.drop();
    throw err;
  }
  const close = baton.close.bind(baton);
  let closing: Promise<void> | undefined;
  baton.close = () =>
    (closing ??= (async () => {
      try {
        await close();
      } finally {
        await db.drop();
      }
    })());
  return baton;
}

/**
 * The store a child Baton (spawned with `db.env`) writes to, opened beside it: its database on Postgres, else
 * the SQLite file `dbFile` without the data-directory lock (the child holds it).
 */
export function openTestStore(db: TestDatabase, dbFile: string): Promise<Store> {
  return openStore({ dbFile, durability: 'normal', ...(db.databaseUrl ? { databaseUrl: db.databaseUrl, databasePoolMax: 2 } : {}) }, { processLock: false });
}

/**
 * A store for a test that builds routes over one itself (no Baton): the SQLite file `dbFile`, or in the Postgres
 * pass a fresh database, dropped when the store is closed.
 */
export async function openSuiteStore(dbFile: string, force?: TestStoreKind): Promise<Store> {
  const db = await testDatabase(force);
  const store = await openTestStore(db, dbFile);
  if (!db.databaseUrl) return store;
  const close = store.close.bind(store);
  store.close = async () => {
    try {
      await close();
    } finally {
      await db.drop();
    }
  };
  return store;
}
