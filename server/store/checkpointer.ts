/**
 * Runs SQLite WAL checkpoints on a worker thread with its own connection. A checkpoint copies the WAL into the
 * database and fsyncs; better-sqlite3 is synchronous, so doing that on the main connection (auto-checkpoint)
 * stalls every request queued behind it. PASSIVE checkpoints never block the writer
 * (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html), and the main connection keeps a large auto-checkpoint
 * only as a backstop in case this thread falls behind.
 * This thread never takes the write lock (a TRUNCATE here would; the store truncates on its own connection).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// Plain CommonJS evaluated in the worker: no TypeScript loader needed there.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('secure_delete = ON');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next tick */ }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.postMessage('stopped'); }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 1000): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver: require.resolve('better-sqlite3') } });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => resolve();
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.once('error', done);
        worker.once('exit', done);
        worker.postMessage('stop');
      }),
  };
}
