/**
 * Insights benchmark (issue 11): the insights query (GET /v1/tenants/{id}/insights' computation, every figure)
 * over 100,000 stored handoffs of one tenant (plus another tenant's 20,000, which must not slow it down), for
 * the last 30 days and for a full year, on SQLite and — when BATON_DATABASE_URL is set — Postgres. Target
 * ≤ 200 ms. Printed, never asserted. The data is the deterministic seeded set (server/outcomes/seed-insights.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openSqliteStore } from '../server/store/store.ts';
import { openPostgresStore } from '../server/store/postgres/postgres-store.ts';
import type { Store } from '../server/store/store.ts';
import { outcomesFor } from '../server/outcomes/outcomes-service.ts';
import { computeInsights, firstReplyStats } from '../server/outcomes/insights-query.ts';
import { generateInsightsSeed, writeInsightsSeed } from '../server/outcomes/seed-insights.ts';

const HANDOFFS = Number(process.env.BENCH_INSIGHTS_HANDOFFS ?? 100_000);
const RUNS = Number(process.env.BENCH_INSIGHTS_RUNS ?? 15);
const NOW = Date.UTC(2026, 10, 30);

function pct(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

async function measure(label: string, fn: () => Promise<unknown>): Promise<string> {
  await fn(); // warm: statement caches, page cache
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return `  ${label.padEnd(34)} median ${pct(ms, 0.5).toFixed(1).padStart(6)} ms   p90 ${pct(ms, 0.9).toFixed(1).padStart(6)} ms   (${RUNS} runs, target ≤ 200 ms)`;
}

async function benchStore(kind: string, store: Store): Promise<string[]> {
  const o = outcomesFor(store);
  const t0 = performance.now();
  await writeInsightsSeed(o.outcomes.sql, generateInsightsSeed({ tenantId: 'bench', count: HANDOFFS, from: '2025-12-01', days: 365, seed: 1 }));
  await writeInsightsSeed(o.outcomes.sql, generateInsightsSeed({ tenantId: 'noise', count: Math.round(HANDOFFS / 5), from: '2025-12-01', days: 365, seed: 2 }));
  // Statistics (and, on Postgres, the visibility map index-only scans need), as autovacuum would keep them.
  await o.outcomes.sql.run(store.kind === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  const lines = [`${kind}: seeded ${HANDOFFS} handoffs (+${Math.round(HANDOFFS / 5)} of another tenant) in ${((performance.now() - t0) / 1000).toFixed(1)} s`];
  const sql = o.outcomes.sql;
  lines.push(await measure('30 days, by day', () => computeInsights(sql, 'bench', { from: '2026-10-31', to: '2026-11-29', groupBy: 'day' }, NOW)));
  lines.push(await measure('366 days, by week', () => computeInsights(sql, 'bench', { from: '2025-11-29', to: '2026-11-29', groupBy: 'week' }, NOW)));
  lines.push(await measure('366 days, by week, bot filter', () => computeInsights(sql, 'bench', { from: '2025-11-29', to: '2026-11-29', groupBy: 'week', filters: { bot: 'Fin' } }, NOW)));
  const stats = firstReplyStats(sql);
  lines.push(await measure('first-reply stats, 28 days, group', () => stats({ tenantId: 'bench', sinceMs: NOW - 28 * 86_400_000, group: '360001', priority: 'high' })));
  return lines;
}

export async function runInsightsBench(): Promise<string> {
  const out: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-insights-'));
  const sqlite = openSqliteStore(join(dir, 'baton.sqlite'));
  try {
    out.push(...(await benchStore('SQLite', sqlite)));
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.BATON_DATABASE_URL?.trim();
  if (!url) {
    out.push('Postgres: skipped (set BATON_DATABASE_URL)');
    return out.join('\n');
  }
  // A database of its own, dropped afterwards.
  const name = `baton_bench_insights_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const store = await openPostgresStore(u.toString());
  try {
    out.push(...(await benchStore('Postgres', store)));
  } finally {
    await store.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  return out.join('\n');
}
