/**
 * Evaluate benchmark (issue 11): p99 of `POST /v1/tenants/{id}/evaluate` for a signed 30-message conversation
 * at a fixed 200 req/s (target ≤ 5 ms), beside a bare Express hello-world answering the same requests at the
 * same rate, each in its own process, same run. Figures are printed, never asserted.
 * Baton runs as `server/main.ts` (worker off) with an empty SQLite store, so the first-reply statistics are real
 * queries (cached 60 s, stats-cache.ts) that find too few replies: the answer carries no wait.
 */
import autocannon, { type Result } from 'autocannon';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBatonPayload } from '../server/bots/generic/verify.ts';
import { normalizeGenericHandoff } from '../server/bots/generic/normalize.ts';
import { decide } from '../server/evaluate/decide.ts';
import { freePort, spawnTs, stop, waitHealthy } from './processes.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = 200;
const SECRET = 'whsec_bench_evaluate_1';

function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** A 30-message conversation: a refund the bot failed at twice, growing frustration, then a request for a person. */
export function thirtyMessages(): Array<{ role: string; text: string; at: string; bot?: Record<string, unknown> }> {
  const lines: Array<[string, string]> = [
    ['customer', 'Hi, I returned my order A-77812 two weeks ago and I still have not received my refund.'],
    ['bot', 'I can help with refunds. Refunds are issued within 5-7 business days after we receive the return.'],
    ['customer', 'It has been 14 days. The tracking says you received it on the 3rd.'],
    ['bot', 'You can check the status of your refund under Orders > Returns > Refund status.'],
    ['customer', 'I checked, it says "processing" since the 3rd. That is not helpful.'],
    ['bot', 'Here is our article on refund timelines: https://help.example.com/articles/refund-timelines'],
    ['customer', 'I already read that article, it does not answer my question.'],
  ];
  const out = [];
  for (let i = 0; i < 30; i++) {
    const [role, text] = i < lines.length ? lines[i]! : i % 2 === 1 ? ['bot', `Is there anything else I can help with regarding order A-77812? (${i})`] : ['customer', i === 28 ? 'This is ridiculous. I want to talk to a person now!' : `Yes, the refund of $89.90 for order A-77812 is still missing (${i}).`];
    out.push({ role, text, at: new Date(Date.parse('2026-11-30T09:00:00Z') + i * 40_000).toISOString(), ...(role === 'bot' ? { bot: { intent: 'refund_status', confidence: 0.62 } } : {}) });
  }
  return out;
}

/** CPU cost of the decision alone, in this process: median and p99 of single calls. */
function decideCost(body: unknown): { p50: number; p99: number } {
  const event = normalizeGenericHandoff(body, 'bench', '2026-11-30T10:00:00.000Z');
  for (let i = 0; i < 50; i++) decide(event);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    decide(event);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[150]!, p99: times[296]! };
}

export async function runEvaluateBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-evaluate-'));
  const configFile = join(dir, 'baton.json');
  const allWeek = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]]));
  writeFileSync(
    configFile,
    JSON.stringify({
      tenants: [
        {
          id: 'bench',
          webhookSecrets: [SECRET],
          zendesk: { subdomain: 'bench', baseUrl: 'http://127.0.0.1:9', email: 'b@b.test', apiToken: 'x' },
          analysis: { routing: { byTopic: { refund: 360001 } } },
          businessHours: { timeZone: 'Europe/Berlin', weekly: allWeek, holidays: ['2026-12-25'] },
        },
      ],
    }),
  );
  const body = JSON.stringify({ conversation: { id: 'conv_bench', locale: 'en-US' }, customer: { name: 'Dana Kim', tier: 'standard' }, messages: thirtyMessages() });
  // Signed before the clock starts and re-signed per run (the replay window is 300 s); identical work for both servers.
  const request = (path: string) => ({ method: 'POST' as const, path, body, headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(SECRET, body) } });

  const helloPort = await freePort();
  const evalPort = await freePort();
  const hello = spawnTs('bench/hello-world.ts', { PORT: String(helloPort) });
  const server = spawnTs('server/main.ts', { PORT: String(evalPort), BATON_CONFIG: configFile, BATON_DATA_DIR: dir, BATON_WORKER: 'off' });
  try {
    const helloUrl = `http://127.0.0.1:${helloPort}`;
    const evalUrl = `http://127.0.0.1:${evalPort}`;
    await waitHealthy(helloUrl);
    await waitHealthy(evalUrl);
    const fixed = { connections: 10, overallRate: RATE, duration: DURATION_S };
    await run({ url: helloUrl, requests: [request('/')], duration: 2, connections: 5 }); // warm-up
    const helloRun = await run({ ...fixed, url: helloUrl, requests: [request('/')] });
    await run({ url: evalUrl, requests: [request('/v1/tenants/bench/evaluate')], duration: 2, connections: 5, overallRate: RATE });
    const evalRun = await run({ ...fixed, url: evalUrl, requests: [request('/v1/tenants/bench/evaluate')] });
    const ratio = evalRun.latency.p99 / Math.max(helloRun.latency.p99, 1);
    const cost = decideCost(JSON.parse(body));
    return [
      `evaluate (${DURATION_S}s at ${RATE} req/s, 10 connections, a signed ${body.length}-byte body with 30 messages)`,
      `  express hello-world : p50 ${helloRun.latency.p50} ms  p99 ${helloRun.latency.p99} ms  (${helloRun.requests.average.toFixed(0)} req/s)`,
      `  baton evaluate      : p50 ${evalRun.latency.p50} ms  p99 ${evalRun.latency.p99} ms  (${evalRun.requests.average.toFixed(0)} req/s; target p99 <= 5 ms; ${ratio.toFixed(1)}x hello-world's p99)`,
      `  decide() alone, in process: p50 ${cost.p50.toFixed(2)} ms  p99 ${cost.p99.toFixed(2)} ms (redaction, topic, solutions, sentiment, triggers, priority, routing)`,
      `  non-2xx answers: ${evalRun.non2xx}, errors: ${evalRun.errors}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores (figures scale with it)`,
    ].join('\n');
  } finally {
    await Promise.all([stop(hello), stop(server)]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runEvaluateBench());
