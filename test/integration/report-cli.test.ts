/** `baton report --tenant … --week …` (issue 11): the weekly digest as Markdown and CSV, from the store file. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/store.ts';
import { generateInsightsSeed, writeInsightsSeed } from '../../server/outcomes/seed-insights.ts';
import { sqliteRunner } from '../../server/outcomes/sql-runner.ts';
import { weeklyDigestMarkdown, mdText } from '../../server/outcomes/weekly-digest.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
let dir: string;

async function baton(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, BATON_DATA_DIR: dir } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let seedWeek: ReturnType<typeof generateInsightsSeed>['outcomes'];

// SQLite in the Postgres pass too (BATON_TEST_STORE): seeded through sqliteRunner; the CLI gets no BATON_DATABASE_URL.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-report-'));
  const store = openSqliteStore(join(dir, 'baton.sqlite'));
  const seed = generateInsightsSeed({ tenantId: 'acme', count: 400, from: '2026-11-09', days: 21, seed: 5 });
  await writeInsightsSeed(sqliteRunner(store.connection), seed);
  // Week 48 of 2026 is Monday 23 to Sunday 29 November.
  seedWeek = seed.outcomes.filter((o) => o.acceptedAt >= Date.UTC(2026, 10, 23) && o.acceptedAt < Date.UTC(2026, 10, 30));
  await store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('baton report', () => {
  it('writes the week as Markdown and CSV', async () => {
    const out = join(dir, 'digests');
    const r = await baton('report', '--tenant', 'acme', '--week', '2026-W48', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${seedWeek.length} handoffs in 2026-W48 (2026-11-23 to 2026-11-29)`);
    const md = readFileSync(join(out, 'baton-digest-acme-2026-W48.md'), 'utf8');
    expect(md).toContain('# Baton weekly digest — acme, 2026-W48');
    expect(md).toContain(`| Handoffs | ${seedWeek.length} (`);
    const refunds = seedWeek.flatMap((o) => o.rejected).filter((x) => x.url === 'https://help.example.com/articles/115-refunds').length;
    expect(md).toMatch(new RegExp(`\\| article \\| How to request a refund \\(https://help\\.example\\.com/articles/115-refunds\\) \\| ${refunds} \\|`));
    const csv = readFileSync(join(out, 'baton-digest-acme-2026-W48.csv'), 'utf8');
    expect(csv.split('\r\n')).toContain(`totals,,,handoffs,${seedWeek.length},`);
  });

  it('refuses bad arguments with exit code 2', async () => {
    expect((await baton('report', '--tenant', 'acme', '--week', '2026-48')).code).toBe(2);
    expect((await baton('report', '--week', '2026-W48')).code).toBe(2);
    expect((await baton('report', '--tenant', 'acme', '--week', '2025-W53')).code).toBe(2);
    expect((await baton('report', '--tenant', '../etc', '--week', '2026-W48')).code).toBe(2);
    expect((await baton('report', '--tenant', 'acme', '--week', '2026-W48', '--bogus')).code).toBe(2);
  });

  it('escapes Markdown in texts from reports', () => {
    expect(mdText('[click](http://evil) | <img src=x> `x`\nnext')).toBe('\\[click\\]\\(http://evil\\) \\| \\<img src=x\\> \\`x\\` next');
    const empty = weeklyDigestMarkdown('2026-W01', {
      tenantId: 'acme', from: '2025-12-29', to: '2026-01-04', groupBy: 'day', filters: {}, generatedAt: '2026-01-05T00:00:00.000Z',
      totals: { handoffs: 0, replied: 0, solved: 0, reopened: 0, repeatYourself: 0, reEscalated: 0, feedback: 0, feedbackAccurate: 0 },
      rates: { repeatYourself: null, reEscalation: null, briefingAccuracy: null }, series: [], breakdown: { reason: [], topic: [], bot: [], channel: [] },
      sentimentAtHandoff: [], firstReply: { overall: { count: 0, p50Seconds: null, p90Seconds: null }, byPriority: [], byGroup: [] }, rejected: [], reasonClusters: [],
    });
    expect(empty).toContain('No handoffs this week.');
    expect(empty).toContain('| Briefings rated accurate by agents | 0 of 0 (–) |');
  });
});
