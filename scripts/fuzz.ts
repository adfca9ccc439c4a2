/**
 * `npm run fuzz`: a seeded fuzz run over every endpoint of two real Batons on loopback (see
 * test/helpers/fuzz.ts). Prints the status classes per endpoint; exits 1 on any 5xx, connection error or
 * timeout, printing the seed, the fast-check path and a minimal reproducing request (also written as JSON).
 *
 *   npm run fuzz                                   10,000 requests, seed from FUZZ_SEED or 7
 *   npm run fuzz -- --count 1000 --seed 42
 *   npm run fuzz -- --seed 43 --path "12:4:1" --streams 1      replay one failure
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeRequest, formatCounts, runFuzz } from '../test/helpers/fuzz.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    count: { type: 'string' },
    'time-limit': { type: 'string' },
    streams: { type: 'string' },
    path: { type: 'string' },
  },
});

function int(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} must be a non-negative integer (got "${raw}")\n`);
    process.exit(2);
  }
  return n;
}

const seed = int(values.seed ?? process.env.FUZZ_SEED, 7, 'seed');
const count = int(values.count ?? process.env.FUZZ_COUNT, 10_000, 'count');
const timeLimitMs = int(values['time-limit'], 20 * 60, 'time-limit') * 1000;
const streams = int(values.streams, 4, 'streams');

process.stdout.write(`fuzz: seed ${seed}, ${count} requests, ${streams} streams, time limit ${timeLimitMs / 1000} s\n`);
const result = await runFuzz({ seed, count, timeLimitMs, streams, ...(values.path ? { path: values.path } : {}), log: (l) => process.stdout.write(`${l}\n`) });

process.stdout.write(`\n${formatCounts(result)}\n\n`);
process.stdout.write(`sent ${result.sent} requests in ${(result.elapsedMs / 1000).toFixed(1)} s (seed ${seed})\n`);
if (result.uncovered.length) process.stdout.write(`routes no request reached:\n${result.uncovered.map((r) => `  ${r.target} ${r.methods.join(',')} ${r.path}`).join('\n')}\n`);

let failed = false;
if (result.interrupted) {
  process.stdout.write(`\nFAIL: the time limit stopped the run after ${result.sent} of ${count} requests\n`);
  failed = true;
}
for (const f of result.failures) {
  failed = true;
  const file = join(tmpdir(), `baton-fuzz-repro-${f.seed}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ seed: f.seed, path: f.path, plan: f.plan, request: { ...f.request, body: f.request.body?.toString('base64') }, answer: f.answer }, null, 2));
  process.stdout.write(
    [
      '',
      `FAIL: ${f.answer.status !== undefined ? `answered ${f.answer.status}` : `connection error ${f.answer.error}`} (stream seed ${f.seed}, path "${f.path}")`,
      `replay: npm run fuzz -- --seed ${f.seed} --path "${f.path}" --streams 1`,
      `minimal request (full reproducer in ${file}):`,
      describeRequest(f.request),
      `answer: ${f.answer.status ?? ''} ${f.answer.body || f.answer.error || ''}`,
      f.reproduced === false ? '(sent again on its own it did not fail: the failure depends on load or on what else was in flight)' : '',
      ...(f.first ? ['first failing request of the stream, before shrinking:', describeRequest(f.first.request), `answer: ${f.first.answer.status ?? ''} ${f.first.answer.body || f.first.answer.error || ''}`] : []),
      '',
    ].join('\n'),
  );
}
if (failed && result.errorLogs.length) process.stdout.write(`\nBaton's error log lines:\n${result.errorLogs.slice(0, 20).join('\n')}\n`);
process.stdout.write(failed ? 'fuzz: FAILED\n' : `fuzz: 0 × 5xx, 0 connection errors\n`);
// Background work (the worker's deliveries) may hold timers; the verdict is in.
process.exit(failed ? 1 : 0);
