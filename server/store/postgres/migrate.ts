/**
 * Applies the Postgres migrations (migrations/index.ts) in ONE transaction under a transaction-scoped advisory
 * lock, so replicas starting together queue behind the first and then find nothing left to do. Each applied
 * version is recorded in `baton_migrations`. Advisory locks are per database, so tests on separate databases of
 * one server do not wait on each other (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
 */
import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from './migrations/index.ts';

/** The advisory-lock key every Baton replica takes while migrating ("baton" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x626174_6f6e;

export interface MigrationResult {
  /** Versions applied by this call (empty when another replica, or an earlier start, had applied them). */
  applied: Array<{ version: number; name: string }>;
  /** The highest version recorded after the call. */
  current: number;
}

type Migration = { version: number; name: string; sql: string };

export async function migratePostgres(
  pool: pg.Pool,
  clock: () => number = Date.now,
  migrations: ReadonlyArray<Migration> = POSTGRES_MIGRATIONS,
): Promise<MigrationResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // While checked out the client has no pool listener: a dropped connection must not become an uncaught 'error'.
  const onError = (err: Error): void => {
    broken ??= err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    try {
      // Waiting behind another replica's migration, or migrating a large table, may take longer than the pool's
      // statement timeout allows for ordinary statements.
      await client.query('SET LOCAL statement_timeout = 0');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS baton_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM baton_migrations')).rows.map((r) => r.version));
      const applied: MigrationResult['applied'] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO baton_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, clock()]);
        applied.push({ version: m.version, name: m.name });
        done.add(m.version);
      }
      await client.query('COMMIT');
      return { applied, current: Math.max(0, ...done) };
    } catch (err) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e as Error;
      });
      throw err;
    }
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
