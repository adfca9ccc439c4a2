/**
 * `baton purge --before <ISO date>` deletes finished (done or dead-lettered) handoffs received before that
 * date, with their reports, deliveries and feedback, and prints the counts. Queued and running jobs stay.
 * Works on the store directly (the SQLite file in BATON_DATA_DIR, or Postgres at BATON_DATABASE_URL); the server does the same hourly (retentionDays).
 */
import { parseArgs } from 'node:util';
import { openCliStore } from './open-store.ts';

const USAGE = 'usage: baton purge --before <ISO date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z>\n';

export async function run(argv: string[]): Promise<number> {
  let before: string | undefined;
  try {
    ({ before } = parseArgs({ args: argv, options: { before: { type: 'string' } }, strict: true }).values);
  } catch (err) {
    process.stderr.write(`baton purge: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const cutoff = before !== undefined && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(before) ? Date.parse(before) : NaN;
  if (!Number.isFinite(cutoff)) {
    process.stderr.write(`baton purge: --before must be an ISO date${before === undefined ? '' : ` (got "${before}")`}\n${USAGE}`);
    return 2;
  }
  const store = await openCliStore();
  if (!store) return 1;
  try {
    const c = await store.purgeBefore(cutoff);
    process.stdout.write(
      `Deleted handoffs finished before ${new Date(cutoff).toISOString()}: events=${c.events} jobs=${c.jobs} reports=${c.reports} deliveries=${c.deliveries} feedback=${c.feedback}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
