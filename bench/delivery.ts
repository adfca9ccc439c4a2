/**
 * Delivery benchmark: handoffs per second through the worker into a Zendesk sandbox that answers every request
 * after 50 ms. N handoffs are queued first, then the clock runs until all are delivered.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBatonPayload } from '../server/bots/generic/verify.ts';
import { openSqliteStore } from '../server/store/store.ts';
import { firstLine, freePort, ROOT, spawnTs, stop, waitHealthy } from './processes.ts';

const N = Number(process.env.BENCH_HANDOFFS ?? 400);
const SECRET = 'whsec_bench_1';

export async function runDeliveryBench(): Promise<string> {
  const lines: string[] = [];
  for (const concurrency of [8, 32]) {
    const sandbox = spawnTs('bench/zendesk-sandbox-process.ts', { SANDBOX_LATENCY_MS: '50' });
    const sandboxUrl = await firstLine(sandbox);
    const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
    const configFile = join(dir, 'baton.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        worker: { concurrency },
        tenants: [{ id: 'bench', webhookSecrets: [SECRET], zendesk: { subdomain: 'bench', baseUrl: sandboxUrl, email: 'bench@baton.test', apiToken: 'bench', maxRequestsPerMinute: 1_000_000 } }],
      }),
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const sample = JSON.parse(readFileSync(join(ROOT, 'samples/02-double-charge-new-ticket.json'), 'utf8')) as Record<string, unknown>;
    // Queue everything with the worker off, then start a worker process and time the drain.
    // On SQLite in its own data directory: a BATON_DATABASE_URL in the bench's environment (for the Postgres rows of
    // other benches) must not make both concurrency runs share one database.
    const ingest = spawnTs('server/main.ts', { PORT: String(port), BATON_CONFIG: configFile, BATON_DATA_DIR: dir, BATON_WORKER: 'off', BATON_DATABASE_URL: '' });
    await waitHealthy(url);
    for (let i = 0; i < N; i++) {
      const body = JSON.stringify({ ...sample, id: `deliv_${i}` });
      const res = await fetch(`${url}/v1/tenants/bench/handoffs`, { method: 'POST', headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(SECRET, body) }, body });
      if (res.status !== 202) throw new Error(`queueing failed: ${res.status}`);
    }
    await stop(ingest);
    const worker = spawnTs('server/main.ts', { PORT: String(port), BATON_CONFIG: configFile, BATON_DATA_DIR: dir, BATON_DATABASE_URL: '' });
    const store = openSqliteStore(join(dir, 'baton.sqlite'));
    try {
      for (;;) {
        const pending = (await store.listJobs({ state: 'queued', limit: 1 })).length + (await store.listJobs({ state: 'running', limit: 1 })).length;
        if (!pending) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // First to last delivery as recorded by the worker: process start-up is not in the figure.
      const stats = await store.deliveryStats();
      const seconds = ((stats.last ?? 0) - (stats.first ?? 0)) / 1000;
      const dead = (await store.listJobs({ state: 'dead', limit: 10_000 })).length;
      const rate = seconds > 0 ? ((stats.count - 1) / seconds).toFixed(0) : 'n/a';
      lines.push(`  concurrency ${String(concurrency).padStart(2)}: ${stats.count} handoffs delivered in ${seconds.toFixed(2)} s = ${rate} handoffs/s, dead: ${dead}`);
    } finally {
      await store.close();
      await stop(worker);
      await stop(sandbox);
    }
  }
  return [`delivery (Zendesk sandbox with 50 ms latency per request, ticket creates, one POST each)`, ...lines].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runDeliveryBench());
