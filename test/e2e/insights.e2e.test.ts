/**
 * End-to-end: real headless Chromium → /preview/insights on a real HTTP server (Baton's security headers, the
 * insights preview router, Baton's error handler) → the REAL built nav_bar page (its own build in a temp dir,
 * so no other test's rebuild of dist/ can pull it away). No timed assertions: every wait is for a condition.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insightsPreviewRouter } from '../../app/preview/insights-preview.ts';
import { sampleInsights } from '../../app/preview/insights-sample.ts';
import { ensureAppBuilt } from '../../server/http/build-app.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { securityHeaders } from '../../server/http/security-headers.ts';
import type { Insights, InsightsQuery } from '../../server/types/insights.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { listen } from '../helpers/listen.ts';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

let browser: Browser;
let server: Server;
let base: string;
let distDir: string;
/** Every query the data endpoint answered, and what it answered. */
const served: Array<{ query: InsightsQuery; insights: Insights }> = [];

async function openDashboard(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${base}/preview/insights`);
  await page.waitForSelector('main[data-phase=ready]');
  return { page, errors };
}

describe.skipIf(!hasChromium())('Baton insights (nav_bar) in Chromium through /preview/insights', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'baton-insights-dist-'));
    await ensureAppBuilt({ distDir, quiet: true });
    const app = express();
    app.use(securityHeaders());
    app.use(
      insightsPreviewRouter({
        config: { allowPublicSandbox: false },
        distDir,
        loadInsights: async (tenantId, query) => {
          const insights = sampleInsights(query, tenantId);
          served.push({ query, insights });
          return insights;
        },
      }),
    );
    app.use(errorHandler(pino({ level: 'silent' })));
    ({ server, base } = await listen(app));
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await new Promise((r) => server?.close(r));
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  });

  it('renders the charts from the data: SVG bars present, their counts those the server answered', async () => {
    const { page, errors } = await openDashboard();
    const last = served[served.length - 1] as { insights: Insights };
    const d = last.insights;
    expect(await page.textContent('[data-testid=kpi-handoffs]')).toBe(d.totals.handoffs.toLocaleString('en-US'));
    const segs = await page.$$eval('[data-testid=chart-handoffs-by-reason] rect[data-bar=segment]', (rs) =>
      rs.map((r) => ({ bucket: r.getAttribute('data-bucket'), series: r.getAttribute('data-series'), count: Number(r.getAttribute('data-count')), h: Number(r.getAttribute('height')) })),
    );
    const expected = d.series.flatMap((s) => Object.entries(s.byReason).filter(([, n]) => n > 0).map(([series, count]) => ({ bucket: s.bucket, series, count })));
    expect(segs.map(({ bucket, series, count }) => ({ bucket, series, count }))).toEqual(expect.arrayContaining(expected));
    expect(segs).toHaveLength(expected.length);
    expect(segs.every((s) => s.h > 0)).toBe(true);
    expect(segs.reduce((a, s) => a + s.count, 0)).toBe(d.totals.handoffs);
    const topics = await page.$$eval('[data-testid=chart-by-topic] [data-bar=item]', (bs) => bs.map((b) => [b.getAttribute('data-key'), Number(b.getAttribute('data-count'))]));
    expect(topics).toEqual(d.breakdown.topic.slice(0, 8).map((t) => [t.key, t.count]));
    // Every chart is an image with a summary for screen readers, and has its table.
    const imgs = await page.$$eval('svg[role=img]', (ss) => ss.map((s) => s.getAttribute('aria-label') ?? ''));
    expect(imgs.length).toBeGreaterThanOrEqual(8);
    expect(imgs.every((l) => l.length > 20)).toBe(true);
    expect(await page.locator('section[data-chart] table').count()).toBe(await page.locator('section[data-chart]').count());
    expect(errors).toEqual([]);
    await page.close();
  });

  it('axe-core finds no serious or critical violations (charts, and with a table shown)', async () => {
    const { page } = await openDashboard();
    const run = async () => {
      // Through the DevTools protocol: an inline <script> would be (rightly) blocked by Baton's CSP.
      await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
      return page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
        const res = await axe.run(document, { resultTypes: ['violations'] });
        return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
      });
    };
    const serious = (vs: Awaited<ReturnType<typeof run>>) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious(await run())).toEqual([]);
    await page.getByRole('button', { name: 'Show as table' }).first().click();
    await page.waitForSelector('[data-testid=table-handoffs-by-reason]:visible');
    expect(serious(await run())).toEqual([]);
    await page.close();
  });

  it('keyboard: Tab reaches the date range, the grouping, every filter and the CSV link, in that order', async () => {
    const { page } = await openDashboard();
    const seen: string[] = [];
    for (let i = 0; i < 20 && !seen.includes('csv'); i++) {
      await page.keyboard.press('Tab');
      seen.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return '';
          if (el.getAttribute('data-testid') === 'csv-link') return 'csv';
          return el.getAttribute('name') ?? el.textContent?.trim() ?? el.tagName;
        }),
      );
    }
    const order = ['from', 'to', 'groupBy', 'bot', 'channel', 'reason', 'topic', 'csv'];
    // Chromium's date input has one tab stop per part (month, day, year): count each control once.
    expect(seen.filter((s, i) => order.includes(s) && s !== seen[i - 1])).toEqual(order);
    const href = await page.getAttribute('[data-testid=csv-link]', 'href');
    expect(href).toMatch(/^\/preview\/insights\/data\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&groupBy=day&format=csv$/);
    // The "Show as table" toggles are buttons in the tab order too.
    await page.focus('section[data-chart=handoffs-by-reason] button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=table-handoffs-by-reason]:visible');
    await page.close();
  });

  it('changing a filter refetches, and the charts show the filtered figures', async () => {
    const { page } = await openDashboard();
    const before = served.length;
    const bot = (served[served.length - 1] as { insights: Insights }).insights.breakdown.bot[0]?.key as string;
    const refetch = page.waitForRequest((r) => r.url().includes('/preview/insights/data?') && r.url().includes(`bot=${encodeURIComponent(bot)}`));
    await page.focus('select[name=bot]');
    await page.selectOption('select[name=bot]', bot);
    await refetch;
    await page.waitForFunction((n) => Number(document.querySelector('main')?.getAttribute('data-loads')) >= n && document.querySelector('main')?.getAttribute('data-phase') === 'ready', 2);
    expect(served.length).toBe(before + 1);
    const filtered = (served[served.length - 1] as { query: InsightsQuery; insights: Insights });
    expect(filtered.query.filters).toEqual({ bot });
    expect(await page.textContent('[data-testid=kpi-handoffs]')).toBe(filtered.insights.totals.handoffs.toLocaleString('en-US'));
    const sum = await page.$$eval('[data-testid=chart-handoffs-by-reason] rect[data-bar=segment]', (rs) => rs.reduce((a, r) => a + Number(r.getAttribute('data-count')), 0));
    expect(sum).toBe(filtered.insights.totals.handoffs);
    // The CSV link follows the filter.
    expect(await page.getAttribute('[data-testid=csv-link]', 'href')).toContain(`bot=${encodeURIComponent(bot)}`);
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), (await page.getAttribute('[data-testid=csv-link]', 'href')) as string);
    expect(csv.split('\r\n')[0]).toMatch(/^bucket,handoffs/);
    await page.close();
  });
});
