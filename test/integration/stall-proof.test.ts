/**
 * Issue 7 item 1, end to end: the reported attack (customer messages of ~20 KB of `a.a.a…@x`, ~1 MB signed)
 * was answered 202 and then blocked the event loop for 96 s, so /healthz and every tenant's webhooks hung.
 * Now analysis runs in a worker-thread pool with a time budget: while the hostile handoff is analysed the
 * server keeps answering, another tenant's handoff is delivered, and the hostile one is delivered too
 * (in full, or degraded when over budget, and then it says so).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    extra: {
      worker: { concurrency: 4, pollMs: 20, leaseMs: 5000, requestTimeoutMs: 2000, analysisThreads: 1, analysisBudgetMs: 100, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

function hostileBody(id: string): string {
  const messages = Array.from({ length: 45 }, (_, i) => ({ role: 'customer', text: `${i} ${'a.'.repeat(10_000)}@x` }));
  return JSON.stringify({ id, conversation: { id: `conv_${id}` }, messages, ticket: { id: 35436 } });
}

describe('a hostile handoff cannot stall the server', () => {
  it('keeps /healthz and another tenant answering, and delivers both handoffs', async () => {
    const hostile = await h.post('acme', hostileBody('evt_hostile_1'));
    expect(hostile.status).toBe(202);
    const { handoffId: hostileId } = (await hostile.json()) as { handoffId: string };

    // While the worker analyses the hostile handoff, the event loop is free: health and webhooks answer.
    const health = await Promise.all(Array.from({ length: 20 }, () => fetch(`${h.baton.url}/healthz`).then((r) => r.status)));
    expect(health.every((s) => s === 200)).toBe(true);
    const other = await h.post(
      'globex',
      JSON.stringify({ id: 'evt_globex_1', conversation: { id: 'conv_g1' }, messages: [{ role: 'customer', text: 'I need a human please' }], ticket: { id: 35437 } }),
    );
    expect(other.status).toBe(202);
    const { handoffId: otherId } = (await other.json()) as { handoffId: string };

    await h.waitFor(async () => (await h.baton.store.getJob(otherId))?.state === 'done', 'the other tenant delivered', 30_000);
    await h
      .waitFor(async () => (await h.baton.store.getJob(hostileId))?.state === 'done', 'the hostile handoff delivered', 30_000)
      .catch(async (err: Error) => {
        throw new Error(`${err.message}; job: ${JSON.stringify(await h.baton.store.getJob(hostileId))}`);
      });
    const report = (await h.baton.store.getReport(hostileId))?.report;
    expect(report).toBeDefined();
    expect(report?.keyFacts.filter((f) => f.kind === 'email')).toEqual([]);
    // Either analysed in full within budget or degraded, and then marked so.
    if (report?.cuts?.degraded) expect(report.cuts.degraded.reason).toBe('time_budget');
  });
});
