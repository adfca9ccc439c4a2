/**
 * The analysis pool runs analyze() in worker threads with a time budget: a handoff that would stall the
 * analysis (scripted here as an endless loop in the worker) comes back as a degraded report while the main
 * event loop keeps serving HTTP. No timed assertions: the budget firing is observed by its result, and the
 * main thread's liveness by counting setImmediate turns and answered requests while the worker spins.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/analysis/index.ts';
import { AnalysisFailedError, createAnalysisPool, type AnalysisPool } from '../../../server/pipeline/analysis-pool.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import { eventOf } from './helpers.ts';

const SCRIPTED = new URL('./fixtures/scripted-analysis-worker.mjs', import.meta.url);

function conversation(id: string, n = 60): HandoffEvent {
  const messages = Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? { role: 'customer' as const, text: `I was charged twice for order #A1002${i}, my card 4111 1111 1111 1111 was billed ${i} times!` }
      : { role: 'bot' as const, text: 'Here is how to request a refund: https://help.example.com/refunds' },
  );
  return eventOf(messages, { id: `generic:${id}`, conversation: { nativeId: id, locale: 'en-US' } });
}

describe('analysis pool (real worker threads)', () => {
  let pool: AnalysisPool;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    pool = createAnalysisPool({ threads: 1, budgetMs: 1500, degradedBudgetMs: 1500, workerUrl: SCRIPTED });
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await pool.close();
    await new Promise((r) => server.close(r));
  });

  it('returns the same report as analyze() on the main thread', async () => {
    const ev = conversation('plain');
    expect(await pool.analyze(ev)).toEqual(analyze(ev));
  });

  it('over budget: the worker is cut off, a degraded report comes back, and the main loop kept serving', async () => {
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const pending = pool.analyze(conversation('loop'));
    // While the worker loops, the main thread answers HTTP requests one after another.
    let answered = 0;
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled && answered < 1000) {
      const res = await fetch(url);
      if ((await res.text()) === 'ok') answered++;
    }
    const report = await pending;
    spinning = false;
    expect(report.cuts?.degraded).toEqual({ reason: 'time_budget', skipped: ['key_facts', 'attempted_solutions'] });
    expect(report.keyFacts).toEqual([]);
    expect(report.transcript.length).toBeLessThanOrEqual(41);
    expect(report.cuts?.messagesDropped).toBe(20);
    // Redaction still ran in the degraded form.
    expect(JSON.stringify(report)).not.toContain('4111 1111 1111 1111');
    expect(answered).toBeGreaterThan(0);
    expect(turns).toBeGreaterThan(answered);
    // The pool replaced the terminated worker: the next handoff is analysed in full.
    const next = await pool.analyze(conversation('after'));
    expect(next.cuts).toBeUndefined();
    expect(next.keyFacts.length).toBeGreaterThan(0);
  });

  it('a full analysis that throws or kills its thread falls back to the degraded form (analysis_failed)', async () => {
    for (const id of ['throw', 'exit']) {
      const report = await pool.analyze(conversation(id));
      expect(report.cuts?.degraded?.reason, id).toBe('analysis_failed');
    }
  });

  it('rejects with a clear error when the degraded analysis fails too', async () => {
    await expect(pool.analyze(conversation('loop-always'))).rejects.toMatchObject({ name: 'AnalysisFailedError', kind: 'timeout' });
    const crash = await pool.analyze(conversation('exit-always')).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(AnalysisFailedError);
    expect((crash as AnalysisFailedError).kind).toBe('crash');
    expect((crash as Error).message).toMatch(/generic:exit-always.*degraded form failed/);
  });

  it('gives the degraded analysis its own budget, so a tight full-analysis budget does not doom the fallback', async () => {
    // Full analysis loops past 300 ms; the degraded one takes 1 s, over 300 ms but within its default 10 s.
    const tight = createAnalysisPool({ threads: 1, budgetMs: 300, workerUrl: SCRIPTED });
    try {
      const report = await tight.analyze(conversation('loop-slowfallback'));
      expect(report.cuts?.degraded?.reason).toBe('time_budget');
    } finally {
      await tight.close();
    }
  });

  it('the default worker entry loads the TypeScript analysis (as under vitest and tsx)', async () => {
    const real = createAnalysisPool({ threads: 1 });
    try {
      const ev = conversation('default-entry', 4);
      expect(await real.analyze(ev)).toEqual(analyze(ev));
    } finally {
      await real.close();
    }
    await expect(real.analyze(conversation('closed', 2))).rejects.toMatchObject({ kind: 'closed' });
  });
});
