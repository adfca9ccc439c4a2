/**
 * Retention and erasure on the SQLite store: the deleted strings are gone from the raw bytes of the database and
 * WAL files, not only from query results (secure_delete + WAL truncation). What goes and what stays, on every
 * store, is in the contract suite (test/contract/store-contract.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../server/store/store.ts';
import { MIGRATIONS } from '../../../server/store/schema.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { filesContaining } from '../../helpers/raw-store-bytes.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

const DAY = 86_400_000;

const event = (tenantId: string, id: string, customer: HandoffEvent['customer'], text: string): HandoffEvent =>
  testEvent(tenantId, id, { conversation: { nativeId: `conv_${id}` }, customer, messages: [{ role: 'customer', text }], target: { helpdesk: 'zendesk', id: '7' }, raw: { text } });

const report = (text: string) => ({ version: 1, eventId: 'x', summary: { text } }) as unknown as HandoffReport;
const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;

async function setup() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const file = join(mkdtempSync(join(tmpdir(), 'baton-del-')), 'baton.sqlite');
  const store = await openSqliteStore(file, () => now);
  return { file, store, setNow: (t: number) => (now = t), now: () => now };
}

/** Accepts, claims and completes (or kills) one handoff whose text, report and feedback carry `secret`. */
async function finished(s: Awaited<ReturnType<typeof setup>>, tenant: string, id: string, customer: HandoffEvent['customer'], secret: string, state: 'done' | 'dead' | 'queued' | 'running' = 'done') {
  const { handoffId } = await s.store.accept(event(tenant, id, customer, `my code is ${secret}`));
  if (state === 'queued') return handoffId;
  await s.store.claim(s.now(), 60_000, 100);
  if (state === 'done') {
    await s.store.complete({ handoffId, tenantId: tenant, ref: { helpdesk: 'zendesk', id: '7' }, outcome: 'updated' }, report(`summary ${secret}`));
    await s.store.addFeedback({ tenantId: tenant, ref: { helpdesk: 'zendesk', id: '7' }, handoffId, accurate: false, comment: `feedback ${secret}` });
  } else if (state === 'dead') await s.store.kill(handoffId, `422 ${secret}`);
  return handoffId;
}

describe('retention purge', () => {
  it('deletes finished handoffs older than the cut-off with all their rows, keeps queued/running and newer ones', async () => {
    const s = await setup();
    const t0 = s.now();
    const oldDone = marker('OLD-DONE');
    const oldDead = marker('OLD-DEAD');
    const oldQueued = marker('OLD-QUEUED');
    const fresh = marker('FRESH');
    const a = await finished(s, 'acme', 'evt_old_done', {}, oldDone, 'done');
    const b = await finished(s, 'acme', 'evt_old_dead', {}, oldDead, 'dead');
    const c = await finished(s, 'acme', 'evt_old_queued', {}, oldQueued, 'queued');
    s.setNow(t0 + 100 * DAY);
    const d = await finished(s, 'acme', 'evt_fresh', {}, fresh, 'done');
    await s.store.release(c, s.now(), null); // the claim above took it too: queued again, as it was
    // Before: the strings are really in the files (the search below is not vacuous).
    expect(filesContaining(s.file, oldDone).length).toBeGreaterThan(0);

    const deleted = await s.store.purgeBefore(t0 + 10 * DAY);
    expect(deleted).toEqual({ events: 2, jobs: 2, reports: 1, deliveries: 1, feedback: 1 });
    expect(await s.store.getJob(a)).toBeUndefined();
    expect(await s.store.getJob(b)).toBeUndefined();
    expect(await s.store.getEvent(a)).toBeUndefined();
    expect(await s.store.getReport(a)).toBeUndefined();
    expect((await s.store.listFeedback('acme', { helpdesk: 'zendesk', id: '7' })).map((f) => f.handoffId)).toEqual([d]);
    expect((await s.store.getJob(c))?.state).toBe('queued');
    expect((await s.store.getJob(d))?.state).toBe('done');
    expect(filesContaining(s.file, oldDone)).toEqual([]);
    expect(filesContaining(s.file, oldDead)).toEqual([]);
    // What stays is still readable in the raw files: the check can see strings when they are there.
    expect(filesContaining(s.file, oldQueued).length).toBeGreaterThan(0);
    expect(filesContaining(s.file, fresh).length).toBeGreaterThan(0);
    await s.store.close();
  });

  it('never deletes a running job, however old', async () => {
    const s = await setup();
    const id = await finished(s, 'acme', 'evt_running', {}, marker('RUN'), 'running');
    s.setNow(s.now() + 1000 * DAY);
    expect((await s.store.purgeBefore(s.now())).events).toBe(0);
    expect((await s.store.getJob(id))?.state).toBe('running');
    await s.store.close();
  });
});

describe('erasure', () => {
  it("deletes every handoff of one customer (email any case, or customer id) of one tenant, whatever its state; never another tenant's", async () => {
    const s = await setup();
    const mine = [marker('MINE-1'), marker('MINE-2'), marker('MINE-3')];
    const other = marker('OTHER-CUSTOMER');
    const otherTenant = marker('OTHER-TENANT');
    await finished(s, 'acme', 'e1', { email: 'Jane.Doe@Example.com' }, mine[0]!, 'done');
    await finished(s, 'acme', 'e2', { email: 'jane.doe@example.com', id: 'cus_9' }, mine[1]!, 'dead');
    await finished(s, 'acme', 'e3', { email: 'jane.doe@example.com' }, mine[2]!, 'queued');
    const keep = await finished(s, 'acme', 'e4', { email: 'john@example.com' }, other, 'done');
    const keepGlobex = await finished(s, 'globex', 'e1', { email: 'jane.doe@example.com', id: 'cus_9' }, otherTenant, 'done');

    const deleted = await s.store.eraseCustomer('acme', { email: '  JANE.DOE@example.COM ' });
    expect(deleted).toEqual({ events: 3, jobs: 3, reports: 1, deliveries: 1, feedback: 1 });
    for (const m of mine) expect(filesContaining(s.file, m)).toEqual([]);
    expect((await s.store.getJob(keep))?.state).toBe('done');
    expect((await s.store.getJob(keepGlobex))?.state).toBe('done');
    expect(filesContaining(s.file, other).length).toBeGreaterThan(0);
    expect(filesContaining(s.file, otherTenant).length).toBeGreaterThan(0);

    expect((await s.store.eraseCustomer('acme', { customerId: 'cus_9' })).events).toBe(0);
    expect((await s.store.eraseCustomer('globex', { customerId: 'cus_9' })).events).toBe(1);
    expect(filesContaining(s.file, otherTenant)).toEqual([]);
    await s.store.close();
  });

  it('a delivery finishing after its handoff was erased records nothing', async () => {
    const s = await setup();
    const id = await finished(s, 'acme', 'e1', { id: 'cus_1' }, marker('LATE'), 'running');
    await s.store.eraseCustomer('acme', { customerId: 'cus_1' });
    await s.store.complete({ handoffId: id, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '7' }, outcome: 'updated' }, report('late'));
    expect(await s.store.getReport(id)).toBeUndefined();
    await s.store.close();
  });

  it('the migration backfills customer email and id from events stored before it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-mig-')), 'baton.sqlite');
    const db = new Database(file);
    db.exec(MIGRATIONS[0]!);
    db.exec(MIGRATIONS[1]!);
    db.pragma('user_version = 2');
    const ev = event('acme', 'old', { email: 'Old@Example.com', id: 'cus_old' }, 'legacy');
    db.prepare('INSERT INTO events (handoff_id, tenant_id, event_id, source, received_at, event_json) VALUES (?, ?, ?, ?, ?, ?)').run('ho_old', 'acme', ev.id, 'generic', ev.receivedAt, JSON.stringify(ev));
    db.prepare("INSERT INTO jobs (handoff_id, tenant_id, state, attempts, run_after, created_at, updated_at) VALUES ('ho_old', 'acme', 'done', 1, 0, 0, 0)").run();
    db.close();
    const store = await openSqliteStore(file);
    expect((await store.eraseCustomer('acme', { email: 'old@example.com' })).events).toBe(1);
    await store.close();
  });
});
