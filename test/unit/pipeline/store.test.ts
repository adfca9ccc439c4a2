import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../server/store/store.ts';
import { MIGRATIONS } from '../../../server/store/schema.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

const event = (tenantId: string, id: string, ticketId?: number): HandoffEvent =>
  testEvent(tenantId, id, { target: { helpdesk: 'zendesk', ...(ticketId ? { ticketId } : {}) } });

const report = { version: 1, eventId: 'x', summary: { text: 'S' } } as unknown as HandoffReport;

function tmpStore(clock?: () => number) {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-store-')), 'baton.sqlite');
  return { file, store: openSqliteStore(file, clock) };
}

describe('SQLite store', () => {
  it('stores an event once per tenant and event id; the same id elsewhere is a different handoff', () => {
    const { store } = tmpStore();
    const a = store.accept(event('acme', 'evt_1'));
    expect(a.duplicate).toBe(false);
    expect(store.accept(event('acme', 'evt_1'))).toEqual({ handoffId: a.handoffId, duplicate: true });
    const other = store.accept(event('globex', 'evt_1'));
    expect(other.duplicate).toBe(false);
    expect(other.handoffId).not.toBe(a.handoffId);
  });

  it('commits a batch in one transaction, treating a repeat inside the batch as a duplicate', () => {
    const { store } = tmpStore();
    const [a, b, c] = store.acceptMany([event('acme', 'evt_1'), event('acme', 'evt_2'), event('acme', 'evt_1')]);
    expect(a?.duplicate).toBe(false);
    expect(b?.duplicate).toBe(false);
    expect(c).toEqual({ handoffId: a?.handoffId, duplicate: true });
    expect(store.listJobs({ tenantId: 'acme' })).toHaveLength(2);
  });

  it('checkpoints the WAL into the database file from the background thread, not the request path', async () => {
    const { file, store } = tmpStore();
    const before = statSync(file).size;
    store.acceptMany(Array.from({ length: 300 }, (_, i) => event('acme', `evt_wal_${i}`)));
    // 300 events stay far below the 10,000-page auto-checkpoint: only the checkpointer can move them.
    const deadline = Date.now() + 15_000;
    while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before);
    await store.close();
  });

  it('opens in WAL mode with synchronous=NORMAL, or FULL when asked for full durability', async () => {
    const { file, store } = tmpStore();
    expect(store.durability()).toEqual({ journalMode: 'wal', synchronous: 'normal' });
    await store.close();
    const full = openSqliteStore(file, Date.now, { durability: 'full' });
    expect(full.durability()).toEqual({ journalMode: 'wal', synchronous: 'full' });
    await full.close();
  });

  it('survives reopening: accepted jobs are still queued', async () => {
    const { file, store } = tmpStore();
    const a = store.accept(event('acme', 'evt_1'));
    await store.close();
    const again = openSqliteStore(file);
    expect(again.getJob(a.handoffId)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('migrates a database written by the first schema: a job mid-retry keeps its try count, and a replay keeps it too', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-store-')), 'baton.sqlite');
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0] as string);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO events VALUES ('ho_old', 'acme', 'generic:evt_old', 'generic', '2026-11-20T10:35:00Z', ?)").run(
      JSON.stringify(event('acme', 'evt_old')),
    );
    v1.prepare("INSERT INTO jobs (handoff_id, tenant_id, state, attempts, run_after, created_at, updated_at) VALUES ('ho_old', 'acme', 'dead', 3, 0, 0, 0)").run();
    v1.close();
    const store = openSqliteStore(file);
    expect(store.replay('ho_old', 1)).toBe(true);
    const [claimed] = store.claim(2, 60_000, 1);
    expect(claimed).toMatchObject({ handoffId: 'ho_old', attempts: 1, tries: 4 });
    await store.close();
  });

  it('claims each ready job once, honours run_after, skips paused tenants and takes back expired leases', () => {
    let now = 1000;
    const { store } = tmpStore(() => now);
    const a = store.accept(event('acme', 'evt_1'));
    const b = store.accept(event('globex', 'evt_2'));
    expect(store.claim(now, 5000, 10, new Set(['globex'])).map((j) => j.handoffId)).toEqual([a.handoffId]);
    expect(store.claim(now, 5000, 10, new Set(['globex']))).toEqual([]);
    store.release(a.handoffId, now + 10_000, '500 on PUT');
    expect(store.claim(now + 9_999, 5000, 10, new Set(['globex']))).toEqual([]);
    const [again] = store.claim(now + 10_000, 5000, 10, new Set(['globex']));
    expect(again).toMatchObject({ handoffId: a.handoffId, attempts: 2 });
    now += 20_000;
    expect(store.releaseExpired(now)).toBe(1);
    expect(store.getJob(a.handoffId)?.state).toBe('queued');
    expect(store.claim(now, 5000, 10).map((j) => j.handoffId).sort()).toEqual([a.handoffId, b.handoffId].sort());
    // At start-up every running job (whatever its lease) is taken back, ready to run at once.
    expect(store.releaseExpired(now, true)).toBe(2);
    expect(store.claim(now, 5000, 10)).toHaveLength(2);
  });

  it('dead-letters with a reason and replays', () => {
    const { store } = tmpStore();
    const a = store.accept(event('acme', 'evt_1'));
    store.claim(Date.now(), 5000, 1);
    store.kill(a.handoffId, '422 on PUT: RecordInvalid');
    expect(store.listJobs({ state: 'dead' })).toMatchObject([{ handoffId: a.handoffId, lastError: '422 on PUT: RecordInvalid' }]);
    expect(store.replay(a.handoffId, Date.now())).toBe(true);
    expect(store.replay(a.handoffId, Date.now())).toBe(false);
    expect(store.getJob(a.handoffId)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('keeps reports per tenant: one tenant never reads another tenant’s ticket', () => {
    const { store } = tmpStore();
    const a = store.accept(event('acme', 'evt_1', 7));
    store.claim(Date.now(), 5000, 1);
    store.complete({ handoffId: a.handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '7' }, outcome: 'updated' }, report);
    expect(store.getJob(a.handoffId)?.state).toBe('done');
    expect(store.getReportFor('acme', { helpdesk: 'zendesk', id: '7' })?.report.summary.text).toBe('S');
    expect(store.getReportFor('globex', { helpdesk: 'zendesk', id: '7' })).toBeUndefined();
  });
});
