/**
 * `baton dead-letters [list] [--tenant ID]` lists handoffs whose helpdesk write failed for good, with the reason;
 * `baton dead-letters replay HANDOFF_ID…` queues them again (a running Baton picks them up at its next poll).
 * Works on the store directly (the SQLite file in BATON_DATA_DIR, or Postgres at BATON_DATABASE_URL), so it needs no admin token.
 */
import { openCliStore } from './open-store.ts';

export async function run(argv: string[]): Promise<number> {
  const store = await openCliStore();
  if (!store) return 1;
  try {
    const [sub = 'list', ...rest] = argv;
    if (sub === 'list') {
      const t = rest.indexOf('--tenant');
      const tenantId = t >= 0 ? rest[t + 1] : undefined;
      const jobs = await store.listJobs({ state: 'dead', ...(tenantId ? { tenantId } : {}), limit: 500 });
      if (rest.includes('--json')) process.stdout.write(`${JSON.stringify(jobs)}\n`);
      else if (!jobs.length) process.stdout.write('No dead-lettered handoffs.\n');
      else
        for (const j of jobs)
          process.stdout.write(`${j.handoffId}  tenant=${j.tenantId}  event=${j.eventId}  attempts=${j.attempts}  ${new Date(j.updatedAt).toISOString()}\n    ${j.lastError ?? ''}\n`);
      return 0;
    }
    if (sub === 'replay') {
      if (!rest.length) {
        process.stderr.write('usage: baton dead-letters replay HANDOFF_ID…\n');
        return 2;
      }
      let failed = 0;
      for (const id of rest) {
        const ok = await store.replay(id, Date.now());
        process.stdout.write(ok ? `${id}: queued again\n` : `${id}: not a dead-lettered handoff\n`);
        if (!ok) failed++;
      }
      return failed ? 1 : 0;
    }
    process.stderr.write('usage: baton dead-letters [list [--tenant ID] [--json] | replay HANDOFF_ID…]\n');
    return 2;
  } finally {
    await store.close();
  }
}
