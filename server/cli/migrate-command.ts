/**
 * `baton migrate`: applies the store's schema migrations and prints what it did, for operators who migrate before
 * deploying new replicas. Postgres (BATON_DATABASE_URL): the versioned migrations, in one transaction under an
 * advisory lock, so running it while replicas start is safe. SQLite (BATON_DATA_DIR): opening the store migrates
 * it, so this opens it, says so, and closes it (it does not take the server's data-directory lock).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { migratePostgres } from '../store/postgres/migrate.ts';
import { POSTGRES_MIGRATIONS } from '../store/postgres/migrations/index.ts';
import { describePgError } from '../store/postgres/pg-errors.ts';
import { MIGRATIONS } from '../store/schema.ts';
import { openSqliteStore } from '../store/store.ts';

const USAGE = `usage: baton migrate
  Applies pending schema migrations to the store and prints what it did.
  BATON_DATABASE_URL=postgres://…  the Postgres database (replicas); otherwise the SQLite file in BATON_DATA_DIR (default ./data).
`;

/** host:port/database of a connection string, never its user or password. */
export function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(unparseable BATON_DATABASE_URL)';
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.length) {
    process.stderr.write(`baton migrate: unexpected argument ${argv[0]}\n${USAGE}`);
    return 2;
  }
  const url = process.env.BATON_DATABASE_URL?.trim();
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {});
    try {
      const r = await migratePostgres(pool);
      const target = safeTarget(url);
      if (r.applied.length) for (const m of r.applied) process.stdout.write(`applied ${String(m.version).padStart(4, '0')}-${m.name} to postgres ${target}\n`);
      else process.stdout.write(`postgres ${target} is up to date (version ${r.current})\n`);
      if (r.current > POSTGRES_MIGRATIONS.length) process.stdout.write(`note: the database is at version ${r.current}, newer than this Baton knows (${POSTGRES_MIGRATIONS.length})\n`);
      return 0;
    } catch (err) {
      // The driver's messages name host and user at most, never the password; the URL itself is not printed.
      process.stderr.write(`baton migrate: postgres ${safeTarget(url)}: ${describePgError(err)}\n`);
      return 1;
    } finally {
      await pool.end().catch(() => {});
    }
  }
  const dbFile = resolve(process.env.BATON_DATA_DIR || './data', 'baton.sqlite');
  const existed = existsSync(dbFile);
  const store = await openSqliteStore(dbFile);
  try {
    const version = store.connection.pragma('user_version', { simple: true }) as number;
    process.stdout.write(
      `sqlite ${dbFile}: ${existed ? 'opened' : 'created'} and migrated to version ${version} of ${MIGRATIONS.length} (SQLite migrates whenever the store opens)\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
