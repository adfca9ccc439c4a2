/**
 * The inbox's commit window (InboxOptions.commitWindowMs): with `durability: "full"` every commit is an fsync, so a
 * batch stays open a moment for webhooks that arrive in later event-loop turns. Counted by the store's acceptMany
 * calls on a real SQLite store; no timing is asserted (the windows here are far longer than the test's turns).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inbox } from '../../../server/pipeline/inbox.ts';
import { openSqliteStore, type Store } from '../../../server/store/store.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

function countingStore(): { store: Store; batches: number[] } {
  const real = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-inbox-window-')), 'baton.sqlite'));
  const batches: number[] = [];
  const store: Store = {
    ...real,
    acceptMany: (events, serialized) => {
      batches.push(events.length);
      return real.acceptMany(events, serialized);
    },
  };
  return { store, batches };
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('inbox commit window', () => {
  it('without a window, events of different event-loop turns are different batches', async () => {
    const { store, batches } = countingStore();
    const inbox = new Inbox(store);
    const first = inbox.accept(testEvent('acme', 'evt_1'));
    await nextTurn();
    await nextTurn();
    const second = inbox.accept(testEvent('acme', 'evt_2'));
    await Promise.all([first, second]);
    expect(batches).toEqual([1, 1]);
    await store.close();
  });

  it('with a window, events of later turns join the open batch, and a full batch commits without waiting', async () => {
    const { store, batches } = countingStore();
    const inbox = new Inbox(store, { commitWindowMs: 60_000, maxBatch: 3 });
    const accepted = [inbox.accept(testEvent('acme', 'evt_1'))];
    await nextTurn();
    accepted.push(inbox.accept(testEvent('acme', 'evt_2')));
    await nextTurn();
    await nextTurn();
    expect(batches).toEqual([]); // still open, two turns later
    accepted.push(inbox.accept(testEvent('acme', 'evt_3')));
    expect((await Promise.all(accepted)).every((r) => !r.duplicate)).toBe(true);
    expect(batches).toEqual([3]);
    await store.close();
  });

  it('a batch that does not fill up commits when its window closes', async () => {
    const { store, batches } = countingStore();
    const inbox = new Inbox(store, { commitWindowMs: 2 });
    const [a, b] = await Promise.all([inbox.accept(testEvent('acme', 'evt_1')), inbox.accept(testEvent('acme', 'evt_1'))]);
    expect(batches).toEqual([2]);
    expect(a!.handoffId).toBe(b!.handoffId);
    await store.close();
  });
});
