/**
 * One Baton server per data directory. At start-up the worker takes back every job left `running`, which is
 * only right if no other process is delivering from the same SQLite file, so a second server must refuse to
 * start rather than write handoffs twice.
 *
 * The lock is an open SQLite transaction holding an EXCLUSIVE lock on `baton.lock`. The kernel drops it when the
 * process dies, even on `kill -9`, so no stale lock file is ever left behind. A pid file would be. SQLite also
 * keeps it exclusive between two connections in one process (https://www.sqlite.org/lockingv3.html).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

export interface ProcessLock {
  release(): void;
}

export function acquireProcessLock(dataDir: string): ProcessLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'baton.lock');
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY')
      throw new DataDirInUseError(`another Baton server is already using the data directory ${dataDir} (its ${file} is locked)`);
    throw err;
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
