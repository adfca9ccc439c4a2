/** `baton dead-letters` lists dead-lettered handoffs with their reason and re-queues them, on the store file. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openTestStore, testDatabase } from '../helpers/test-store.ts';
import { normalizeGenericHandoff } from '../../server/bots/generic/normalize.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

async function baton(dataDir: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'dead-letters', ...args], { env: { ...process.env, BATON_DATA_DIR: dataDir, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('baton dead-letters', () => {
  it('lists dead letters with the reason and replays one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
    // The SQLite file, or in the Postgres pass a fresh database the CLI reaches through BATON_DATABASE_URL.
    const db = await testDatabase();
    onTestFinished(() => db.drop());
    const store = await openTestStore(db, join(dir, 'baton.sqlite'));
    const event = normalizeGenericHandoff({ id: 'evt_dead', conversation: { id: 'c' }, messages: [{ role: 'customer', text: 'hi' }] }, 'acme', '2026-11-21T00:00:00Z');
    const { handoffId } = await store.accept(event);
    await store.claim(Date.now(), 5000, 1);
    await store.kill(handoffId, '422 on PUT /api/v2/tickets/1.json: RecordInvalid');
    await store.close();

    const list = await baton(dir, db.env, 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(handoffId);
    expect(list.stdout).toContain('RecordInvalid');
    const json = JSON.parse((await baton(dir, db.env, 'list', '--json')).stdout) as Array<{ handoffId: string }>;
    expect(json.map((j) => j.handoffId)).toEqual([handoffId]);

    expect((await baton(dir, db.env, 'replay', handoffId)).stdout).toContain('queued again');
    const again = await baton(dir, db.env, 'replay', handoffId);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('not a dead-lettered handoff');
    expect((await baton(dir, db.env, 'list')).stdout).toContain('No dead-lettered handoffs');
    const reopened = await openTestStore(db, join(dir, 'baton.sqlite'));
    expect((await reopened.getJob(handoffId))?.state).toBe('queued');
    await reopened.close();
  });

  it('says where it looked when there is no store', async () => {
    const r = await baton(join(tmpdir(), 'baton-no-such-dir-xyz'), {}, 'list');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no store at');
  });
});
