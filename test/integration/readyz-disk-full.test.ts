/**
 * /readyz on a full disk. Reads (and `SELECT 1`) keep working while every commit fails, so readiness must
 * come from a real commit. The full disk is rehearsed with SQLite's max_page_count on the server's own
 * connection: every write that needs a new page fails with SQLITE_FULL, deterministically.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../helpers/harness.ts';
import type { SqliteStore } from '../../server/store/store.ts';

const example = JSON.parse(readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function handoff(id: string, filler = 0): string {
  const o = structuredClone(example) as { id: string; messages: Array<{ role: string; text: string }> };
  o.id = id;
  if (filler) o.messages = [...o.messages, { role: 'customer', text: `Here is the log: ${'lorem ipsum dolor '.repeat(filler)}` }];
  return JSON.stringify(o);
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LONG_LEASE = { concurrency: 2, pollMs: 20, leaseMs: 120_000, requestTimeoutMs: 2000, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } };

function diskFull(hh: Harness): () => void {
  const db = (hh.baton.store as SqliteStore).connection;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  return () => void db.pragma('max_page_count = 1073741823');
}

async function readyz(hh: Harness): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${hh.baton.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
}

// store: 'sqlite' even in the Postgres pass (BATON_TEST_STORE=postgres): this is about SQLite's max_page_count.
describe('/readyz on a full disk', () => {
  it('answers 503 store_cannot_commit while webhooks cannot be stored, and ready once commits go through again', async () => {
    h = await startHarness({ store: 'sqlite', worker: false });
    expect(await readyz(h)).toEqual({ status: 200, body: { status: 'ready' } });
    const spaceBack = diskFull(h);
    const res = await h.post('acme', handoff('evt_full', 3000));
    expect(res.status).toBe(503);
    const r = await readyz(h);
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('store_cannot_commit');
    expect(r.body.reason).toMatch(/full/i);
    spaceBack();
    expect(await readyz(h)).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await h.post('acme', handoff('evt_full', 3000))).status).toBe(202);
  });

  it('a delivery whose outcome could not be recorded is recorded once space returns, not after the 120 s lease, and not written twice', async () => {
    h = await startHarness({ store: 'sqlite', worker: false, extra: { worker: LONG_LEASE } });
    const res = await h.post('acme', handoff('evt_landed', 3000));
    expect(res.status).toBe(202);
    const { handoffId } = (await res.json()) as { handoffId: string };
    const spaceBack = diskFull(h);
    await h.baton.worker.start();
    const writes = () => h!.sandbox.calls.filter((c) => c.method === 'PUT' || c.method === 'POST');
    // The helpdesk write lands; recording it (report + delivery) needs new pages and fails.
    await h.waitFor(() => writes().length === 1 && (h!.baton.store as SqliteStore).pendingOutcomes() === 1, 'the write to land and its outcome to be kept');
    expect((await h.baton.store.getJob(handoffId))?.state).toBe('running');
    expect((await readyz(h)).status).toBe(503);
    spaceBack();
    expect((await readyz(h)).status).toBe(200);
    expect((await h.baton.store.getJob(handoffId))?.state).toBe('done');
    expect(await h.baton.store.getReport(handoffId)).toBeDefined();
    expect(writes()).toHaveLength(1);
  });
});
