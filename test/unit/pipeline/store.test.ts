/**
 * What only the SQLite store has: the WAL checkpointed from a background thread, its PRAGMAs, and migrations from
 * older schema versions. Everything store-generic is in the contract suite (test/contract/store-contract.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../server/store/store.ts';
import { MIGRATIONS } from '../../../server/store/schema.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

const event = (tenantId: string, id: string): HandoffEvent => testEvent(tenantId, id, { target: { helpdesk: 'zendesk' } });

function tmpFile() {
  return join(mkdtempSync(join(tmpdir(), 'baton-store-')), 'baton.sqlite');
}

describe('SQLite store', () => {
  it('checkpoints the WAL into the database file from the background thread, not the request path', async () => {
    const file = tmpFile();
    const store = await openSqliteStore(file);
    const before = statSync(file).size;
    await store.acceptMany(Array.from({ length: 300 }, (_, i) => event('acme', `evt_wal_${i}`)));
    // 300 events stay far below the 10,000-page auto-checkpoint: only the checkpointer can move them.
    const deadline = Date.now() + 15_000;
    while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before);
    await store.close();
  });

  it('opens in WAL mode with synchronous=NORMAL, or FULL when asked for full durability', async () => {
    const file = tmpFile();
    const store = await openSqliteStore(file);
    expect(await store.describe()).toEqual({ kind: 'sqlite', file, journalMode: 'wal', synchronous: 'normal' });
    await store.close();
    const full = await openSqliteStore(file, Date.now, { durability: 'full' });
    expect(await full.describe()).toMatchObject({ journalMode: 'wal', synchronous: 'full' });
    await full.close();
  });

  it('migrates a database written by the first schema: a job mid-retry keeps its try count, and a replay keeps it too', async () => {
    const file = tmpFile();
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0] as string);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO events VALUES ('ho_old', 'acme', 'generic:evt_old', 'generic', '2026-11-20T10:35:00Z', ?)").run(
      JSON.stringify(event('acme', 'evt_old')),
    );
    v1.prepare("INSERT INTO jobs (handoff_id, tenant_id, state, attempts, run_after, created_at, updated_at) VALUES ('ho_old', 'acme', 'dead', 3, 0, 0, 0)").run();
    v1.close();
    const store = await openSqliteStore(file);
    expect(await store.replay('ho_old', 1)).toBe(true);
    const [claimed] = await store.claim(2, 60_000, 1);
    expect(claimed).toMatchObject({ handoffId: 'ho_old', attempts: 1, tries: 4 });
    await store.close();
  });
});
