/**
 * `baton analyze [FILE|-] [--jsonl]`: reads a generic handoff event v1 (or a bare `{ "messages": [...] }`)
 * and prints the HandoffReport as JSON. With --jsonl, one input per line in, one report per line out, in
 * order, streamed (a bad line prints `{"error": ...}` on its line so line numbers stay aligned).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { analyze } from '../analysis/index.ts';
import { normalizeGenericHandoff } from '../bots/generic/normalize.ts';

const USAGE = `usage: baton analyze [FILE|-] [--jsonl] [--pretty]
  Reads a generic handoff event v1 (or { "messages": [...] }) from FILE or stdin and prints the report.
  --jsonl   one JSON input per line, one report per line (streaming)
  --pretty  indent the JSON output (single input only)
`;

export function reportFor(input: unknown): string {
  return JSON.stringify(analyze(normalizeGenericHandoff(input, 'cli')));
}

function inputStream(file: string | undefined): Readable {
  return !file || file === '-' ? process.stdin : createReadStream(file, 'utf8');
}

async function readAll(file: string | undefined): Promise<string> {
  if (file && file !== '-') return readFileSync(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes respecting back-pressure so large JSONL streams do not buffer in memory. */
function write(line: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(line)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

export async function run(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const files = argv.filter((a) => !a.startsWith('--'));
  if (flags.has('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = [...flags].filter((f) => f !== '--jsonl' && f !== '--pretty');
  if (unknown.length > 0 || files.length > 1) {
    process.stderr.write(`baton analyze: ${unknown.length ? `unknown option ${unknown[0]}` : 'expected at most one FILE'}\n${USAGE}`);
    return 2;
  }
  const file = files[0];

  if (flags.has('--jsonl')) {
    let failures = 0;
    let lineNo = 0;
    const rl = createInterface({ input: inputStream(file), crlfDelay: Infinity });
    for await (const line of rl) {
      lineNo++;
      if (line.trim() === '') continue;
      try {
        await write(`${reportFor(JSON.parse(line))}\n`);
      } catch (err) {
        failures++;
        const message = err instanceof Error ? err.message : String(err);
        await write(`${JSON.stringify({ error: `line ${lineNo}: ${message}` })}\n`);
      }
    }
    return failures > 0 ? 1 : 0;
  }

  const text = await readAll(file);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    process.stderr.write(`baton analyze: input is not valid JSON (${err instanceof Error ? err.message : String(err)})\n`);
    return 1;
  }
  const report = analyze(normalizeGenericHandoff(input, 'cli'));
  await write(`${flags.has('--pretty') ? JSON.stringify(report, null, 2) : JSON.stringify(report)}\n`);
  return 0;
}
