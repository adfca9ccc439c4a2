/**
 * Sunshine relay mode across a crash (issue 9): the real server as a child process is killed with `kill -9`
 * after it passed control to the agent workspace and before its briefing note; Zendesk messaging creates the
 * ticket while Baton is down and tells the restarted Baton. After the restart: control was passed once per
 * conversation (the relay asks Sunshine who is in control before passing again), and each messaging ticket
 * carries exactly one Baton note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitHealthy } from '../helpers/child-server.ts';
import { openTestStore, testDatabase, type TestDatabase } from '../helpers/test-store.ts';
import { startZendeskSandbox, DEFAULT_SANDBOX_CREDENTIALS, type RunningZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { createMessagingBridge, startSunshineSandbox, type PassRecord, type RunningSunshineSandbox, type SunshineConversation } from '../../sandbox/sunshine/index.ts';
import { batonNotes, HANDOFF_FIELD_ID, SC_WEBHOOK_SECRET, sunshineConfigFile, ZD_SIGNING_SECRET } from './bots-sunshine-harness.ts';
import { waitFor } from './intercom-harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function spawnBaton(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: process.env.BATON_TEST_CHILD_LOGS ? 'info' : 'warn' },
    stdio: ['ignore', process.env.BATON_TEST_CHILD_LOGS ? 'inherit' : 'ignore', 'inherit'],
  });
}

describe('crash recovery, Sunshine relay mode', () => {
  let zendesk: RunningZendeskSandbox;
  let sunshine: RunningSunshineSandbox;
  const reached: Array<[SunshineConversation, PassRecord]> = [];
  let env: NodeJS.ProcessEnv;
  let url: string;
  let dir: string;
  let db: TestDatabase;

  beforeAll(async () => {
    zendesk = await startZendeskSandbox({ ticketFields: 'installed' });
    // Zendesk messaging is held back: the tickets are created only once the test says so (after the crash).
    sunshine = await startSunshineSandbox({ onAgentWorkspace: (c, pass) => void reached.push([c, pass]) });
    dir = mkdtempSync(join(tmpdir(), 'baton-crash-sc-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    db = await testDatabase();
    env = { BATON_CONFIG: sunshineConfigFile(dir, zendesk.url, sunshine.url), BATON_DATA_DIR: dir, PORT: String(port), ...db.env };
  });
  afterAll(async () => {
    await sunshine?.close();
    await zendesk?.close();
    await db?.drop();
  });

  it('after kill -9 between passControl and the note, and a restart, each conversation was passed once and noted once', async () => {
    const conversations = Array.from({ length: 3 }, (_, i) =>
      sunshine.addConversation({
        user: { givenName: `Crash${i}`, email: `crash${i}@example.com` },
        messages: [
          { from: 'user', text: `My refund for order #R-${i}000 never arrived.` },
          { from: 'bot', text: 'Refunds take 5-10 business days.' },
          { from: 'user', text: 'It has been a month. Let me talk to a human.' },
        ],
        active: 'baton',
      }),
    );
    let child = spawnBaton(env);
    await waitHealthy(url);
    const ids: string[] = [];
    for (const c of conversations) {
      const res = await fetch(`${url}/v1/tenants/relayco/bots/sunshine`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': SC_WEBHOOK_SECRET },
        body: JSON.stringify(sunshine.passControlEvent(c.id)),
      });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { handoffId: string }).handoffId);
    }
    await waitFor(() => reached.length === conversations.length, 'control passed to the agent workspace', 60_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Killed after the passes and before any note (no ticket existed yet).
    expect(zendesk.writes()).toEqual([]);

    child = spawnBaton(env);
    await waitHealthy(url);
    const bridge = createMessagingBridge({
      zendeskBaseUrl: zendesk.url,
      zendeskAuth: DEFAULT_SANDBOX_CREDENTIALS as { email: string; apiToken: string },
      batonUrl: url,
      tenantId: 'relayco',
      signingSecret: ZD_SIGNING_SECRET,
      state: sunshine.state,
      handoffIdField: HANDOFF_FIELD_ID,
    });
    for (const [c, pass] of reached) bridge.onAgentWorkspace(c, pass);
    await bridge.idle();
    const store = await openTestStore(db, join(dir, 'baton.sqlite'));
    try {
      await waitFor(async () => (await Promise.all(ids.map((id) => store.getJob(id)))).every((j) => j?.state === 'done'), 'all noted after restart', 120_000);
      const reports = await Promise.all(ids.map((id) => store.getReport(id)));
      ids.forEach((id, i) => {
        const ref = reports[i]!.ref!;
        const notes = batonNotes(zendesk, Number(ref.id));
        expect(notes, `notes for ${id}`).toHaveLength(1);
        expect(notes[0]).toContain(`baton-handoff:${id}`);
        expect(sunshine.state.conversations.get(conversations[i]!.id)!.passes, `passes of ${conversations[i]!.id}`).toHaveLength(1);
      });
    } finally {
      await store.close();
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    // The restarted Baton asked Sunshine who is in control (and so did not pass again).
    expect(sunshine.calls.filter((c) => c.operation === 'GetConversation').length).toBeGreaterThanOrEqual(2 * conversations.length);
    expect(sunshine.calls.filter((c) => c.operation === 'PassControl')).toHaveLength(conversations.length);
    expect(sunshine.calls.filter((c) => !c.valid)).toEqual([]);
  }, 180_000);
});
