/**
 * The worker through the helpdesk seam (issue 8): each job goes to its target's module, with one HelpdeskContext
 * and one rate-limit budget per account (`<helpdesk>:<tenantId>`); an accountWide verdict pauses that account
 * only; a module that cannot create dead-letters a target without an id; the transcript-fetch stage runs before
 * analysis and its failures get the common verdicts. Two fake modules stand in for real helpdesks.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { openSqliteStore } from '../../../server/store/store.ts';
import { AccountRateLimiter } from '../../../server/pipeline/rate-limiter.ts';
import { Worker, type CompleteTranscript } from '../../../server/pipeline/worker.ts';
import { classifyCommonFailure } from '../../../server/pipeline/retry-policy.ts';
import type { Config, TenantConfig } from '../../../server/config.ts';
import type { HelpdeskContext, HelpdeskModule, WriteInput } from '../../../server/helpdesks/helpdesk-module.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

class AccountRateLimited extends Error {}

interface FakeModule extends HelpdeskModule<{ ceiling: number }> {
  contexts: HelpdeskContext[];
  writes: WriteInput[];
  /** What the next writes do, in order; empty: succeed. */
  script: Array<Error>;
}

function fakeModule(name: string, extra: Partial<HelpdeskModule<{ ceiling: number }>> = {}): FakeModule {
  const m: FakeModule = {
    name,
    configSchema: { type: 'object' },
    parseConfig: (raw) => raw as { ceiling: number },
    targetFromGeneric: () => undefined,
    requestsPerWrite: 1,
    ceilingPerMinute: (c) => c.ceiling,
    readRateLimit: () => ({}),
    // Like Zendesk's 429: the whole account waits.
    classifyFailure: (err, now) =>
      err instanceof AccountRateLimited ? { action: 'retry', reason: `${name} 429`, notBeforeMs: 30_000, accountWide: true } : classifyCommonFailure(err, now),
    createWriter(config, ctx) {
      m.contexts.push(ctx);
      return {
        helpdesk: name,
        write: async (input) => {
          await ctx.acquire();
          m.writes.push(input);
          const next = m.script.shift();
          if (next) throw next;
          return { ref: { helpdesk: name, id: input.event.target.id ?? `new-${config.ceiling}` }, outcome: input.event.target.id ? 'updated' : 'created' };
        },
      };
    },
    contexts: [],
    writes: [],
    script: [],
    ...extra,
  };
  return m;
}

function httpError(status: number): AxiosError {
  const config = { method: 'get', url: '/conversations/42', headers: new AxiosHeaders() };
  const response = { status, statusText: '', headers: {}, data: {}, config } as unknown as AxiosResponse;
  return new AxiosError(`status ${status}`, 'ERR_BAD_RESPONSE', config, {}, response);
}

function setup(opts: { completeTranscript?: CompleteTranscript } = {}) {
  let now = 1_000_000;
  const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-seam-')), 'baton.sqlite'), () => now);
  const alpha = fakeModule('alpha');
  const beta = fakeModule('beta', { cannotCreate: 'beta cannot start a conversation: name one' });
  const modules = new Map<string, HelpdeskModule>([
    ['alpha', alpha as HelpdeskModule],
    ['beta', beta as HelpdeskModule],
  ]);
  const tenants = new Map<string, TenantConfig>([
    ['acme', { id: 'acme', helpdesks: { alpha: { ceiling: 50 }, beta: { ceiling: 7 } }, analysis: {} } as unknown as TenantConfig],
    ['globex', { id: 'globex', helpdesks: { alpha: { ceiling: 60 } }, analysis: {} } as unknown as TenantConfig],
  ]);
  const limiter = new AccountRateLimiter(
    (key) => {
      const [helpdesk, tenantId] = key.split(':') as [string, string];
      const section = tenants.get(tenantId)?.helpdesks[helpdesk] as { ceiling: number } | undefined;
      return section?.ceiling ?? 100;
    },
    () => now,
  );
  const analysed: HandoffEvent[] = [];
  const config = { worker: { concurrency: 8, pollMs: 10, leaseMs: 60_000, requestTimeoutMs: 1234, retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 10 } } } as unknown as Config;
  const worker = new Worker({
    config,
    store,
    logger: pino({ level: 'silent' }),
    tenants,
    limiter,
    modules: (name) => modules.get(name),
    ...(opts.completeTranscript ? { completeTranscript: opts.completeTranscript } : {}),
    analyze: (e) => {
      analysed.push(e);
      return { transcript: e.messages.map((m) => ({ role: m.role, text: m.text })) } as unknown as HandoffReport;
    },
    clock: () => now,
    random: () => 0,
  });
  const round = async (): Promise<void> => {
    await worker.claimRound();
    await worker.idle();
  };
  return { store, limiter, worker, alpha, beta, analysed, round, advance: (ms: number) => (now += ms) };
}

const to = (tenantId: string, id: string, helpdesk: string, targetId?: string, over: Partial<HandoffEvent> = {}): HandoffEvent =>
  testEvent(tenantId, id, { target: targetId === undefined ? { helpdesk } : { helpdesk, id: targetId }, ...over });

describe('worker through the helpdesk seam', () => {
  it("writes each job with its target's module, one context per account, and stores the ref the writer returned", async () => {
    const s = setup();
    const a = (await s.store.accept(to('acme', 'a1', 'alpha', '101'))).handoffId;
    const b = (await s.store.accept(to('acme', 'b1', 'beta', 'conv_9'))).handoffId;
    const g = (await s.store.accept(to('globex', 'g1', 'alpha'))).handoffId;
    await s.round();
    expect((await Promise.all([a, b, g].map((id) => s.store.getJob(id)))).map((j) => j?.state)).toEqual(['done', 'done', 'done']);
    expect(s.alpha.contexts.map((c) => [c.accountKey, c.tenantId, c.timeoutMs]).sort()).toEqual([
      ['alpha:acme', 'acme', 1234],
      ['alpha:globex', 'globex', 1234],
    ]);
    expect(s.beta.contexts.map((c) => c.accountKey)).toEqual(['beta:acme']);
    expect((await s.store.getReport(a))?.ref).toEqual({ helpdesk: 'alpha', id: '101' });
    expect((await s.store.getReportFor('acme', { helpdesk: 'beta', id: 'conv_9' }))?.handoffId).toBe(b);
    // The same id at another helpdesk is another object.
    expect(await s.store.getReportFor('acme', { helpdesk: 'alpha', id: 'conv_9' })).toBeUndefined();
    // globex's alpha section (ceiling 60) made its writer: a create got the id the module chose.
    expect((await s.store.getReport(g))?.ref).toEqual({ helpdesk: 'alpha', id: 'new-60' });
    // Each account spends its own budget, capped by the module's ceiling from the tenant's section.
    expect(s.limiter.limitFor('beta:acme')).toBe(7);
    expect(s.limiter.freeSlots('beta:acme')).toBe(6);
    expect(s.limiter.freeSlots('alpha:acme')).toBe(49);
  });

  it('dead-letters a target without an id at once, with the reason, when its helpdesk cannot create', async () => {
    const s = setup();
    const id = (await s.store.accept(to('acme', 'b2', 'beta'))).handoffId;
    await s.round();
    expect(await s.store.getJob(id)).toMatchObject({ state: 'dead', lastError: 'beta cannot start a conversation: name one' });
    expect(s.beta.writes).toHaveLength(0);
    expect(s.analysed).toHaveLength(0);
  });

  it('dead-letters a target at a helpdesk the tenant does not connect, or that no module serves', async () => {
    const s = setup();
    const notConnected = (await s.store.accept(to('globex', 'g2', 'beta', 'conv_1'))).handoffId;
    const unknown = (await s.store.accept(to('acme', 'x1', 'gamma', '1'))).handoffId;
    await s.round();
    expect(await s.store.getJob(notConnected)).toMatchObject({ state: 'dead', lastError: 'tenant has no beta configured' });
    expect(await s.store.getJob(unknown)).toMatchObject({ state: 'dead', lastError: 'no helpdesk module named "gamma"' });
  });

  it("pauses only the account an accountWide verdict names; the tenant's other helpdesk keeps delivering", async () => {
    const s = setup();
    s.alpha.script.push(new AccountRateLimited('429'));
    const a = (await s.store.accept(to('acme', 'a3', 'alpha', '7'))).handoffId;
    await s.round();
    expect(await s.store.getJob(a)).toMatchObject({ state: 'queued', lastError: 'alpha 429' });
    expect(s.limiter.waitFor('alpha:acme')).toBe(30_000);
    expect(s.limiter.waitFor('beta:acme')).toBe(0);
    expect(s.limiter.waitFor('alpha:globex')).toBe(0);
    const b = (await s.store.accept(to('acme', 'b3', 'beta', 'conv_2'))).handoffId;
    const g = (await s.store.accept(to('globex', 'g3', 'alpha', '8'))).handoffId;
    s.advance(1_000);
    await s.round();
    expect([(await s.store.getJob(b))?.state, (await s.store.getJob(g))?.state]).toEqual(['done', 'done']);
    // Not claimed while its account is paused.
    expect((await s.store.getJob(a))?.state).toBe('queued');
    expect(s.alpha.writes.filter((w) => w.handoffId === a)).toHaveLength(1);
    s.advance(30_000);
    await s.round();
    expect((await s.store.getJob(a))?.state).toBe('done');
  });

  it('completes a partial transcript before analysis; the completed event is analysed, written and stored scrubbed', async () => {
    const fetched: string[] = [];
    const s = setup({
      completeTranscript: async (event, tenant) => {
        fetched.push(`${tenant.id}:${event.id}`);
        return { ...event, transcriptComplete: true, messages: [{ role: 'bot', text: 'How can I help?' }, ...event.messages] };
      },
    });
    const partial = (await s.store.accept(to('acme', 'p1', 'alpha', '5', { transcriptComplete: false }))).handoffId;
    const complete = (await s.store.accept(to('acme', 'c1', 'alpha', '6'))).handoffId;
    await s.round();
    expect(fetched).toEqual(['acme:generic:p1']);
    expect(s.analysed.map((e) => e.messages.length).sort()).toEqual([1, 2]);
    expect(s.alpha.writes.find((w) => w.handoffId === partial)?.event.messages.map((m) => m.text)).toEqual(['How can I help?', 'hello']);
    expect(await s.store.getEvent(partial)).toMatchObject({ transcriptComplete: true, messages: [{ text: 'How can I help?' }, { text: 'hello' }], raw: null });
    expect((await s.store.getJob(complete))?.state).toBe('done');
  });

  it("gives a failed transcript fetch the common verdicts: 5xx or network retried, 404 dead-lettered, no account paused", async () => {
    const failures: unknown[] = [httpError(503), httpError(404)];
    const s = setup({
      completeTranscript: async (event) => {
        const err = failures.shift();
        if (err) throw err;
        return { ...event, transcriptComplete: true };
      },
    });
    const retried = (await s.store.accept(to('acme', 'p2', 'alpha', '5', { transcriptComplete: false }))).handoffId;
    await s.round();
    expect(await s.store.getJob(retried)).toMatchObject({ state: 'queued', lastError: 'transcript fetch: 503 on GET /conversations/42' });
    expect(s.limiter.waitFor('alpha:acme')).toBe(0);
    s.advance(100);
    await s.round();
    expect(await s.store.getJob(retried)).toMatchObject({ state: 'dead', lastError: expect.stringMatching(/^transcript fetch: 404 on GET \/conversations\/42/) });
    // Neither try reached analysis or the helpdesk.
    expect(s.analysed).toHaveLength(0);
    expect(s.alpha.writes).toHaveLength(0);
  });
});
