import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inbox, UnserializableEventError } from '../../../server/pipeline/inbox.ts';
import { openSqliteStore, type InboxResult, type Store } from '../../../server/store/store.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

const event = (tenantId: string, id: string, raw: unknown = {}): HandoffEvent => testEvent(tenantId, id, { raw });

function tmpStore(): Store {
  return openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-inbox-')), 'baton.sqlite'));
}

/** A real store whose insert fails for one event id, the way a constraint or a bad value would. */
function storeFailingFor(poison: string): { store: Store; batches: number[] } {
  const real = tmpStore();
  const batches: number[] = [];
  const store: Store = {
    ...real,
    acceptMany: (events, serialized) => {
      batches.push(events.length);
      if (events.some((e) => e.id === `generic:${poison}`)) throw new Error('SQLITE_CONSTRAINT: poison');
      return real.acceptMany(events, serialized);
    },
  };
  return { store, batches };
}

describe('inbox group commit', () => {
  it('commits events accepted in the same turn in one batch', async () => {
    const { store, batches } = storeFailingFor('none');
    const inbox = new Inbox(store);
    const results = await Promise.all([1, 2, 3].map((i) => inbox.accept(event('acme', `evt_${i}`))));
    expect(batches).toEqual([3]);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    await store.close();
  });

  it('when the store fails one event of a batch, only that event is rejected', async () => {
    const { store, batches } = storeFailingFor('evt_bad');
    const inbox = new Inbox(store);
    const ids = ['evt_1', 'evt_2', 'evt_bad', 'evt_3', 'evt_4'];
    const settled = await Promise.allSettled(ids.map((id) => inbox.accept(event(id === 'evt_bad' ? 'globex' : 'acme', id))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // One failed batch, then each event alone.
    expect(batches).toEqual([5, 1, 1, 1, 1, 1]);
    for (const s of settled) {
      if (s.status === 'fulfilled') expect((await store.getJob((s.value as InboxResult).handoffId))?.state).toBe('queued');
    }
    expect(await store.listJobs({})).toHaveLength(4);
    await store.close();
  });

  it('refuses an event that cannot be serialized on its own, before it joins a batch', async () => {
    const { store, batches } = storeFailingFor('none');
    const inbox = new Inbox(store);
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const settled = await Promise.allSettled([
      inbox.accept(event('acme', 'evt_1')),
      inbox.accept(event('globex', 'evt_deep', { extra: deep })),
      inbox.accept(event('acme', 'evt_2')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(UnserializableEventError);
    expect(batches).toEqual([2]);
    await store.close();
  });
});
