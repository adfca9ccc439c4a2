/**
 * Item 1 of issue 7, worker side: a handoff whose analysis freezes the process used to freeze every restart
 * again (a crash loop under a liveness probe), because nothing "failed" and the attempt limit never applied.
 * The analysis try is now committed before analysis starts: after 3 kill -9s during analysis the job is
 * dead-lettered with the reason, and the server goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACME, postHandoff, waitFor, writeConfig, type Sandbox } from '../helpers/harness.ts';
import { FREEZE_MARKER } from '../helpers/freeze-marker.ts';
import { startZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { freePort, waitHealthy } from '../helpers/child-server.ts';
import Database from 'better-sqlite3';
import pg from 'pg';
import { testDatabase, type TestDatabase } from '../helpers/test-store.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = JSON.parse(readFileSync(join(root, 'samples/01-lost-cancellation.json'), 'utf8')) as Record<string, unknown>;

function spawnBaton(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'test/helpers/frozen-analysis-server.ts'], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

type JobColumns = { state: string; analysis_tries: number; last_error: string | null };

/** Reads the jobs table beside the child: its SQLite file (read-only), or its Postgres database in the Postgres pass. */
async function jobsTable(db: TestDatabase, dbFile: string): Promise<{ get(id: string): Promise<JobColumns | undefined>; close(): Promise<void> }> {
  const sql = 'SELECT state, analysis_tries, last_error FROM jobs WHERE handoff_id = ';
  if (db.databaseUrl) {
    const pool = new pg.Pool({ connectionString: db.databaseUrl, max: 1 });
    return { get: async (id) => (await pool.query<JobColumns>(`${sql}$1`, [id])).rows[0], close: () => pool.end() };
  }
  const file = new Database(dbFile, { readonly: true, fileMustExist: true });
  return { get: async (id) => file.prepare(`${sql}?`).get(id) as JobColumns | undefined, close: async () => void file.close() };
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

let sandbox: Sandbox;
let dir: string;
let env: NodeJS.ProcessEnv;
let url: string;
let child: ChildProcess | undefined;
let testDb: TestDatabase;

beforeAll(async () => {
  sandbox = await startZendeskSandbox({ credentials: [{ email: ACME.email, apiToken: ACME.apiToken }] });
  dir = mkdtempSync(join(tmpdir(), 'baton-freeze-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  testDb = await testDatabase();
  env = { BATON_CONFIG: writeConfig(dir, sandbox.url), BATON_DATA_DIR: dir, PORT: String(port), ...testDb.env };
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) await kill9(child);
  await sandbox?.close();
  await testDb?.drop();
});

describe('a handoff whose analysis freezes the process', () => {
  it('is dead-lettered after 3 analysis tries cut short by kill -9, and the server keeps serving', async () => {
    child = spawnBaton(env);
    await waitHealthy(url);
    const frozen = structuredClone(example);
    frozen.id = 'evt_freeze';
    (frozen.messages as Array<{ text: string }>)[0]!.text = `please help ${FREEZE_MARKER}`;
    const res = await postHandoff(url, 'acme', JSON.stringify(frozen));
    expect(res.status).toBe(202);
    const { handoffId } = (await res.json()) as { handoffId: string };

    const rows = await jobsTable(testDb, join(dir, 'baton.sqlite'));
    const job = () => rows.get(handoffId);
    try {
      for (let run = 1; run <= 3; run++) {
        if (run > 1) child = spawnBaton(env);
        // The try is on disk before the analysis that freezes the process starts.
        await waitFor(async () => (await job())?.analysis_tries === run, `analysis try ${run} recorded`, 30_000);
        // As a liveness probe would: the frozen process answers nothing, so it is killed.
        await kill9(child);
      }

      child = spawnBaton(env);
      await waitHealthy(url);
      const dead = await waitFor(async () => {
        const j = await job();
        return j?.state === 'dead' ? j : undefined;
      }, 'job dead-lettered', 30_000);
      expect(dead.last_error).toMatch(/^analysis failed 3 times: interrupted/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      // And it still delivers everyone else's handoffs.
      const ok = structuredClone(example);
      ok.id = 'evt_after_freeze';
      const okRes = await postHandoff(url, 'acme', JSON.stringify(ok));
      const { handoffId: okId } = (await okRes.json()) as { handoffId: string };
      await waitFor(async () => (await rows.get(okId))?.state === 'done', 'other handoff delivered', 30_000);
    } finally {
      await rows.close();
    }
  });
});
