/**
 * A full disk, rehearsed deterministically: SQLite's max_page_count on the store's connection makes every
 * write that needs a new page fail with SQLITE_FULL, as a full disk does, while reads keep working.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../../server/store/store.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

const event = (id: string, text = 'hello'): HandoffEvent =>
  testEvent('acme', id, { conversation: { nativeId: 'c' }, customer: {}, messages: [{ role: 'customer', text }], target: { helpdesk: 'zendesk', id: '1' } });

const bigReport = { version: 1, eventId: 'x', summary: { text: 'x'.repeat(64 * 1024) } } as unknown as HandoffReport;

type SyncSqlite = SqliteStore['sync'] & { connection: SqliteStore['connection'] };

function diskFull(store: SyncSqlite): void {
  const pages = store.connection.pragma('page_count', { simple: true }) as number;
  store.connection.pragma(`max_page_count = ${pages}`);
}
function spaceBack(store: SyncSqlite): void {
  store.connection.pragma('max_page_count = 1073741823');
}

function tmpStore(): SyncSqlite {
  let now = 1_000_000;
  // The guard itself is synchronous (store.ts wraps it in promises): its own tests drive it directly.
  const s = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-full-')), 'baton.sqlite'), () => (now += 1));
  return Object.assign(s.sync, { connection: s.connection });
}

describe('commit health on a full disk', () => {
  it('reports store_cannot_commit while writes fail, and ready again once a commit goes through', async () => {
    const store = tmpStore();
    expect(store.commitHealth()).toEqual({ ok: true });
    diskFull(store);
    expect(() => store.accept(event('big', 'x'.repeat(200_000)))).toThrow(/full/i);
    expect(store.ping()).toBe(true); // reads still work: a ping cannot see this
    expect(store.commitHealth()).toMatchObject({ ok: false, code: 'store_cannot_commit', reason: expect.stringMatching(/full/i) });
    spaceBack(store);
    expect(store.commitHealth()).toEqual({ ok: true });
    expect(store.accept(event('big', 'x'.repeat(200_000))).duplicate).toBe(false);
    await store.close();
  });

  it('the probe alone sees a store that cannot grow, before any webhook fails', async () => {
    const store = tmpStore();
    diskFull(store);
    expect(store.commitHealth()).toMatchObject({ ok: false, code: 'store_cannot_commit' });
    spaceBack(store);
    await store.close();
  });

  it('keeps an outcome it could not record and records it as soon as a commit goes through, not after the lease', async () => {
    const store = tmpStore();
    const { handoffId } = store.accept(event('e1'));
    expect(store.claim(2_000_000, 120_000, 1)).toHaveLength(1);
    diskFull(store);
    const delivery = { handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'updated' };
    expect(() => store.complete(delivery, bigReport)).toThrow(/full/i);
    // The worker then treats the error as a failed try and releases the job: the landed write wins.
    store.release(handoffId, 0, 'SQLITE_FULL');
    expect(store.getJob(handoffId)?.state).toBe('running');
    expect(store.pendingOutcomes()).toBe(1);
    spaceBack(store);
    expect(store.commitHealth()).toEqual({ ok: true });
    expect(store.getJob(handoffId)?.state).toBe('done');
    expect(store.getReport(handoffId)?.report).toEqual(bigReport);
    expect(store.pendingOutcomes()).toBe(0);
    await store.close();
  });
});
