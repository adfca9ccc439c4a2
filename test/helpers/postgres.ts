/**
 * Postgres for tests (issue 10). Tests that need a server run when `BATON_DATABASE_URL` points at one, or on the
 * throwaway cluster postgres-global.setup.ts starts when the machine has PostgreSQL; skipped (with a warning) otherwise. Each test file takes its
 * own database, so files running in parallel never share tables.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

/**
 * The server to test against, or undefined when none is configured: BATON_DATABASE_URL as given to the test run,
 * which postgres-env.setup.ts moves to BATON_TEST_DATABASE_URL so spawned servers do not inherit it.
 */
export function postgresUrl(): string | undefined {
  const url = (process.env.BATON_TEST_DATABASE_URL || process.env.BATON_DATABASE_URL)?.trim();
  return url ? url : undefined;
}

/**
 * `describe` when a Postgres server is configured (named, or started by postgres-global.setup.ts); otherwise
 * `describe.skip`, which the global setup announces (and refuses under BATON_REQUIRE_POSTGRES=1, CI).
 */
export const describeIfPostgres: typeof describe = (postgresUrl() ? describe : describe.skip) as typeof describe;

export interface FreshDatabase {
  /** A URL naming the new database on the same server (same user, password and options). */
  url: string;
  name: string;
  /** Drops the database (ends any connection still open to it). */
  drop(): Promise<void>;
}

/** Creates a uniquely named, empty database on the configured server. */
export async function freshDatabase(prefix = 'baton_test'): Promise<FreshDatabase> {
  const base = postgresUrl();
  if (!base) throw new Error('freshDatabase: no Postgres server configured (BATON_DATABASE_URL)');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        // WITH (FORCE) ends sessions a test left open (Postgres 13+).
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
