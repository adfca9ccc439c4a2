/** The Store contract on the SQLite store (always runs). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/store.ts';
import { storeContract } from './store-contract.ts';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-contract-'));
  return {
    open: async (clock) => openSqliteStore(join(dir, 'baton.sqlite'), clock),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
