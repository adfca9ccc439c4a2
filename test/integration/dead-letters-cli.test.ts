/** `baton dead-letters` lists dead-lettered handoffs with their reason and re-queues them, on the store file. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openSqliteStore } from '../../server/store/store.ts';
import { normalizeGenericHandoff } from '../../server/bots/generic/normalize.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

async function baton(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'dead-letters', ...args], { env: { ...process.env, BATON_DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('baton dead-letters', () => {
  it('lists dead letters with the reason and replays one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
    const store = openSqliteStore(join(dir, 'baton.sqlite'));
    const event = normalizeGenericHandoff({ id: 'evt_dead', conversation: { id: 'c' }, messages: [{ role: 'customer', text: 'hi' }] }, 'acme', '2026-11-21T00:00:00Z');
    const { handoffId } = await store.accept(event);
    await store.claim(Date.now(), 5000, 1);
    await store.kill(handoffId, '422 on PUT /api/v2/tickets/1.json: RecordInvalid');
    await store.close();

    const list = await baton(dir, 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(handoffId);
    expect(list.stdout).toContain('RecordInvalid');
    const json = JSON.parse((await baton(dir, 'list', '--json')).stdout) as Array<{ handoffId: string }>;
    expect(json.map((j) => j.handoffId)).toEqual([handoffId]);

    expect((await baton(dir, 'replay', handoffId)).stdout).toContain('queued again');
    const again = await baton(dir, 'replay', handoffId);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('not a dead-lettered handoff');
    expect((await baton(dir, 'list')).stdout).toContain('No dead-lettered handoffs');
    const reopened = openSqliteStore(join(dir, 'baton.sqlite'));
    expect((await reopened.getJob(handoffId))?.state).toBe('queued');
    await reopened.close();
  });

  it('says where it looked when there is no store', async () => {
    const r = await baton(join(tmpdir(), 'baton-no-such-dir-xyz'), 'list');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no store at');
  });
});
