/**
 * `baton report --tenant <id> --week 2026-W48 [--out <dir>]`: the weekly digest for bot owners (issue 11), as
 * Markdown and CSV files in `--out` (default: the current directory), named
 * `baton-digest-<tenant>-<week>.md|.csv`. Reads the store the server uses (BATON_DATA_DIR). Exit 2 on bad arguments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCliStore } from './open-store.ts';
import { outcomesFor } from '../outcomes/outcomes-service.ts';
import { isoWeekRange, DAY_MS, parseDay } from '../outcomes/insights-range.ts';
import { insightsCsv } from '../outcomes/insights-csv.ts';
import { weeklyDigestMarkdown } from '../outcomes/weekly-digest.ts';

const USAGE = 'usage: baton report --tenant <tenant id> --week <ISO week, e.g. 2026-W48> [--out <dir>]\n';

export async function run(argv: string[]): Promise<number> {
  let values: { tenant?: string; week?: string; out?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { tenant: { type: 'string' }, week: { type: 'string' }, out: { type: 'string' } }, strict: true }));
  } catch (err) {
    process.stderr.write(`baton report: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const tenant = values.tenant?.trim();
  if (!tenant || !/^[A-Za-z0-9_-]{1,64}$/.test(tenant)) {
    process.stderr.write(`baton report: --tenant must be a tenant id\n${USAGE}`);
    return 2;
  }
  const range = values.week ? isoWeekRange(values.week) : undefined;
  if (!range) {
    process.stderr.write(`baton report: --week must be an ISO week like 2026-W48${values.week ? ` (got "${values.week}")` : ''}\n${USAGE}`);
    return 2;
  }
  const store = await Promise.resolve(openCliStore());
  if (!store) return 1;
  try {
    const o = outcomesFor(store);
    const now = Date.now();
    const insights = await o.insights(tenant, { from: range.from, to: range.to, groupBy: 'day' }, now);
    const prevFrom = new Date(parseDay(range.from)! - 7 * DAY_MS).toISOString().slice(0, 10);
    const prevTo = new Date(parseDay(range.to)! - 7 * DAY_MS).toISOString().slice(0, 10);
    const previous = await o.insights(tenant, { from: prevFrom, to: prevTo, groupBy: 'day' }, now);
    const dir = resolve(values.out ?? '.');
    mkdirSync(dir, { recursive: true });
    const base = `baton-digest-${tenant}-${values.week}`;
    const md = join(dir, `${base}.md`);
    const csv = join(dir, `${base}.csv`);
    writeFileSync(md, weeklyDigestMarkdown(values.week!, insights, previous));
    writeFileSync(csv, insightsCsv(insights));
    process.stdout.write(`${insights.totals.handoffs} handoffs in ${values.week} (${range.from} to ${range.to})\nwrote ${md}\nwrote ${csv}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
