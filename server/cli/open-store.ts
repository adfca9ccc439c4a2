/** The store file a CLI command works on: BATON_DATA_DIR (default ./data), like the server. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../store/store.ts';

export function openCliStore(): SqliteStore | undefined {
  const dbFile = resolve(process.env.BATON_DATA_DIR || './data', 'baton.sqlite');
  if (!existsSync(dbFile)) {
    process.stderr.write(`baton: no store at ${dbFile} (set BATON_DATA_DIR)\n`);
    return undefined;
  }
  return openSqliteStore(dbFile);
}
