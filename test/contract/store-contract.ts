/**
 * The Store contract (issue 10): one suite every store must pass, SQLite always and Postgres whenever a server is
 * configured (see sqlite.contract.test.ts, postgres.contract.test.ts). Built from the store-generic cases of the
 * SQLite store, job-queue, deletion and retention tests; what only SQLite has (WAL, PRAGMAs, raw file bytes,
 * old-schema migrations) stays in the SQLite-only files under test/unit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/store.ts';
import { ANALYSIS_INTERRUPTED } from '../../server/store/job-queue.ts';
import { DAY_MS, startRetention } from '../../server/store/retention.ts';
import type { HandoffEvent } from '../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../server/types/handoff-report.ts';
import { normalizeGenericHandoff } from '../../server/bots/generic/normalize.ts';
import { testEvent } from '../helpers/handoff-event.ts';

/** A place to keep data (a SQLite file, a Postgres database); `open` may be called again to reopen it. */
export interface StoreBackend {
  open(clock?: () => number): Promise<Store>;
  /** Removes the place (after every store opened on it is closed). */
  cleanup(): Promise<void>;
}

export type BackendFactory = () => Promise<StoreBackend>;

const zendesk = (id: string) => ({ helpdesk: 'zendesk', id });
const report = (text = 'S') => ({ version: 1, eventId: 'x', summary: { text } }) as unknown as HandoffReport;

export function storeContract(name: string, newBackend: BackendFactory): void {
  const open: Store[] = [];
  const backends: StoreBackend[] = [];
  /** A fresh place and a store on it; everything opened is closed after the test. */
  const fresh = async (clock?: () => number) => {
    const backend = await newBackend();
    backends.push(backend);
    const reopen = async (c?: () => number) => {
      const s = await backend.open(c ?? clock);
      open.push(s);
      return s;
    };
    /** Closes a store before the test ends (afterEach closes the rest). */
    const close = async (s: Store) => {
      open.splice(open.indexOf(s), 1);
      await s.close();
    };
    return { store: await reopen(), reopen, close, backend };
  };
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => {});
    for (const b of backends.splice(0)) await b.cleanup();
  });

  const event = (tenantId: string, id: string, over: Partial<HandoffEvent> = {}): HandoffEvent =>
    testEvent(tenantId, id, { target: { helpdesk: 'zendesk' }, ...over });

  describe(`${name}: the Store contract — inbox`, () => {
    it('stores an event once per tenant and event id; the same id elsewhere is a different handoff', async () => {
      const { store } = await fresh();
      const a = await store.accept(event('acme', 'evt_1'));
      expect(a.duplicate).toBe(false);
      expect(await store.accept(event('acme', 'evt_1'))).toEqual({ handoffId: a.handoffId, duplicate: true });
      const other = await store.accept(event('globex', 'evt_1'));
      expect(other.duplicate).toBe(false);
      expect(other.handoffId).not.toBe(a.handoffId);
      expect(await store.getEvent(a.handoffId)).toEqual(event('acme', 'evt_1'));
    });

    it('commits a batch in one transaction, treating a repeat inside the batch as a duplicate', async () => {
      const { store } = await fresh();
      const [a, b, c] = await store.acceptMany([event('acme', 'evt_1'), event('acme', 'evt_2'), event('acme', 'evt_1')]);
      expect(a?.duplicate).toBe(false);
      expect(b?.duplicate).toBe(false);
      expect(c).toEqual({ handoffId: a?.handoffId, duplicate: true });
      expect(await store.listJobs({ tenantId: 'acme' })).toHaveLength(2);
      // A later batch repeating a stored event answers with the stored handoff.
      const [again, d] = await store.acceptMany([event('acme', 'evt_2'), event('acme', 'evt_3')]);
      expect(again).toEqual({ handoffId: b?.handoffId, duplicate: true });
      expect(d?.duplicate).toBe(false);
    });

    it('stores the caller’s serialization when given', async () => {
      const { store } = await fresh();
      const e = event('acme', 'evt_s');
      const [r] = await store.acceptMany([e], [JSON.stringify({ ...e, raw: { kept: 'as serialized' } })]);
      expect((await store.getEvent(r!.handoffId))?.raw).toEqual({ kept: 'as serialized' });
    });

    it('takes ids and texts with U+0000, backslashes and U+0001 as they are: distinct, found again, never a failed batch', async () => {
      const { store } = await fresh(() => 1000);
      const odd = ['evt\u0000nul', 'evt\\0nul', '\u0001evt', 'evt\\\u0000'];
      const first = await store.acceptMany(odd.map((id) => event('acme', id, { customer: { id: `cus\u0000${id}` }, target: { helpdesk: 'zendesk', awaitKey: `k\u0000${id}` } })));
      expect(first.map((r) => r.duplicate)).toEqual([false, false, false, false]);
      expect(new Set(first.map((r) => r.handoffId)).size).toBe(4);
      const again = await store.acceptMany(odd.map((id) => event('acme', id)));
      expect(again).toEqual(first.map((r) => ({ handoffId: r.handoffId, duplicate: true })));
      expect((await store.getJob(first[0]!.handoffId))?.eventId).toBe('generic:evt\u0000nul');
      expect((await store.getEvent(first[3]!.handoffId))?.id).toBe('generic:evt\\\u0000');
      // Free text with U+0000 is kept readable (SQLite as is; Postgres with U+FFFD in its place).
      const [job] = await store.claim(1000, 5000, 1);
      await store.release(job!.handoffId, 1000, 'HTTP 500: \u0000 in the body');
      expect((await store.getJob(job!.handoffId))?.lastError).toMatch(/^HTTP 500: . in the body$/);
      const ref = { helpdesk: 'zendesk', id: 'ref\u0000\\1' };
      await store.addFeedback({ tenantId: 'acme', ref, handoffId: first[0]!.handoffId, accurate: false, comment: 'bad \u0000 byte', agentId: 'agent\u00001' });
      expect(await store.listFeedback('acme', ref)).toMatchObject([{ ref, agentId: 'agent\u00001' }]);
      expect(await store.listFeedback('acme', { helpdesk: 'zendesk', id: 'ref\\0\\1' })).toEqual([]);
      expect(await store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: 'obj\u00009', awaitKey: `k\u0000${odd[1]}` }, 2000)).toEqual({ bound: true, woken: 1 });
      expect(await store.claimBoundTarget('acme', 'zendesk', `k\u0000${odd[1]}`, first[1]!.handoffId, 0)).toBe('obj\u00009');
      expect((await store.eraseCustomer('acme', { customerId: `cus\u0000${odd[2]}` })).events).toBe(1);
      expect(await store.getJob(first[2]!.handoffId)).toBeUndefined();
    });

    it('survives reopening: accepted jobs are still queued', async () => {
      const { store, reopen, close } = await fresh();
      const a = await store.accept(event('acme', 'evt_1'));
      await close(store);
      const again = await reopen();
      expect(await again.getJob(a.handoffId)).toMatchObject({ state: 'queued', attempts: 0, tenantId: 'acme', eventId: 'generic:evt_1' });
    });
  });

  describe(`${name}: the Store contract — jobs`, () => {
    it('claims each ready job once, honours run_after, skips paused tenants and takes back expired leases', async () => {
      let now = 1000;
      const { store } = await fresh(() => now);
      const a = await store.accept(event('acme', 'evt_1'));
      const b = await store.accept(event('globex', 'evt_2'));
      expect((await store.claim(now, 5000, 10, new Set(['globex']))).map((j) => j.handoffId)).toEqual([a.handoffId]);
      expect(await store.claim(now, 5000, 10, new Set(['globex']))).toEqual([]);
      await store.release(a.handoffId, now + 10_000, '500 on PUT');
      expect(await store.getJob(a.handoffId)).toMatchObject({ state: 'queued', lastError: '500 on PUT', runAfter: now + 10_000 });
      expect(await store.claim(now + 9_999, 5000, 10, new Set(['globex']))).toEqual([]);
      const [again] = await store.claim(now + 10_000, 5000, 10, new Set(['globex']));
      expect(again).toMatchObject({ handoffId: a.handoffId, tenantId: 'acme', attempts: 2, tries: 2 });
      expect(again?.event).toEqual(event('acme', 'evt_1'));
      now += 20_000;
      expect(await store.releaseExpired(now)).toBe(1);
      expect((await store.getJob(a.handoffId))?.state).toBe('queued');
      expect((await store.claim(now, 5000, 10)).map((j) => j.handoffId).sort()).toEqual([a.handoffId, b.handoffId].sort());
      // At start-up every running job this store holds (whatever its lease) is taken back, ready to run at once.
      expect(await store.releaseExpired(now, true)).toBe(2);
      expect(await store.claim(now, 5000, 10)).toHaveLength(2);
    });

    it('a paused account can be named `<helpdesk>:<tenant>`', async () => {
      const { store } = await fresh(() => 1000);
      await store.accept(event('acme', 'evt_1'));
      expect(await store.claim(1000, 5000, 10, new Set(['zendesk:acme']))).toEqual([]);
      expect(await store.claim(1000, 5000, 10, new Set(['intercom:acme']))).toHaveLength(1);
    });

    it('renew extends a running job’s lease', async () => {
      const { store } = await fresh(() => 1000);
      const a = await store.accept(event('acme', 'evt_1'));
      await store.claim(1000, 5000, 1);
      await store.renew(a.handoffId, 50_000);
      expect(await store.releaseExpired(10_000)).toBe(0);
      expect(await store.releaseExpired(50_001)).toBe(1);
    });

    it('dead-letters with a reason and replays', async () => {
      const { store } = await fresh();
      const a = await store.accept(event('acme', 'evt_1'));
      await store.claim(Date.now(), 5000, 1);
      await store.kill(a.handoffId, '422 on PUT: RecordInvalid');
      expect(await store.listJobs({ state: 'dead' })).toMatchObject([{ handoffId: a.handoffId, lastError: '422 on PUT: RecordInvalid' }]);
      expect(await store.replay(a.handoffId, Date.now())).toBe(true);
      expect(await store.replay(a.handoffId, Date.now())).toBe(false);
      expect(await store.getJob(a.handoffId)).toMatchObject({ state: 'queued', attempts: 0 });
      expect(await store.replay('ho_nothing', Date.now())).toBe(false);
    });

    it('lists jobs by state and tenant, newest first, within the limit', async () => {
      let now = 1000;
      const { store } = await fresh(() => now);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        now += 1;
        ids.push((await store.accept(event('acme', `e${i}`))).handoffId);
      }
      now += 1;
      await store.accept(event('globex', 'g'));
      expect((await store.listJobs({ tenantId: 'acme' })).map((j) => j.handoffId)).toEqual([...ids].reverse());
      expect(await store.listJobs({ tenantId: 'acme', limit: 2 })).toHaveLength(2);
      expect(await store.listJobs({ state: 'queued' })).toHaveLength(4);
      expect(await store.listJobs({ state: 'done' })).toEqual([]);
      expect(await store.getJob('ho_unknown')).toBeUndefined();
    });

    it('counts jobs by state', async () => {
      const { store } = await fresh(() => 1000);
      for (let i = 0; i < 4; i++) await store.accept(event('acme', `e${i}`));
      const [x, y] = await store.claim(1000, 5000, 2);
      await store.kill(x!.handoffId, 'bad');
      await store.complete({ handoffId: y!.handoffId, tenantId: 'acme', ref: zendesk('1'), outcome: 'updated' }, report());
      await store.claim(1000, 5000, 1);
      const counted = store as Store & { jobCounts(): Promise<Record<string, number>> };
      expect(await counted.jobCounts()).toEqual({ queued: 1, running: 1, done: 1, dead: 1 });
    });
  });

  describe(`${name}: the Store contract — claiming across tenants`, () => {
    it('takes one job per tenant in turn, and rotates who goes first when there is one slot', async () => {
      const now = 1_000;
      const { store } = await fresh(() => now);
      const a: string[] = [];
      for (let i = 0; i < 5; i++) a.push((await store.accept(event('acme', `a${i}`))).handoffId);
      const g = (await store.accept(event('globex', 'g0'))).handoffId;
      const i = (await store.accept(event('initech', 'i0'))).handoffId;
      expect((await store.claim(now, 5000, 4)).map((j) => j.handoffId)).toEqual([a[0], g, i, a[1]]);
      const b = (await store.accept(event('globex', 'g1'))).handoffId;
      // One slot: acme went first last time, so globex goes first now, then acme again.
      expect((await store.claim(now, 5000, 1)).map((j) => j.handoffId)).toEqual([b]);
      expect((await store.claim(now, 5000, 1)).map((j) => j.handoffId)).toEqual([a[2]]);
    });

    it('gives each tenant no more jobs than its budget, and none at 0', async () => {
      const now = 1_000;
      const { store } = await fresh(() => now);
      for (let k = 0; k < 5; k++) await store.accept(event('acme', `a${k}`));
      const g = (await store.accept(event('globex', 'g0'))).handoffId;
      const claimed = await store.claim(now, 5000, 4, (t) => (t === 'acme' ? 0 : 1));
      expect(claimed.map((j) => j.handoffId)).toEqual([g]);
      expect(await store.claim(now, 5000, 4, (t) => (t === 'acme' ? 2 : 0))).toHaveLength(2);
    });

    it('budgets per helpdesk account: one tenant at two helpdesks is two accounts', async () => {
      const now = 1_000;
      const { store } = await fresh(() => now);
      await store.accept(event('acme', 'z1'));
      await store.accept(event('acme', 'z2'));
      const ic = (await store.accept(event('acme', 'i1', { target: { helpdesk: 'intercom' } }))).handoffId;
      const seen: string[] = [];
      const claimed = await store.claim(now, 5000, 10, (t, h) => {
        seen.push(`${h}:${t}`);
        return h === 'intercom' ? 1 : 0;
      });
      expect(claimed.map((j) => j.handoffId)).toEqual([ic]);
      expect(seen.sort()).toEqual(['intercom:acme', 'zendesk:acme']);
    });

    it('a deferred job keeps its retry budget; tries drop back only when nothing can have been sent', async () => {
      const now = 1_000;
      const { store } = await fresh(() => now);
      const id = (await store.accept(event('acme', 'a0'))).handoffId;
      await store.claim(now, 5000, 1);
      await store.defer(id, now, 'waiting', false);
      expect((await store.getJob(id))?.lastError).toBe('waiting');
      expect((await store.claim(now, 5000, 1))[0]).toMatchObject({ attempts: 1, tries: 1 });
      await store.defer(id, now, 'waiting', true);
      expect((await store.claim(now, 5000, 1))[0]).toMatchObject({ attempts: 1, tries: 2 });
    });
  });

  describe(`${name}: the Store contract — analysis tries`, () => {
    it('are committed before analysis; an unfinished one reads as interrupted; a replay starts afresh', async () => {
      const now = 1_000;
      const { store } = await fresh(() => now);
      const id = (await store.accept(event('acme', 'a0'))).handoffId;
      await store.claim(now, 5000, 1);
      expect(await store.beginAnalysis(id)).toBe(1);
      await store.releaseExpired(now, true); // the process died mid-analysis
      expect((await store.claim(now, 5000, 1))[0]).toMatchObject({ analysisTries: 1, analysisError: ANALYSIS_INTERRUPTED });
      expect(await store.beginAnalysis(id)).toBe(2);
      await store.endAnalysis(id);
      await store.release(id, now, 'write failed');
      expect((await store.claim(now, 5000, 1))[0]).toMatchObject({ analysisTries: 0, analysisError: null });
      await store.beginAnalysis(id);
      await store.endAnalysis(id, 'timed out');
      await store.release(id, now, 'analysis failed');
      expect((await store.claim(now, 5000, 1))[0]).toMatchObject({ analysisTries: 1, analysisError: 'timed out' });
      await store.kill(id, 'x');
      expect(await store.replay(id, now)).toBe(true);
      expect((await store.claim(now, 5000, 1))[0]).toMatchObject({ analysisTries: 0 });
    });
  });

  describe(`${name}: the Store contract — reports, deliveries, feedback`, () => {
    it('keeps reports per tenant: one tenant never reads another tenant’s ticket', async () => {
      const { store } = await fresh();
      const a = await store.accept(event('acme', 'evt_1', { target: { helpdesk: 'zendesk', id: '7' } }));
      await store.claim(Date.now(), 5000, 1);
      await store.complete({ handoffId: a.handoffId, tenantId: 'acme', ref: zendesk('7'), outcome: 'updated' }, report());
      expect((await store.getJob(a.handoffId))?.state).toBe('done');
      expect((await store.getReportFor('acme', zendesk('7')))?.report.summary.text).toBe('S');
      expect(await store.getReportFor('globex', zendesk('7'))).toBeUndefined();
      expect(await store.getReportFor('acme', { helpdesk: 'intercom', id: '7' })).toBeUndefined();
      expect(await store.getReport(a.handoffId)).toMatchObject({ handoffId: a.handoffId, tenantId: 'acme', ref: zendesk('7') });
    });

    it('complete is idempotent, scrubs the stored event, and the newest report for a ticket wins', async () => {
      let now = 1000;
      const { store } = await fresh(() => now);
      const a = await store.accept(event('acme', 'a'));
      const b = await store.accept(event('acme', 'b'));
      await store.claim(now, 5000, 2);
      const d = { handoffId: a.handoffId, tenantId: 'acme', ref: zendesk('9'), outcome: 'updated' };
      await store.complete(d, report('first'), { ...event('acme', 'a'), raw: {}, messages: [] });
      await store.complete(d, report('first again'));
      expect((await store.getEvent(a.handoffId))?.messages).toEqual([]);
      expect((await store.deliveryStats()).count).toBe(1);
      now += 1;
      await store.complete({ ...d, handoffId: b.handoffId }, report('second'));
      expect((await store.getReportFor('acme', zendesk('9')))?.report.summary.text).toBe('second');
      expect(await store.deliveryStats()).toEqual({ count: 2, first: 1000, last: 1001 });
    });

    it('records feedback per ticket and tenant', async () => {
      let now = 5000;
      const { store } = await fresh(() => now);
      const id1 = await store.addFeedback({ tenantId: 'acme', ref: zendesk('7'), handoffId: 'ho_1', accurate: true });
      now += 1;
      const id2 = await store.addFeedback({ tenantId: 'acme', ref: zendesk('7'), handoffId: 'ho_1', accurate: false, comment: 'wrong order', agentId: '42' });
      await store.addFeedback({ tenantId: 'globex', ref: zendesk('7'), handoffId: 'ho_2', accurate: true });
      expect(id2).toBeGreaterThan(id1);
      expect(await store.listFeedback('acme', zendesk('7'))).toEqual([
        { id: id1, tenantId: 'acme', ref: zendesk('7'), handoffId: 'ho_1', accurate: true, createdAt: 5000 },
        { id: id2, tenantId: 'acme', ref: zendesk('7'), handoffId: 'ho_1', accurate: false, comment: 'wrong order', agentId: '42', createdAt: 5001 },
      ]);
      expect(await store.deliveryStats()).toEqual({ count: 0, first: null, last: null });
    });
  });

  describe(`${name}: the Store contract — target bindings`, () => {
    const waiting = (id: string) => event('acme', id, { target: { helpdesk: 'zendesk', awaitKey: 'conversation:c1' } });

    it('a binding wakes the waiting job and serves one handoff; either order of arrival works', async () => {
      const { store } = await fresh();
      const a = await store.accept(waiting('w1'));
      // Bound before the second handoff arrives: it waits for it.
      const bound = await store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '100', awaitKey: 'conversation:c1' }, 2000);
      expect(bound).toEqual({ bound: true, woken: 1 });
      expect((await store.getJob(a.handoffId))?.runAfter).toBe(2000);
      expect(await store.claimBoundTarget('acme', 'zendesk', 'conversation:c1', a.handoffId, 0)).toBe('100');
      // Claimed again by the same handoff: the same object; another handoff finds none free.
      expect(await store.claimBoundTarget('acme', 'zendesk', 'conversation:c1', a.handoffId, 0)).toBe('100');
      const b = await store.accept(waiting('w2'));
      expect(await store.claimBoundTarget('acme', 'zendesk', 'conversation:c1', b.handoffId, 0)).toBeUndefined();
      // A binding older than `notBefore` belongs to an earlier handoff.
      await store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '101', awaitKey: 'conversation:c1' }, 3000);
      expect(await store.claimBoundTarget('acme', 'zendesk', 'conversation:c1', b.handoffId, 3001)).toBeUndefined();
      expect(await store.claimBoundTarget('acme', 'zendesk', 'conversation:c1', b.handoffId, 3000)).toBe('101');
      // Another tenant's key is another key.
      expect(await store.claimBoundTarget('globex', 'zendesk', 'conversation:c1', b.handoffId, 0)).toBeUndefined();
    });

    it('an object naming its handoff is bound to that handoff; an unknown handoff id binds nothing', async () => {
      const { store } = await fresh();
      const a = await store.accept(waiting('w1'));
      const b = await store.accept(waiting('w2'));
      expect(await store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '200', handoffId: b.handoffId }, 1000)).toMatchObject({ bound: true });
      expect(await store.claimBoundTarget('acme', 'zendesk', 'conversation:c1', a.handoffId, 0)).toBeUndefined();
      expect(await store.claimBoundTarget('acme', 'zendesk', 'conversation:c1', b.handoffId, 0)).toBe('200');
      expect(await store.bindTarget({ tenantId: 'acme', helpdesk: 'zendesk', refId: '201', handoffId: 'ho_unknown' }, 1000)).toEqual({ bound: false, woken: 0 });
      expect(await store.bindTarget({ tenantId: 'globex', helpdesk: 'zendesk', refId: '202', handoffId: a.handoffId }, 1000)).toEqual({ bound: false, woken: 0 });
    });
  });

  describe(`${name}: the Store contract — retention and erasure`, () => {
    const DAY = 86_400_000;
    const pii = (tenantId: string, id: string, customer: HandoffEvent['customer']) =>
      testEvent(tenantId, id, { conversation: { nativeId: `conv_${id}` }, customer, messages: [{ role: 'customer', text: 'secret' }], target: { helpdesk: 'zendesk', id: '7' } });

    async function setup() {
      let now = Date.parse('2026-01-01T00:00:00Z');
      const { store } = await fresh(() => now);
      const finished = async (tenant: string, id: string, customer: HandoffEvent['customer'], state: 'done' | 'dead' | 'queued' | 'running' = 'done') => {
        const { handoffId } = await store.accept(pii(tenant, id, customer));
        if (state === 'queued') return handoffId;
        await store.claim(now, 60_000, 100);
        if (state === 'done') {
          await store.complete({ handoffId, tenantId: tenant, ref: zendesk('7'), outcome: 'updated' }, report('summary'));
          await store.addFeedback({ tenantId: tenant, ref: zendesk('7'), handoffId, accurate: false, comment: 'feedback' });
        } else if (state === 'dead') await store.kill(handoffId, '422');
        return handoffId;
      };
      return { store, finished, now: () => now, setNow: (t: number) => (now = t) };
    }

    it('deletes finished handoffs older than the cut-off with all their rows, keeps queued/running and newer ones', async () => {
      const s = await setup();
      const t0 = s.now();
      const a = await s.finished('acme', 'evt_old_done', {}, 'done');
      const b = await s.finished('acme', 'evt_old_dead', {}, 'dead');
      const c = await s.finished('acme', 'evt_old_queued', {}, 'queued');
      s.setNow(t0 + 100 * DAY);
      const d = await s.finished('acme', 'evt_fresh', {}, 'done');
      await s.store.release(c, s.now(), null); // the claim above took it too: queued again, as it was
      const deleted = await s.store.purgeBefore(t0 + 10 * DAY);
      expect(deleted).toEqual({ events: 2, jobs: 2, reports: 1, deliveries: 1, feedback: 1 });
      expect(await s.store.getJob(a)).toBeUndefined();
      expect(await s.store.getJob(b)).toBeUndefined();
      expect(await s.store.getEvent(a)).toBeUndefined();
      expect(await s.store.getReport(a)).toBeUndefined();
      expect((await s.store.listFeedback('acme', zendesk('7'))).map((f) => f.handoffId)).toEqual([d]);
      expect((await s.store.getJob(c))?.state).toBe('queued');
      expect((await s.store.getJob(d))?.state).toBe('done');
    });

    it('never deletes a running job, however old', async () => {
      const s = await setup();
      const id = await s.finished('acme', 'evt_running', {}, 'running');
      s.setNow(s.now() + 1000 * DAY);
      expect((await s.store.purgeBefore(s.now())).events).toBe(0);
      expect((await s.store.getJob(id))?.state).toBe('running');
    });

    it("erases every handoff of one customer (email any case, or customer id) of one tenant, whatever its state; never another tenant's", async () => {
      const s = await setup();
      await s.finished('acme', 'e1', { email: 'Jane.Doe@Example.com' }, 'done');
      await s.finished('acme', 'e2', { email: 'jane.doe@example.com', id: 'cus_9' }, 'dead');
      const q = await s.finished('acme', 'e3', { email: 'jane.doe@example.com' }, 'queued');
      const keep = await s.finished('acme', 'e4', { email: 'john@example.com' }, 'done');
      const keepGlobex = await s.finished('globex', 'e1', { email: 'jane.doe@example.com', id: 'cus_9' }, 'done');
      const deleted = await s.store.eraseCustomer('acme', { email: '  JANE.DOE@example.COM ' });
      expect(deleted).toEqual({ events: 3, jobs: 3, reports: 1, deliveries: 1, feedback: 1 });
      expect(await s.store.getEvent(q)).toBeUndefined();
      expect((await s.store.getJob(keep))?.state).toBe('done');
      expect((await s.store.getJob(keepGlobex))?.state).toBe('done');
      expect((await s.store.eraseCustomer('acme', { customerId: 'cus_9' })).events).toBe(0);
      expect((await s.store.eraseCustomer('globex', { customerId: 'cus_9' })).events).toBe(1);
      expect(await s.store.getJob(keepGlobex)).toBeUndefined();
    });

    it('a delivery finishing after its handoff was erased records nothing', async () => {
      const s = await setup();
      const id = await s.finished('acme', 'e1', { id: 'cus_1' }, 'running');
      await s.store.eraseCustomer('acme', { customerId: 'cus_1' });
      await s.store.complete({ handoffId: id, tenantId: 'acme', ref: zendesk('7'), outcome: 'updated' }, report('late'));
      expect(await s.store.getReport(id)).toBeUndefined();
      expect(await s.store.getJob(id)).toBeUndefined();
      expect((await s.store.deliveryStats()).count).toBe(0);
    });

    it('the retention schedule on a real store: a handoff finished 91 days ago goes, one from 89 days ago stays', async () => {
      let now = Date.parse('2026-01-01T00:00:00Z');
      const { store } = await fresh(() => now);
      const deliver = async (id: string) => {
        const { handoffId } = await store.accept(normalizeGenericHandoff({ id, conversation: { id: 'c' }, messages: [{ role: 'customer', text: 'hi' }] }, 'acme', new Date(now).toISOString()));
        await store.claim(now, 5000, 1);
        await store.complete({ handoffId, tenantId: 'acme', ref: zendesk('1'), outcome: 'updated' }, { version: 1 } as never);
        return handoffId;
      };
      const start = now;
      const old = await deliver('e_old');
      now = start + 2 * DAY_MS;
      const recent = await deliver('e_recent');
      now = start + 91 * DAY_MS;
      const r = startRetention({ store, retentionDays: 90, logger: { info: () => {}, error: () => {} }, clock: () => now });
      expect(await r.runOnce()).toMatchObject({ events: 1, jobs: 1, reports: 1, deliveries: 1 });
      r.stop();
      expect(await store.getJob(old)).toBeUndefined();
      expect((await store.getJob(recent))?.state).toBe('done');
    });
  });

  describe(`${name}: the Store contract — health and description`, () => {
    it('pings, commits, and describes itself', async () => {
      const { store } = await fresh();
      expect(await store.ping()).toBe(true);
      expect(store.commitHealth()).toEqual({ ok: true });
      const d = await store.describe();
      expect(d.kind).toBe(store.kind);
    });
  });
}
