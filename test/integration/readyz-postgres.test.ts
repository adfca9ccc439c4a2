/**
 * /readyz and /metrics on a Postgres replica (issue 10): ready while the database answers, 503 naming the store
 * while it refuses connections (every pooled connection ended, new ones refused), ready again once it is back;
 * the metrics scrape keeps working meanwhile and says it could not read the queue. Runs when BATON_DATABASE_URL is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeConfig } from '../helpers/harness.ts';
import { freePort, waitHealthy } from '../helpers/child-server.ts';
import { describeIfPostgres, freshDatabase, postgresUrl, type FreshDatabase } from '../helpers/postgres.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'admin_token_for_readyz_0123';

describeIfPostgres('/readyz on Postgres', () => {
  let db: FreshDatabase;
  let dir: string;
  let child: ChildProcess | undefined;
  let admin: pg.Client;
  let url: string;

  const setConnections = async (allow: boolean) => {
    await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
    if (!allow) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
  };
  const readyz = async () => {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string } };
  };
  const queueReadOk = async () => {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    return /^baton_queue_read_ok(?:\{[^}]*\})? (\d)/m.exec(text)?.[1];
  };

  beforeAll(async () => {
    db = await freshDatabase('baton_readyz');
    dir = mkdtempSync(join(tmpdir(), 'baton-readyz-'));
    writeConfig(dir, 'http://127.0.0.1:9', { extra: { adminToken: ADMIN } });
    admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), BATON_CONFIG: join(dir, 'baton.json'), BATON_DATA_DIR: dir, BATON_DATABASE_URL: db.url, LOG_LEVEL: 'fatal' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitHealthy(url);
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (admin) {
      await setConnections(true).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
    await db?.drop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('follows the database down and back up', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await queueReadOk()).toBe('1');

    await setConnections(false);
    let down = await readyz();
    for (let i = 0; i < 100 && down.status === 200; i++) down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.status).toMatch(/^store_/);
    expect(await queueReadOk()).toBe('0');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await setConnections(true);
    let up = await readyz();
    for (let i = 0; i < 300 && up.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await readyz();
    }
    expect(up).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await queueReadOk()).toBe('1');
  }, 120_000);
});
