/**
 * End-to-end: real headless Chromium → a real Baton (startBaton, sandbox config: the demo tenant, its insights
 * seeded by /preview/insights on first use) → /preview/insights → the REAL built nav_bar page (built into a temp
 * dir, so no other test's rebuild of dist/ can pull it away). What the page draws is checked against the JSON the
 * server sent it. No timed assertions: every wait is for a condition.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../server/outcomes/insights-csv.ts';
import type { Insights, InsightsFilters } from '../../server/types/insights.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { startHarness, type Harness } from './harness.ts';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

let h: Harness;
let distDir: string;
/** Every insights answer the page received (URL and body), in order. */
interface Served {
  url: string;
  query: { filters: InsightsFilters };
  insights: Insights;
}
let served: Served[] = [];

async function openDashboard(viewport = { width: 1280, height: 900 }, query = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('response', (r) => {
    if (!r.url().includes('/preview/insights/data?') || r.url().includes('format=csv')) return;
    void r.json().then((insights: Insights) => served.push({ url: r.url(), query: { filters: insights.filters }, insights }), () => undefined);
  });
  served = [];
  await page.goto(`${h.baton.url}/preview/insights${query}`);
  await page.waitForSelector('main[data-phase=ready]');
  await waitServed(1);
  return { page, errors };
}

/** Resolves once `n` insights answers were read (their bodies are parsed asynchronously). */
async function waitServed(n: number): Promise<void> {
  while (served.length < n) await new Promise((r) => setTimeout(r, 5));
}

describe.skipIf(!hasChromium())('Baton insights (nav_bar) in Chromium through /preview/insights', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'baton-insights-dist-'));
    h = await startHarness({ distDir });
  }, 240_000);

  afterAll(async () => {
    await h?.close();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  });

  it('renders the charts from the data: SVG bars present, their counts those the server answered', async () => {
    const { page, errors } = await openDashboard();
    const d = (served[served.length - 1] as Served).insights;
    expect(d.tenantId).toBe('demo');
    expect(d.totals.handoffs).toBeGreaterThan(100);
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
    const imgs = await page.$$eval('section[data-chart] svg[role=img]', (ss) => ss.map((s) => s.getAttribute('aria-label') ?? ''));
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
    // Dark scheme: the same checks (contrast included).
    const dark = await openDashboard(undefined, '?theme=dark');
    expect(await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)');
    await dark.page.evaluate(readFileSync(AXE_PATH, 'utf8'));
    const darkViolations = await dark.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
      return (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    expect(darkViolations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await dark.page.close();
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
    const bot = (served[served.length - 1] as Served).insights.breakdown.bot[0]?.key as string;
    const refetch = page.waitForRequest((r) => r.url().includes('/preview/insights/data?') && r.url().includes(`bot=${encodeURIComponent(bot)}`));
    await page.focus('select[name=bot]');
    await page.selectOption('select[name=bot]', bot);
    await refetch;
    await page.waitForFunction((n) => Number(document.querySelector('main')?.getAttribute('data-loads')) >= n && document.querySelector('main')?.getAttribute('data-phase') === 'ready', 2);
    await waitServed(before + 1);
    expect(served.length).toBe(before + 1);
    const filtered = served[served.length - 1] as Served;
    expect(filtered.url).toContain(`bot=${encodeURIComponent(bot)}`);
    expect(filtered.query.filters).toEqual({ bot });
    expect(await page.textContent('[data-testid=kpi-handoffs]')).toBe(filtered.insights.totals.handoffs.toLocaleString('en-US'));
    const sum = await page.$$eval('[data-testid=chart-handoffs-by-reason] rect[data-bar=segment]', (rs) => rs.reduce((a, r) => a + Number(r.getAttribute('data-count')), 0));
    expect(sum).toBe(filtered.insights.totals.handoffs);
    // The CSV link follows the filter.
    expect(await page.getAttribute('[data-testid=csv-link]', 'href')).toContain(`bot=${encodeURIComponent(bot)}`);
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), (await page.getAttribute('[data-testid=csv-link]', 'href')) as string);
    expect(csv.split('\r\n')[0]).toBe(CSV_HEADER.join(','));
    await page.close();
  });
});
