/**
 * Draining one replica on Postgres (issue 10, README "Running several replicas"): SIGTERM while its writes hang
 * in a slow Zendesk; it hands the jobs it holds back to the queue (lease owner cleared, 'released at shutdown')
 * and exits 0, without waiting for its lease to run out; another replica then delivers each one exactly once.
 * Runs when BATON_DATABASE_URL is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startZendeskSandbox, type RunningZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { handoffMarker } from '../../server/helpdesks/zendesk/render-note.ts';
import { ACME, writeConfig } from '../helpers/harness.ts';
import { freePort, waitHealthy } from '../helpers/child-server.ts';
import { describeIfPostgres, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const example = JSON.parse(readFileSync(join(ROOT, 'samples/01-lost-cancellation.json'), 'utf8')) as Record<string, unknown>;
const TICKETS = [35436, 35437];

describeIfPostgres('draining a replica with SIGTERM', () => {
  let db: FreshDatabase;
  let sb: RunningZendeskSandbox;
  let dir: string;
  let client: pg.Client;
  const children: ChildProcess[] = [];

  async function replica(id: string): Promise<{ child: ChildProcess; url: string }> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), BATON_CONFIG: join(dir, 'baton.json'), BATON_DATA_DIR: join(dir, id), BATON_DATABASE_URL: db.url, BATON_REPLICA_ID: id, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitHealthy(url);
    return { child, url };
  }

  beforeAll(async () => {
    db = await freshDatabase('baton_drain');
    sb = await startZendeskSandbox({ credentials: { email: ACME.email, apiToken: ACME.apiToken } });
    dir = mkdtempSync(join(tmpdir(), 'baton-drain-'));
    // A long lease: only the drain, not an expiry, can bring the jobs back while this test runs.
    writeConfig(dir, sb.url, { extra: { worker: { concurrency: 4, pollMs: 50, leaseMs: 600_000, requestTimeoutMs: 60_000 } } });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await client?.end().catch(() => undefined);
    await sb?.close();
    await db?.drop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hands its jobs back at once and another replica delivers them once', async () => {
    const a = await replica('drain-a');
    // Both writes hang in Zendesk for longer than the drain's grace.
    for (const _ of TICKETS) sb.script.next({ delayMs: 60_000, status: 503, match: { method: 'PUT' } });
    const ids: string[] = [];
    for (const [i, ticket] of TICKETS.entries()) {
      const body = JSON.stringify({ ...example, id: `evt_drain_${i}`, ticket: { id: ticket } });
      const res = await fetch(`${a.url}/v1/tenants/${ACME.id}/handoffs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(ACME.secrets[0] as string, body) },
        body,
      });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { handoffId: string }).handoffId);
    }
    const held = async () => Number((await client.query("SELECT count(*) AS n FROM jobs WHERE state = 'running' AND lease_owner = 'drain-a'")).rows[0].n);
    for (let i = 0; i < 600 && (await held()) < TICKETS.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await held()).toBe(TICKETS.length);
    // Both PUTs are waiting in the sandbox now.
    for (let i = 0; i < 600 && sb.calls.filter((c) => c.method === 'PUT').length < TICKETS.length; i++) await new Promise((r) => setTimeout(r, 100));

    const exited = new Promise<number | null>((r) => a.child.once('exit', (code) => r(code)));
    a.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const rows = (await client.query<{ state: string; lease_owner: string | null; last_error: string | null }>('SELECT state, lease_owner, last_error FROM jobs ORDER BY handoff_id')).rows;
    expect(rows).toEqual(ids.map(() => ({ state: 'queued', lease_owner: null, last_error: 'released at shutdown' })));

    await replica('drain-b');
    const done = async () => Number((await client.query("SELECT count(*) AS n FROM jobs WHERE state = 'done'")).rows[0].n);
    for (let i = 0; i < 1200 && (await done()) < ids.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await done()).toBe(ids.length);
    for (const [i, ticket] of TICKETS.entries()) {
      const notes = (sb.state.tickets.get(ticket)?.comments ?? []).filter((c) => c.html_body.includes(handoffMarker(ids[i] as string)));
      expect(notes).toHaveLength(1);
    }
  }, 240_000);
});
