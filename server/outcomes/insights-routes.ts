/**
 * `GET /v1/tenants/{tenantId}/insights` (issue 11): the Insights JSON, or CSV with `Accept: text/csv` or
 * `?format=csv`. Who may ask: the operator's admin bearer token (any configured tenant), or a helpdesk
 * authorizer's verdict (the Zendesk one accepts only an admin of that tenant's account, with the role asked of
 * Zendesk for the user Zendesk signed for; see helpdesks/zendesk/sidebar/insights-auth.ts). Checks in order:
 * 401 no or bad credentials → 403 another tenant or not an admin → 404 unknown tenant → 400 parameters → 200.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config.ts';
import type { Store } from '../store/store.ts';
import { sendError, type ErrorCode } from '../http/errors.ts';
import { insightsCsv } from './insights-csv.ts';
import { parseInsightsParams } from './insights-params.ts';
import { outcomesFor } from './outcomes-service.ts';

export const INSIGHTS_PATH = '/v1/tenants/:tenantId/insights';

export type InsightsAuth =
  | { ok: true; via: 'admin_token' | 'helpdesk_admin'; tenantId?: string }
  | { ok: false; code: ErrorCode; message?: string }
  /** This authorizer does not recognise the credentials: the next one is asked. */
  | { ok: 'pass' };

export type InsightsAuthorizer = (req: Request, tenantId: string) => Promise<InsightsAuth>;

export interface InsightsRouteDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  /** Helpdesk authorizers (e.g. the Zendesk sidebar session of an admin), asked after the admin token. */
  authorizers?: readonly InsightsAuthorizer[];
  clock?: () => number;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function bearer(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
}

/** CSV when `?format=csv`, or when the client prefers text/csv over JSON and no format is given. */
function wantsCsv(req: Request, format: 'csv' | 'json' | undefined): boolean {
  if (format) return format === 'csv';
  // The client's preference order decides; no Accept header or */* gives JSON (listed first).
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

export function insightsRouter(deps: InsightsRouteDeps): Router {
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  router.get(INSIGHTS_PATH, async (req: Request<{ tenantId: string }>, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const { tenantId } = req.params;
    const token = bearer(req);
    let auth: InsightsAuth = { ok: 'pass' };
    if (token && deps.config.adminToken && sameSecret(token, deps.config.adminToken)) auth = { ok: true, via: 'admin_token' };
    else if (token) {
      for (const a of deps.authorizers ?? []) {
        auth = await a(req, tenantId);
        if (auth.ok !== 'pass') break;
      }
    }
    if (auth.ok === 'pass') {
      res.set('WWW-Authenticate', 'Bearer realm="baton-insights"');
      sendError(res, token ? 'unauthorized' : 'missing_token', token ? 'The bearer token is neither the admin token nor a verified helpdesk admin token' : 'Send the admin token or the helpdesk-signed token as "Authorization: Bearer …"');
      return;
    }
    if (auth.ok === false) {
      sendError(res, auth.code, auth.message);
      return;
    }
    if (!deps.tenants.has(tenantId)) {
      sendError(res, 'not_found', `No tenant ${tenantId} is configured`);
      return;
    }
    const parsed = parseInsightsParams(req.query as Record<string, unknown>, clock());
    if (!parsed.ok) {
      sendError(res, 'bad_query', 'The insights parameters are invalid', parsed.problems);
      return;
    }
    let insights;
    try {
      insights = await outcomesFor(deps.store).insights(tenantId, parsed.query, clock());
    } catch (err) {
      deps.logger.error({ err, tenantId }, 'insights query failed');
      sendError(res, 'store_unavailable', 'The insights could not be read; retry later');
      return;
    }
    deps.logger.info({ tenantId, via: auth.via, from: parsed.query.from, to: parsed.query.to }, 'insights read');
    if (wantsCsv(req, parsed.format)) {
      res
        .status(200)
        .type('text/csv; charset=utf-8; header=present')
        .set('Content-Disposition', `attachment; filename="baton-insights-${tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}-${insights.from}-${insights.to}.csv"`)
        .send(insightsCsv(insights));
      return;
    }
    res.status(200).json(insights);
  });
  return router;
}
