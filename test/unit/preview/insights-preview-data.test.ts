/**
 * /preview/insights' sandbox figures: the insights computation over a real SQLite store, seeded once with the
 * deterministic data set for the demo tenant, served through the preview router.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoInsightsData } from '../../../app/preview/insights-preview-data.ts';
import { insightsPreviewRouter } from '../../../app/preview/insights-preview.ts';
import { errorHandler } from '../../../server/http/errors.ts';
import { CSV_HEADER } from '../../../server/outcomes/insights-csv.ts';
import { openSqliteStore, type SqliteStore } from '../../../server/store/store.ts';
import type { Insights } from '../../../server/types/insights.ts';
import { listen } from '../../helpers/listen.ts';

const NOW = Date.UTC(2026, 10, 29, 12); // Sunday 2026-11-29
let dir: string;
let store: SqliteStore;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-insights-demo-'));
  store = openSqliteStore(join(dir, 'baton.db'));
  const app = express();
  app.use(insightsPreviewRouter({ config: { allowPublicSandbox: false }, distDir: dir, tenantId: 'demo', ...demoInsightsData(store, { count: 400, days: 28, now: () => NOW }) }));
  app.use(errorHandler(pino({ level: 'silent' })));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = () => (store.connection.prepare("SELECT COUNT(*) AS n FROM handoff_outcomes WHERE tenant_id = 'demo'").get() as { n: number }).n;

describe('/preview/insights/data over the seeded demo tenant', () => {
  it('seeds the demo tenant once, then answers the computed insights for the range', async () => {
    const res = await fetch(`${base}/preview/insights/data?from=2026-11-02&to=2026-11-29&groupBy=week`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Insights;
    expect(count()).toBe(400);
    expect(d).toMatchObject({ tenantId: 'demo', from: '2026-11-02', to: '2026-11-29', groupBy: 'week' });
    expect(d.totals.handoffs).toBe(400);
    expect(d.series.map((s) => s.bucket)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(d.series.reduce((a, s) => a + s.handoffs, 0)).toBe(400);
    expect(d.rejected.length).toBeGreaterThan(0);
    // A second request, and a filtered one, do not seed again.
    const fin = (await (await fetch(`${base}/preview/insights/data?from=2026-11-02&to=2026-11-29&bot=${encodeURIComponent(d.breakdown.bot[0]?.key ?? '')}`)).json()) as Insights;
    expect(count()).toBe(400);
    expect(fin.totals.handoffs).toBe(d.breakdown.bot[0]?.count);
  });

  it('exports the insights API CSV', async () => {
    const res = await fetch(`${base}/preview/insights/data?from=2026-11-02&to=2026-11-29&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await res.text()).split('\r\n')[0]).toBe(CSV_HEADER.join(','));
  });
});
