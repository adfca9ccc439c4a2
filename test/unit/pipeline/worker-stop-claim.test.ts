/**
 * Worker.stop() and a claim already sent: on an asynchronous store (Postgres: a network round trip) the claim can
 * return a job leased to this process after stop() began. stop() waits for that claim, so the job is handed back
 * with the others instead of staying 'running' until its lease runs out (found by the crash-recovery SIGTERM test
 * in the Postgres pass, BATON_TEST_STORE=postgres). The round trip is a gate on a real SQLite store's claim.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openSqliteStore } from '../../../server/store/store.ts';
import { AccountRateLimiter } from '../../../server/pipeline/rate-limiter.ts';
import { Worker } from '../../../server/pipeline/worker.ts';
import type { Config, TenantConfig } from '../../../server/config.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('Worker.stop() during a claim', () => {
  it('hands back a job the claim in flight returns after stop() began', async () => {
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-stop-claim-')), 'baton.sqlite'));
    const { handoffId } = await store.accept(testEvent('acme', 'stop1', { target: { helpdesk: 'zendesk', id: '101' } }));

    const claimSent = gate();
    const claimAnswer = gate();
    const realClaim = store.claim.bind(store);
    store.claim = async (...args: Parameters<typeof realClaim>) => {
      claimSent.open();
      await claimAnswer.promise;
      return realClaim(...args);
    };
    // The job stays in flight (its analysis waits) until the test lets it go, so only stop() can hand it back.
    const analysis = gate();
    const tenants = new Map<string, TenantConfig>([['acme', { id: 'acme', helpdesks: { zendesk: {} }, analysis: {} } as unknown as TenantConfig]]);
    const config = { worker: { concurrency: 2, pollMs: 10, leaseMs: 60_000, requestTimeoutMs: 1000, retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 10 } } } as unknown as Config;
    const worker = new Worker({
      config,
      store,
      logger: pino({ level: 'silent' }),
      tenants,
      limiter: new AccountRateLimiter(() => 100),
      writerFor: () => ({ helpdesk: 'zendesk', write: async () => ({ ref: { helpdesk: 'zendesk', id: '101' }, outcome: 'updated' }) }),
      analyze: async (e) => {
        await analysis.promise;
        return { transcript: e.messages.map((m) => ({ role: m.role, text: m.text })) } as unknown as HandoffReport;
      },
    });

    await worker.start();
    await claimSent.promise;
    const stopping = worker.stop(20);
    claimAnswer.open();
    await stopping;
    try {
      expect((await store.getJob(handoffId))?.state).toBe('queued');
      expect((await store.getJob(handoffId))?.lastError).toBe('released at shutdown');
    } finally {
      analysis.open();
      await worker.idle();
      await store.close();
    }
  });
});
