/**
 * /preview/insights on a real Express app and port: the page (built-app HTML rewritten), its assets, and the
 * sandbox data endpoint (JSON, CSV, hostile queries → 400 JSON, loopback Host only).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { request } from 'node:http';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insightsPreviewRouter } from '../../../app/preview/insights-preview.ts';
import { sampleInsights } from '../../../app/preview/insights-sample.ts';
import { errorHandler } from '../../../server/http/errors.ts';
import type { Insights } from '../../../server/types/insights.ts';
import { listen } from '../../helpers/listen.ts';

let server: Server;
let base: string;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'baton-insights-preview-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'assets', 'insights.html'),
    '<!doctype html><html><head><title>x</title><script src="https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js" data-zaf-sdk></script><script type="module" src="./insights-abc.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(dist, 'assets', 'insights-abc.js'), 'console.log(1)');
  const app = express();
  app.use(insightsPreviewRouter({ config: { allowPublicSandbox: false }, distDir: dist }));
  app.use(errorHandler(pino({ level: 'silent' })));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dist, { recursive: true, force: true });
});

describe('/preview/insights', () => {
  it('serves the built page without the CDN SDK, with a base for its assets and the data endpoint embedded', async () => {
    const res = await fetch(`${base}/preview/insights`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('static.zdassets.com');
    expect(html).toContain('<base href="/preview/insights/assets/">');
    expect(html).toContain('<script type="application/json" id="baton-insights-config">{"endpoint":"/preview/insights/data"}</script>');
    const js = await fetch(`${base}/preview/insights/assets/insights-abc.js`);
    expect(js.status).toBe(200);
    for (const bad of ['..%2Fassets%2Finsights.html', 'insights.html', '.hidden', 'missing.js']) {
      const r = await fetch(`${base}/preview/insights/assets/${bad}`);
      expect(r.status, bad).toBe(404);
      expect((await r.json()) as unknown).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('answers the sandbox figures as Insights JSON, consistent with themselves and narrowed by a filter', async () => {
    const res = await fetch(`${base}/preview/insights/data?from=2026-11-02&to=2026-11-15&groupBy=week`);
    expect(res.status).toBe(200);
    const all = (await res.json()) as Insights;
    expect(all).toMatchObject({ tenantId: 'demo', from: '2026-11-02', to: '2026-11-15', groupBy: 'week' });
    expect(all.series.map((s) => s.bucket)).toEqual(['2026-11-02', '2026-11-09']);
    expect(all.series.reduce((a, s) => a + s.handoffs, 0)).toBe(all.totals.handoffs);
    expect(all.breakdown.reason.reduce((a, s) => a + s.count, 0)).toBe(all.totals.handoffs);
    const fin = (await (await fetch(`${base}/preview/insights/data?from=2026-11-02&to=2026-11-15&groupBy=week&bot=fin`)).json()) as Insights;
    expect(fin.filters).toEqual({ bot: 'fin' });
    expect(fin.totals.handoffs).toBe(all.breakdown.bot.find((b) => b.key === 'fin')?.count);
    // Deterministic: the same query gives the same figures.
    const again = sampleInsights({ from: '2026-11-02', to: '2026-11-15', groupBy: 'week', filters: {} });
    expect(again.totals).toEqual(all.totals);
  });

  it('exports CSV with format=csv (or Accept: text/csv)', async () => {
    const res = await fetch(`${base}/preview/insights/data?from=2026-11-02&to=2026-11-03&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="baton-insights-2026-11-02-to-2026-11-03.csv"');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^bucket,handoffs,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2026-11-02', '2026-11-03']);
    const viaAccept = await fetch(`${base}/preview/insights/data?from=2026-11-02&to=2026-11-03`, { headers: { Accept: 'text/csv' } });
    expect(viaAccept.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it.each([
    ['from=2026-11-31&to=2026-12-01', 'from'],
    ['from=2026-11-02&to=yesterday', 'to'],
    ['from=2026-11-05&to=2026-11-01', 'from'],
    ['from=2024-01-01&to=2026-01-01', 'to'],
    ['from=2026-11-01&to=2026-11-02&groupBy=month', 'groupBy'],
    ['from=2026-11-01&to=2026-11-02&topic=a&topic=b', 'topic'],
    [`from=2026-11-01&to=2026-11-02&reason=${'x'.repeat(101)}`, 'reason'],
    ['from=2026-11-01&to=2026-11-02&bot=a%00b', 'bot'],
    ['from=2026-11-01&to=2026-11-02&format=xml', 'format'],
    ['from=2026-11-01&to=2026-11-02&tenant=other', 'tenant'],
  ])('refuses %s with 400 naming %s (the insights API parser)', async (qs, field) => {
    const res = await fetch(`${base}/preview/insights/data?${qs}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: Array<{ field: string }> } };
    expect(body.error.code).toBe('bad_query');
    expect(body.error.details[0]?.field).toBe(field);
  });

  it('answers only on a loopback Host', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${base}/preview/insights/data?from=2026-11-01&to=2026-11-02`);
      request({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { Host: 'evil.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it('without dates, answers the last 30 days by day (the API default)', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const res = await fetch(`${base}/preview/insights/data`);
    const after = new Date().toISOString().slice(0, 10);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Insights;
    expect(d.groupBy).toBe('day');
    expect(d.series).toHaveLength(30);
    expect([before, after]).toContain(d.to);
  });
});
