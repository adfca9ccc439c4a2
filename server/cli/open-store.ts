/**
 * The store a CLI command works on, like the server's: the Postgres database when BATON_DATABASE_URL is set,
 * else the SQLite file in BATON_DATA_DIR (default ./data). CLI commands run beside a live server, so they never
 * take the data-directory lock.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Store } from '../store/store.ts';
import { openStore } from '../store/open-store.ts';

export async function openCliStore(): Promise<Store | undefined> {
  const databaseUrl = process.env.BATON_DATABASE_URL?.trim();
  const dbFile = resolve(process.env.BATON_DATA_DIR || './data', 'baton.sqlite');
  if (!databaseUrl && !existsSync(dbFile)) {
    process.stderr.write(`baton: no store at ${dbFile} (set BATON_DATA_DIR, or BATON_DATABASE_URL for Postgres)\n`);
    return undefined;
  }
  return openStore({ dbFile, durability: 'normal', ...(databaseUrl ? { databaseUrl, databasePoolMax: 2 } : {}) }, { processLock: false });
}
