/**
 * The worker and the SQLite store together: analysis tries end in a dead letter. The store's own claim, budget,
 * deferral and analysis-try cases are in the contract suite (test/contract/store-contract.ts), on every store.
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
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

const event = (tenantId: string, id: string): HandoffEvent => testEvent(tenantId, id);

function tmpStore(clock: () => number) {
  return openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-jq-')), 'baton.sqlite'), clock);
}

describe('analysis tries with the worker', () => {
  it('a job whose analysis rejects 3 times is dead-lettered with the last reason; others are delivered', async () => {
    let now = 1_000;
    const store = await tmpStore(() => now);
    const bad = (await store.accept(event('acme', 'bad'))).handoffId;
    const good = (await store.accept(event('globex', 'good'))).handoffId;
    const config = { worker: { concurrency: 2, pollMs: 10, leaseMs: 60_000, retry: { maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 10 } } } as unknown as Config;
    const tenants = new Map(['acme', 'globex'].map((t) => [t, { id: t, analysis: {} } as unknown as TenantConfig]));
    const worker = new Worker({
      config,
      store,
      logger: pino({ level: 'silent' }),
      tenants,
      limiter: new AccountRateLimiter(() => 100, () => now),
      writerFor: () => ({ helpdesk: 'zendesk', write: async () => ({ ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'created' as const }) }),
      // Like the pool when its worker thread crashes.
      analyze: async (e) => (e.id === 'generic:bad' ? Promise.reject(new Error('worker thread exited with code 1')) : ({ transcript: [] }) as never),
      clock: () => now,
      random: () => 0,
    });
    for (let round = 0; round < 6; round++) {
      await worker.claimRound();
      await worker.idle();
      now += 1_000;
    }
    expect((await store.getJob(good))?.state).toBe('done');
    expect(await store.getJob(bad)).toMatchObject({ state: 'dead', lastError: 'analysis failed 3 times: worker thread exited with code 1' });
    await store.close();
  });
});
