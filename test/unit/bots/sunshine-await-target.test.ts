/**
 * Waiting targets (store migration 6 + the worker's await stage), which Sunshine handoffs use: a handoff whose
 * Zendesk ticket is created by Zendesk messaging waits — not failed, not creating a ticket — until the ticket is
 * bound to it, in either order of arrival; each binding serves one handoff; a handoff whose ticket never comes is
 * dead-lettered at `awaitUntil` with that reason. Real SQLite, a scripted clock, a fake Zendesk writer.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openSqliteStore } from '../../../server/store/store.ts';
import { AccountRateLimiter } from '../../../server/pipeline/rate-limiter.ts';
import { AWAIT_RECHECK_MS, Worker } from '../../../server/pipeline/worker.ts';
import type { Config, TenantConfig } from '../../../server/config.ts';
import type { WriteInput } from '../../../server/helpdesks/helpdesk-module.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

function setup() {
  let now = Date.parse('2026-11-20T10:35:00Z');
  const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-await-')), 'baton.sqlite'), () => now);
  const writes: WriteInput[] = [];
  const tenants = new Map<string, TenantConfig>([['acme', { id: 'acme', helpdesks: { zendesk: {} }, analysis: {} } as unknown as TenantConfig]]);
  const config = { worker: { concurrency: 4, pollMs: 10, leaseMs: 60_000, requestTimeoutMs: 1000, retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 10 } } } as unknown as Config;
  const afterAnalysis: string[] = [];
  const worker = new Worker({
    config,
    store,
    logger: pino({ level: 'silent' }),
    tenants,
    limiter: new AccountRateLimiter(() => 100, () => now),
    writerFor: () => ({
      helpdesk: 'zendesk',
      write: async (input) => {
        writes.push(input);
        if (input.event.target.id === undefined) throw new Error('the writer was asked to create a ticket');
        return { ref: { helpdesk: 'zendesk', id: input.event.target.id }, outcome: 'updated' };
      },
    }),
    afterAnalysis: async (_e, _r, _t, handoffId) => void afterAnalysis.push(handoffId),
    analyze: (e) => ({ transcript: e.messages.map((m) => ({ role: m.role, text: m.text })) }) as unknown as HandoffReport,
    clock: () => now,
    random: () => 0,
  });
  const round = async () => {
    await worker.claimRound();
    await worker.idle();
  };
  const waiting = async (id: string, conversation = 'conv_1', receivedAt = new Date(now).toISOString(), minutes = 30) =>
    (await store.accept(
      testEvent('acme', id, {
        source: 'sunshine',
        receivedAt,
        target: { helpdesk: 'zendesk', awaitKey: `conversation:${conversation}`, awaitUntil: new Date(Date.parse(receivedAt) + minutes * 60_000).toISOString() },
      }),
    )).handoffId;
  return { store, worker, writes, afterAnalysis, round, waiting, advance: (ms: number) => (now += ms), now: () => now };
}

describe('a handoff waiting for the helpdesk to create its object', () => {
  it('waits without spending its retries, then is written to the bound ticket once the webhook binds it', async () => {
    const s = setup();
    const id = await s.waiting('w1');
    await s.round();
    expect(await s.store.getJob(id)).toMatchObject({ state: 'queued', attempts: 0, lastError: 'waiting for the zendesk object of conversation:conv_1' });
    expect((await s.store.getJob(id))!.runAfter).toBe(s.now() + AWAIT_RECHECK_MS);
    expect(s.writes).toEqual([]);
    // The bot step ran (relay's pass), before the wait.
    expect(s.afterAnalysis).toEqual([id]);
    // Zendesk's webhook: the ticket is bound and the job woken at once (not at the next recheck).
    s.advance(1000);
    expect(await s.store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '40001', awaitKey: 'conversation:conv_1' }, s.now())).toEqual({ bound: true, woken: 1 });
    await s.round();
    expect((await s.store.getJob(id))!.state).toBe('done');
    expect(s.writes.map((w) => w.event.target.id)).toEqual(['40001']);
    expect((await s.store.getReport(id))!.ref).toEqual({ helpdesk: 'zendesk', id: '40001' });
  });

  it('takes a ticket bound before it arrived; a later handoff of the same conversation waits for its own ticket', async () => {
    const s = setup();
    await s.store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '40001', awaitKey: 'conversation:conv_2' }, s.now());
    s.advance(2000);
    const first = await s.waiting('f1', 'conv_2');
    await s.round();
    expect((await s.store.getJob(first))!.state).toBe('done');
    s.advance(3600_000);
    const second = await s.waiting('f2', 'conv_2');
    await s.round();
    expect((await s.store.getJob(second))!.state).toBe('queued');
    await s.store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '40002', awaitKey: 'conversation:conv_2' }, s.now());
    await s.round();
    expect(s.writes.map((w) => w.event.target.id)).toEqual(['40001', '40002']);
  });

  it('binds by Baton handoff id (relay fills that ticket field) even while another handoff waits on the conversation', async () => {
    const s = setup();
    const a = await s.waiting('h1', 'conv_3');
    const b = await s.waiting('h2', 'conv_3');
    await s.round();
    expect((await s.store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '40009', handoffId: b }, s.now())).bound).toBe(true);
    expect((await s.store.bindTarget({ tenantId: 'other', helpdesk: 'zendesk', refId: '1', handoffId: a }, s.now())).bound).toBe(false);
    await s.round();
    expect((await s.store.getJob(b))!.state).toBe('done');
    expect((await s.store.getJob(a))!.state).toBe('queued');
    expect(s.writes.map((w) => [w.handoffId, w.event.target.id])).toEqual([[b, '40009']]);
  });

  it('waits before fetching and analysing when nothing needs doing until the ticket exists (note mode)', async () => {
    const s = setup();
    const id = (await s.store.accept(
      testEvent('acme', 'n1', { source: 'sunshine', target: { helpdesk: 'zendesk', awaitKey: 'conversation:conv_5', awaitUntil: new Date(s.now() + 600_000).toISOString(), awaitBeforeAnalysis: true } }),
    )).handoffId;
    await s.round();
    s.advance(AWAIT_RECHECK_MS);
    await s.round();
    expect(s.afterAnalysis).toEqual([]);
    expect(await s.store.getJob(id)).toMatchObject({ state: 'queued', attempts: 0 });
    await s.store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '40005', awaitKey: 'conversation:conv_5' }, s.now());
    await s.round();
    expect(s.afterAnalysis).toEqual([id]);
    expect(s.writes.map((w) => w.event.target.id)).toEqual(['40005']);
  });

  it('is dead-lettered with the reason when no ticket comes before awaitUntil', async () => {
    const s = setup();
    const id = await s.waiting('d1', 'conv_4', undefined, 2);
    for (let i = 0; i < 4 && (await s.store.getJob(id))!.state === 'queued'; i++) {
      await s.round();
      s.advance(AWAIT_RECHECK_MS);
    }
    expect(await s.store.getJob(id)).toMatchObject({ state: 'dead', lastError: 'no zendesk object was created for conversation:conv_4 by 2026-11-20T10:37:00.000Z' });
    expect(s.writes).toEqual([]);
  });
});
