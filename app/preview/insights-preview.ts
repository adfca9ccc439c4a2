/**
 * /preview/insights (sandbox mode only, a development aid): the REAL built nav_bar page (dist/assets/insights.html)
 * served by Baton with sandbox figures, so people without a Zendesk account can see the dashboard.
 *
 *   GET /preview/insights[?theme=dark] the built page; the ZAF CDN tag dropped, a `<base>` pointing at the assets
 *                                      below, and `#baton-insights-config` naming the data endpoint
 *   GET /preview/insights/assets/:file the built JS/CSS/SVG
 *   GET /preview/insights/data?from=&to=&groupBy=&bot=&channel=&reason=&topic=[&format=csv]
 *                                      `Insights` JSON (or CSV) for the demo tenant, from `loadInsights`
 *                                      (the insights API's computation when wired, else insights-sample.ts)
 *
 * Like /preview, it answers only on a loopback Host (no DNS rebinding), and it is read-only.
 */
import express, { type Request, type Response } from 'express';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../server/config.ts';
import type { Insights, InsightsFilters, InsightsQuery } from '../../server/types/insights.ts';
import { sendError } from '../../server/http/errors.ts';
import { loopbackHostGuard } from '../../server/http/loopback-guard.ts';
import { sampleInsights } from './insights-sample.ts';

export const INSIGHTS_PREVIEW_PATH = '/preview/insights';
export const INSIGHTS_ASSETS_PREFIX = `${INSIGHTS_PREVIEW_PATH}/assets`;
export const INSIGHTS_DATA_PATH = `${INSIGHTS_PREVIEW_PATH}/data`;
/** Longest range the preview computes (the API caps ranges too). */
export const MAX_RANGE_DAYS = 366;

export interface InsightsPreviewDeps {
  config: Pick<Config, 'allowPublicSandbox'> & Partial<Pick<Config, 'tenants'>>;
  distDir: string;
  /** The figures for the demo tenant; defaults to the sandbox sample (insights-sample.ts). */
  loadInsights?: (tenantId: string, q: InsightsQuery) => Promise<Insights>;
  /** CSV of the figures; defaults to a small export of the series and totals. */
  toCsv?: (i: Insights) => string;
  tenantId?: string;
}

const ZAF_CDN_TAG = /\s*<script[^>]*src="https:\/\/static\.zdassets\.com\/zendesk_app_framework_sdk\/[^"]*"[^>]*><\/script>/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FILTER_VALUE = /^[A-Za-z0-9_.:@ -]{1,100}$/;

function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function validDate(s: string): boolean {
  return DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

/** The query of /preview/insights/data, or the problem with it (400). */
export function parseInsightsQuery(q: Request['query']): { ok: true; query: InsightsQuery } | { ok: false; field: string; problem: string } {
  const one = (k: string): string | undefined | null => {
    const v = q[k];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : null;
  };
  const from = one('from');
  const to = one('to');
  if (typeof from !== 'string' || !validDate(from)) return { ok: false, field: 'from', problem: 'must be a date YYYY-MM-DD' };
  if (typeof to !== 'string' || !validDate(to)) return { ok: false, field: 'to', problem: 'must be a date YYYY-MM-DD' };
  if (from > to) return { ok: false, field: 'from', problem: 'must not be after to' };
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_RANGE_DAYS) return { ok: false, field: 'to', problem: `the range is at most ${MAX_RANGE_DAYS} days` };
  const groupBy = one('groupBy') ?? 'day';
  if (groupBy !== 'day' && groupBy !== 'week') return { ok: false, field: 'groupBy', problem: 'must be day or week' };
  const filters: InsightsFilters = {};
  for (const k of ['bot', 'channel', 'reason', 'topic'] as const) {
    const v = one(k);
    if (v === undefined || v === '') continue;
    if (v === null || !FILTER_VALUE.test(v)) return { ok: false, field: k, problem: 'must be one short label (letters, digits, _ . : @ - and spaces)' };
    filters[k] = v;
  }
  return { ok: true, query: { from, to, groupBy, filters } };
}

/** RFC 4180 field; a cell starting with = + - @ gets a leading ' so spreadsheets do not run it as a formula. */
function cell(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sampleCsv(i: Insights): string {
  const keys = [...new Set(i.series.flatMap((s) => Object.keys(s.byReason)))].sort();
  const lines = [['bucket', 'handoffs', ...keys].map(cell).join(',')];
  for (const s of i.series) lines.push([s.bucket, s.handoffs, ...keys.map((k) => s.byReason[k] ?? 0)].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function insightsPreviewRouter(deps: InsightsPreviewDeps): express.Router {
  const assetsDir = join(resolve(deps.distDir), 'assets');
  const tenantId = deps.tenantId ?? deps.config.tenants?.find((t) => t.id === 'demo')?.id ?? deps.config.tenants?.[0]?.id ?? 'demo';
  const load = deps.loadInsights ?? ((tid: string, q: InsightsQuery) => Promise.resolve(sampleInsights(q, tid)));
  const toCsv = deps.toCsv ?? sampleCsv;
  const router = express.Router();
  router.use(INSIGHTS_PREVIEW_PATH, loopbackHostGuard(deps.config));

  router.get(INSIGHTS_PREVIEW_PATH, (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const page = join(assetsDir, 'insights.html');
    if (!existsSync(page)) return sendError(res, 'app_not_built');
    // ?theme=dark shows the dashboard in Garden's dark scheme (as Zendesk's dark mode would).
    const config = jsonForScript({ endpoint: INSIGHTS_DATA_PATH, ...(req.query.theme === 'dark' ? { colorScheme: 'dark' } : {}) });
    const html = readFileSync(page, 'utf8')
      .replace(ZAF_CDN_TAG, '')
      .replace('<head>', `<head>\n    <base href="${INSIGHTS_ASSETS_PREFIX}/">`)
      .replace('<div id="root"></div>', `<div id="root"></div>\n    <script type="application/json" id="baton-insights-config">${config}</script>`);
    res.type('html').send(html);
  });

  router.get(`${INSIGHTS_ASSETS_PREFIX}/:file`, (req: Request, res: Response) => {
    const file = String(req.params.file);
    if (!/^[A-Za-z0-9._-]+$/.test(file) || file.startsWith('.') || file.endsWith('.html')) return sendError(res, 'not_found');
    const path = join(assetsDir, file);
    if (!existsSync(path) || !statSync(path).isFile()) return sendError(res, 'not_found');
    res.set('Cache-Control', 'no-store').sendFile(file, { root: assetsDir, dotfiles: 'deny' });
  });

  router.get(INSIGHTS_DATA_PATH, async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const parsed = parseInsightsQuery(req.query);
    if (!parsed.ok) return sendError(res, 'bad_query', `${parsed.field} ${parsed.problem}`, [{ field: parsed.field, problem: parsed.problem }]);
    const format = req.query.format;
    if (format !== undefined && format !== 'csv' && format !== 'json') return sendError(res, 'bad_query', 'format must be csv or json', [{ field: 'format', problem: 'must be csv or json' }]);
    const insights = await load(tenantId, parsed.query);
    if (format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv')) {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="baton-insights-${parsed.query.from}-to-${parsed.query.to}.csv"`).send(toCsv(insights));
      return;
    }
    res.json(insights);
  });

  return router;
}
