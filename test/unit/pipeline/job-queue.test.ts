import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openSqliteStore } from '../../../server/store/store.ts';
import { ANALYSIS_INTERRUPTED } from '../../../server/store/job-queue.ts';
import { AccountRateLimiter } from '../../../server/pipeline/rate-limiter.ts';
import { Worker } from '../../../server/pipeline/worker.ts';
import type { Config, TenantConfig } from '../../../server/config.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

const event = (tenantId: string, id: string): HandoffEvent => testEvent(tenantId, id);

function tmpStore(clock: () => number) {
  return openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-jq-')), 'baton.sqlite'), clock);
}

describe('claiming across tenants', () => {
  it('takes one job per tenant in turn, and rotates who goes first when there is one slot', async () => {
    const now = 1_000;
    const store = tmpStore(() => now);
    const a = Array.from({ length: 5 }, (_, i) => store.accept(event('acme', `a${i}`)).handoffId);
    const g = store.accept(event('globex', 'g0')).handoffId;
    const i = store.accept(event('initech', 'i0')).handoffId;
    expect(store.claim(now, 5000, 4).map((j) => j.handoffId)).toEqual([a[0], g, i, a[1]]);
    const b = store.accept(event('globex', 'g1')).handoffId;
    // One slot: acme went first last time, so globex goes first now, then acme again.
    expect(store.claim(now, 5000, 1).map((j) => j.handoffId)).toEqual([b]);
    expect(store.claim(now, 5000, 1).map((j) => j.handoffId)).toEqual([a[2]]);
    await store.close();
  });

  it('gives each tenant no more jobs than its budget, and none at 0', async () => {
    const now = 1_000;
    const store = tmpStore(() => now);
    for (let k = 0; k < 5; k++) store.accept(event('acme', `a${k}`));
    const g = store.accept(event('globex', 'g0')).handoffId;
    const claimed = store.claim(now, 5000, 4, (t) => (t === 'acme' ? 0 : 1));
    expect(claimed.map((j) => j.handoffId)).toEqual([g]);
    expect(store.claim(now, 5000, 4, (t) => (t === 'acme' ? 2 : 0))).toHaveLength(2);
    await store.close();
  });

  it('a deferred job keeps its retry budget; tries drop back only when nothing can have been sent', async () => {
    const now = 1_000;
    const store = tmpStore(() => now);
    const id = store.accept(event('acme', 'a0')).handoffId;
    store.claim(now, 5000, 1);
    store.defer(id, now, 'waiting', false);
    expect(store.claim(now, 5000, 1)[0]).toMatchObject({ attempts: 1, tries: 1 });
    store.defer(id, now, 'waiting', true);
    expect(store.claim(now, 5000, 1)[0]).toMatchObject({ attempts: 1, tries: 2 });
    await store.close();
  });
});

describe('analysis tries', () => {
  it('are committed before analysis; an unfinished one reads as interrupted; a replay starts afresh', async () => {
    const now = 1_000;
    const store = tmpStore(() => now);
    const id = store.accept(event('acme', 'a0')).handoffId;
    store.claim(now, 5000, 1);
    expect(store.beginAnalysis(id)).toBe(1);
    store.releaseExpired(now, true); // the process died mid-analysis
    expect(store.claim(now, 5000, 1)[0]).toMatchObject({ analysisTries: 1, analysisError: ANALYSIS_INTERRUPTED });
    expect(store.beginAnalysis(id)).toBe(2);
    store.endAnalysis(id);
    store.release(id, now, 'write failed');
    expect(store.claim(now, 5000, 1)[0]).toMatchObject({ analysisTries: 0, analysisError: null });
    store.beginAnalysis(id);
    store.kill(id, 'x');
    expect(store.replay(id, now)).toBe(true);
    expect(store.claim(now, 5000, 1)[0]).toMatchObject({ analysisTries: 0 });
    await store.close();
  });

  it('a job whose analysis rejects 3 times is dead-lettered with the last reason; others are delivered', async () => {
    let now = 1_000;
    const store = tmpStore(() => now);
    const bad = store.accept(event('acme', 'bad')).handoffId;
    const good = store.accept(event('globex', 'good')).handoffId;
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
      worker.claimRound();
      await worker.idle();
      now += 1_000;
    }
    expect(store.getJob(good)?.state).toBe('done');
    expect(store.getJob(bad)).toMatchObject({ state: 'dead', lastError: 'analysis failed 3 times: worker thread exited with code 1' });
    await store.close();
  });
});
