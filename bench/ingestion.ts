/**
 * Ingestion benchmark (issue 10): autocannon against the real generic webhook (unique ids, fresh signatures)
 * beside a bare Express hello-world in its own process, same run, same requests. Printed, never asserted.
 *
 * Baton is measured
 *   - as a user starts it: the real server/main.ts (`npm start` = tsx), default logging (info, JSON lines to a
 *     file as a service manager would collect them), the worker on (it analyses every handoff and tries to
 *     write it to an unreachable helpdesk, 127.0.0.1:9, so deliveries fail fast and back off);
 *   - in the bench's lean mode: LOG_LEVEL=error and BATON_WORKER=off (accepting only);
 * on SQLite (durability normal, and full: an fsync per commit, with the inbox's 2 ms commit window), and on
 * Postgres when BATON_DATABASE_URL is set; each at 10 and 50 connections, and at a fixed 500 req/s for latency.
 * Ratios are against hello-world at the same number of connections. Targets (issue 10): >= 0.75 at 10
 * connections on SQLite as users start it, >= 0.6 on Postgres, p99 <= 25 ms at 500 req/s.
 */
import autocannon, { type Result } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBatonPayload } from '../server/bots/generic/verify.ts';
import { freePort, ROOT, spawnTs, stop, waitHealthy } from './processes.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_S = 2;
const SECRET = 'whsec_bench_1';
const CONNECTIONS = [10, 50] as const;
const FIXED_RATE = 500;

interface Variant {
  store: 'sqlite' | 'postgres';
  mode: 'user' | 'lean';
  durability: 'normal' | 'full';
}

interface Measured {
  variant: Variant;
  max: Record<number, Result>;
  fixed: Result;
}

function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * Every request: a new event id and a signature made when it is sent. Hello-world gets the very same requests
 * through the same code of the load generator, so the only difference measured is the server's work.
 */
function requestMaker(): { make: (path: string) => autocannon.Request; bodyBytes: number } {
  const sample = JSON.parse(readFileSync(join(ROOT, 'samples/01-lost-cancellation.json'), 'utf8')) as Record<string, unknown>;
  // The body with its id cut out: each request is `${head}${id}${tail}`, so making one costs a string concat and
  // one HMAC in the load generator, the same for both servers.
  const marker = '__BENCH_EVENT_ID__';
  const [head, tail] = JSON.stringify({ ...sample, id: marker }).split(marker) as [string, string];
  const runTag = randomBytes(4).toString('hex'); // unique across bench runs sharing one Postgres database
  let n = 0;
  const make = (path: string): autocannon.Request => ({
    method: 'POST',
    path,
    setupRequest: (req: autocannon.Request) => {
      const body = `${head}ev_${runTag}_${n++}${tail}`;
      return { ...req, body, headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(SECRET, body) } };
    },
  });
  return { make, bodyBytes: Buffer.byteLength(`${head}ev_${runTag}_0${tail}`) };
}

function startBaton(variant: Variant, dir: string, port: number): { child: ChildProcess; logFile: string } {
  const configFile = join(dir, 'baton.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      durability: variant.durability,
      tenants: [{ id: 'bench', webhookSecrets: [SECRET], zendesk: { subdomain: 'bench', baseUrl: 'http://127.0.0.1:9', email: 'b@b.test', apiToken: 'x' } }],
    }),
  );
  const logFile = join(dir, 'baton.log');
  const out = openSync(logFile, 'a');
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), BATON_CONFIG: configFile, BATON_DATA_DIR: dir };
  delete env.LOG_LEVEL;
  delete env.BATON_WORKER;
  if (variant.store === 'sqlite') delete env.BATON_DATABASE_URL;
  if (variant.mode === 'lean') Object.assign(env, { LOG_LEVEL: 'error', BATON_WORKER: 'off' });
  // `npm start` is `tsx server/main.ts`: the same loader, started directly.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', out, 'inherit'] });
  child.once('exit', () => closeSync(out));
  return { child, logFile };
}

async function measure(url: string, path: string, make: (path: string) => autocannon.Request): Promise<{ max: Record<number, Result>; fixed: Result }> {
  await run({ url, requests: [make(path)], duration: WARMUP_S, connections: 10 });
  const max: Record<number, Result> = {};
  for (const connections of CONNECTIONS) max[connections] = await run({ url, requests: [make(path)], connections, pipelining: 1, duration: DURATION_S });
  const fixed = await run({ url, requests: [make(path)], connections: 20, overallRate: FIXED_RATE, duration: DURATION_S });
  return { max, fixed };
}

const label = (v: Variant) => `${v.store.padEnd(8)} ${(v.mode === 'user' ? 'as users start it' : 'lean mode').padEnd(17)} ${v.durability.padEnd(6)}`;
const rps = (r: Result) => r.requests.average;

export async function runIngestionBench(): Promise<string> {
  const { make, bodyBytes } = requestMaker();
  const variants: Variant[] = [
    { store: 'sqlite', mode: 'user', durability: 'normal' },
    { store: 'sqlite', mode: 'lean', durability: 'normal' },
    { store: 'sqlite', mode: 'user', durability: 'full' },
    { store: 'sqlite', mode: 'lean', durability: 'full' },
  ];
  if (process.env.BATON_DATABASE_URL) variants.push({ store: 'postgres', mode: 'user', durability: 'normal' }, { store: 'postgres', mode: 'lean', durability: 'normal' });
  const only = process.env.BENCH_INGESTION_ONLY; // e.g. "sqlite" or "postgres"
  const selected = only ? variants.filter((v) => v.store === only) : variants;

  const helloPort = await freePort();
  const hello = spawnTs('bench/hello-world.ts', { PORT: String(helloPort) });
  const results: Measured[] = [];
  let helloRes: { max: Record<number, Result>; fixed: Result };
  const problems: string[] = [];
  try {
    await waitHealthy(`http://127.0.0.1:${helloPort}`);
    helloRes = await measure(`http://127.0.0.1:${helloPort}`, '/', make);
    for (const variant of selected) {
      const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
      const port = await freePort();
      const { child } = startBaton(variant, dir, port);
      try {
        await waitHealthy(`http://127.0.0.1:${port}`);
        const m = await measure(`http://127.0.0.1:${port}`, '/v1/tenants/bench/handoffs', make);
        results.push({ variant, ...m });
        const non2xx = [...Object.values(m.max), m.fixed].reduce((a, r) => a + r.non2xx, 0);
        const errors = [...Object.values(m.max), m.fixed].reduce((a, r) => a + r.errors, 0);
        if (non2xx || errors) problems.push(`${label(variant).trim()}: ${non2xx} non-2xx answers, ${errors} errors`);
      } finally {
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await stop(hello);
  }

  const lines = [
    `ingestion (${DURATION_S}s per run; ${bodyBytes}-byte signed bodies (samples/01), unique ids; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)} at the end; SQLite in ${tmpdir()})`,
    `  express hello-world                          ${CONNECTIONS.map((c) => `${c} conn: ${rps(helloRes!.max[c]!).toFixed(0).padStart(6)} req/s`).join('   ')}   at ${FIXED_RATE} req/s: p50 ${helloRes!.fixed.latency.p50} ms p99 ${helloRes!.fixed.latency.p99} ms`,
    `  store    baton                    durability  ${CONNECTIONS.map((c) => `${c} conn: req/s (ratio)`.padEnd(26)).join('')}at ${FIXED_RATE} req/s`,
  ];
  for (const r of results) {
    const cells = CONNECTIONS.map((c) => `${rps(r.max[c]!).toFixed(0).padStart(6)} (${(rps(r.max[c]!) / rps(helloRes!.max[c]!)).toFixed(2)})`.padEnd(26));
    lines.push(`  ${label(r.variant)}       ${cells.join('')}p50 ${r.fixed.latency.p50} ms p99 ${r.fixed.latency.p99} ms`);
  }
  lines.push(
    `  p99 at 50 connections: ${results.map((r) => `${r.variant.store}/${r.variant.mode}/${r.variant.durability} ${r.max[50]!.latency.p99} ms`).join(', ')}`,
    `  targets (not asserted): >= 0.75 at 10 conn on SQLite as users start it, >= 0.6 on Postgres, p99 <= 25 ms at ${FIXED_RATE} req/s`,
    problems.length ? `  problems: ${problems.join('; ')}` : '  every answer 2xx, no connection errors',
  );
  if (!process.env.BATON_DATABASE_URL) lines.push('  postgres: not measured (set BATON_DATABASE_URL, e.g. eval "$(scripts/ci/postgres-cluster.sh start)")');
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runIngestionBench());
