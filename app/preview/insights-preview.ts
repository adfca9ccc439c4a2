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
import type { Insights, InsightsQuery } from '../../server/types/insights.ts';
import { parseInsightsParams } from '../../server/outcomes/insights-params.ts';
import { sendError } from '../../server/http/errors.ts';
import { loopbackHostGuard } from '../../server/http/loopback-guard.ts';
import { sampleInsights } from './insights-sample.ts';

export const INSIGHTS_PREVIEW_PATH = '/preview/insights';
export const INSIGHTS_ASSETS_PREFIX = `${INSIGHTS_PREVIEW_PATH}/assets`;
export const INSIGHTS_DATA_PATH = `${INSIGHTS_PREVIEW_PATH}/data`;

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

function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
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
    // The insights API's own parser: the preview takes and refuses exactly what the API does.
    const parsed = parseInsightsParams(req.query as Record<string, unknown>, Date.now());
    if (!parsed.ok) return sendError(res, 'bad_query', parsed.problems.map((p) => `${p.field} ${p.problem}`).join('; '), parsed.problems);
    const insights = await load(tenantId, parsed.query);
    const format = parsed.format;
    if (format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv')) {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="baton-insights-${parsed.query.from}-to-${parsed.query.to}.csv"`).send(toCsv(insights));
      return;
    }
    res.json(insights);
  });

  return router;
}
