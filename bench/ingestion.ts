/**
 * Ingestion benchmark: autocannon against the real webhook (unique, signed bodies) beside a bare Express
 * hello-world, both in their own processes, same run. Prints throughput ratio and latency at a fixed 500 req/s.
 */
import autocannon, { type Result } from 'autocannon';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBatonPayload } from '../server/bots/generic/verify.ts';
import { freePort, ROOT, spawnTs, stop, waitHealthy } from './processes.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const SECRET = 'whsec_bench_1';

function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export async function runIngestionBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const configFile = join(dir, 'baton.json');
  writeFileSync(
    configFile,
    JSON.stringify({ tenants: [{ id: 'bench', webhookSecrets: [SECRET], zendesk: { subdomain: 'bench', baseUrl: 'http://127.0.0.1:9', email: 'b@b.test', apiToken: 'x' } }] }),
  );
  const sample = JSON.parse(readFileSync(join(ROOT, 'samples/01-lost-cancellation.json'), 'utf8')) as Record<string, unknown>;
  // Each request gets a fresh event id and a fresh signature, as real traffic would. They are made before the
  // clock starts, so the load generator does the same work per request for Baton as for hello-world.
  const PREPARED = 120_000;
  const prepared = Array.from({ length: PREPARED }, (_, i) => {
    const body = JSON.stringify({ ...sample, id: `ev_${i}` });
    return { body, headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(SECRET, body) } };
  });
  let n = 0;
  // Hello-world gets the very same requests (bodies, signature header) through the same code path of the
  // load generator, so the only difference measured is the server's work.
  const signedRequest = (path = '/v1/tenants/bench/handoffs') => ({
    method: 'POST' as const,
    path,
    setupRequest: (req: autocannon.Request) => ({ ...req, ...prepared[n++ % PREPARED] }),
  });
  const bodyBytes = JSON.stringify(sample).length;

  const helloPort = await freePort();
  const batonPort = await freePort();
  const hello = spawnTs('bench/hello-world.ts', { PORT: String(helloPort) });
  // Worker off: this measures accepting (verify, validate, durable insert), not delivery.
  const baton = spawnTs('server/main.ts', { PORT: String(batonPort), BATON_CONFIG: configFile, BATON_DATA_DIR: dir, BATON_WORKER: 'off' });
  try {
    await waitHealthy(`http://127.0.0.1:${helloPort}`);
    await waitHealthy(`http://127.0.0.1:${batonPort}`);
    const common = { connections: 50, pipelining: 1, duration: DURATION_S };
    const helloUrl = `http://127.0.0.1:${helloPort}`;
    await run({ url: helloUrl, requests: [signedRequest('/')], duration: 2, connections: 10 }); // warm-up
    const helloMax = await run({ ...common, url: helloUrl, requests: [signedRequest('/')] });
    await run({ url: `http://127.0.0.1:${batonPort}`, requests: [signedRequest()], duration: 2, connections: 10 });
    const batonMax = await run({ ...common, url: `http://127.0.0.1:${batonPort}`, requests: [signedRequest()] });
    const helloFixed = await run({ url: helloUrl, requests: [signedRequest('/')], connections: 20, overallRate: 500, duration: DURATION_S });
    const batonFixed = await run({ url: `http://127.0.0.1:${batonPort}`, requests: [signedRequest()], connections: 20, overallRate: 500, duration: DURATION_S });
    // Past PREPARED requests ids repeat and are answered as duplicates (200): still a full verify + lookup.
    const non2xx = batonMax.non2xx + batonFixed.non2xx;
    const ratio = batonMax.requests.average / helloMax.requests.average;
    return [
      `ingestion (${DURATION_S}s per run, 50 connections, ${bodyBytes}-byte signed bodies, unique ids, SQLite WAL on ${tmpdir()})`,
      `  express hello-world : ${helloMax.requests.average.toFixed(0)} req/s   p50 ${helloMax.latency.p50} ms  p99 ${helloMax.latency.p99} ms`,
      `  baton webhook       : ${batonMax.requests.average.toFixed(0)} req/s   p50 ${batonMax.latency.p50} ms  p99 ${batonMax.latency.p99} ms   (${(ratio * 100).toFixed(0)}% of hello-world; target >= 50%)`,
      `  at 500 req/s        : hello-world p50 ${helloFixed.latency.p50} ms p99 ${helloFixed.latency.p99} ms | baton p50 ${batonFixed.latency.p50} ms p99 ${batonFixed.latency.p99} ms (target p99 <= 25 ms)`,
      `  non-2xx answers from baton: ${non2xx}, errors: ${batonMax.errors + batonFixed.errors}`,
    ].join('\n');
  } finally {
    await Promise.all([stop(hello), stop(baton)]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runIngestionBench());
