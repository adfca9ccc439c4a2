/**
 * Delivery throughput with 1, 2 and 3 replicas on one Postgres database (issue 10), into a Zendesk sandbox (its
 * own process) that answers every request after 50 ms. For each count: a fresh database, N handoffs queued with the
 * worker off, then that many replicas started with the worker on; the figure is first to last delivery as the
 * database recorded it. Needs BATON_DATABASE_URL (a server where it may create databases); printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { signBatonPayload } from '../server/bots/generic/verify.ts';
import { firstLine, freePort, ROOT, spawnTs, stop, waitHealthy } from './processes.ts';

const N = Number(process.env.BENCH_REPLICA_HANDOFFS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_REPLICA_CONCURRENCY ?? 16);
const SECRET = 'whsec_bench_replicas';

async function withAdmin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function runOnce(base: string, sandboxUrl: string, replicas: number): Promise<string> {
  const name = `baton_bench_replicas_${randomBytes(4).toString('hex')}`;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE "${name}"`));
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-replicas-'));
  const configFile = join(dir, 'baton.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      worker: { concurrency: CONCURRENCY },
      tenants: [{ id: 'bench', webhookSecrets: [SECRET], zendesk: { subdomain: 'bench', baseUrl: sandboxUrl, email: 'bench@baton.test', apiToken: 'bench', maxRequestsPerMinute: 1_000_000 } }],
    }),
  );
  const env = (i: number, port: number, worker: boolean): NodeJS.ProcessEnv => ({
    PORT: String(port),
    BATON_CONFIG: configFile,
    BATON_DATA_DIR: join(dir, `r${i}`),
    BATON_DATABASE_URL: url,
    BATON_REPLICA_ID: `bench-${i}`,
    ...(worker ? {} : { BATON_WORKER: 'off' }),
  });
  const sample = JSON.parse(readFileSync(join(ROOT, 'samples/02-double-charge-new-ticket.json'), 'utf8')) as Record<string, unknown>;
  try {
    const port = await freePort();
    const ingest = spawnTs('server/main.ts', env(0, port, false));
    await waitHealthy(`http://127.0.0.1:${port}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < N) {
          const body = JSON.stringify({ ...sample, id: `rep_${next++}` });
          const res = await fetch(`http://127.0.0.1:${port}/v1/tenants/bench/handoffs`, { method: 'POST', headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(SECRET, body) }, body });
          if (res.status !== 202) throw new Error(`queueing failed: ${res.status}`);
        }
      }),
    );
    await stop(ingest);
    const ports = await Promise.all(Array.from({ length: replicas }, () => freePort()));
    const children = ports.map((p, i) => spawnTs('server/main.ts', env(i, p, true)));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const deadline = Date.now() + 600_000;
      for (;;) {
        const left = Number((await c.query("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')")).rows[0].n);
        if (!left || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const s = (await c.query('SELECT count(*) AS n, min(delivered_at) AS first, max(delivered_at) AS last FROM deliveries')).rows[0] as { n: string; first: string; last: string };
      const dead = Number((await c.query("SELECT count(*) AS n FROM jobs WHERE state = 'dead'")).rows[0].n);
      const count = Number(s.n);
      const seconds = (Number(s.last) - Number(s.first)) / 1000;
      const rate = seconds > 0 ? (count - 1) / seconds : NaN;
      return `  ${replicas} replica${replicas > 1 ? 's' : ' '}: ${count} delivered in ${seconds.toFixed(2)} s = ${Number.isFinite(rate) ? rate.toFixed(0) : 'n/a'} handoffs/s, dead: ${dead}`;
    } finally {
      await c.end();
      await Promise.all(children.map((ch) => stop(ch)));
    }
  } finally {
    await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runReplicasBench(): Promise<string> {
  const base = process.env.BATON_DATABASE_URL?.trim();
  const title = `replicas (Postgres, ${N} handoffs, worker concurrency ${CONCURRENCY} per replica, Zendesk sandbox process with 50 ms per request, ${cpus().length} CPUs)`;
  if (!base) return `${title}\n  skipped: set BATON_DATABASE_URL (e.g. eval "$(scripts/ci/postgres-cluster.sh start)")`;
  const sandbox = spawnTs('bench/zendesk-sandbox-process.ts', { SANDBOX_LATENCY_MS: '50' });
  const lines = [title];
  try {
    const sandboxUrl = await firstLine(sandbox);
    for (const replicas of [1, 2, 3]) lines.push(await runOnce(base, sandboxUrl, replicas));
  } finally {
    await stop(sandbox);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runReplicasBench());
