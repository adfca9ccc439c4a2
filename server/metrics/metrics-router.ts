/**
 * GET /metrics for Prometheus. Bearer BATON_METRICS_TOKEN (config `metricsToken`) or, when none is set, the admin
 * token; with neither the route is off (404), because the figures name tenants' traffic and helpdesks.
 * Prometheus sends the token with `authorization: { credentials: … }` in its scrape config
 * (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { sendError } from '../http/errors.ts';
import type { BatonMetrics } from './metrics.ts';

function sameSecret(a: string, b: string): boolean {
  // Hash first so lengths match and the compare stays constant-time.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function metricsRouter(deps: { metrics: BatonMetrics; token: string | undefined }): Router {
  const router = express.Router();
  router.get('/metrics', (req, res, next) => {
    if (!deps.token) return sendError(res, 'metrics_disabled');
    const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given) {
      res.set('WWW-Authenticate', 'Bearer realm="baton-metrics"');
      return sendError(res, 'metrics_unauthorized');
    }
    if (!sameSecret(given, deps.token)) return sendError(res, 'metrics_forbidden');
    deps.metrics
      .render()
      .then(({ contentType, body }) => void res.set('Content-Type', contentType).set('Cache-Control', 'no-store').send(body))
      .catch(next);
  });
  return router;
}

/** BATON_METRICS_TOKEN wins; else the admin token (config or BATON_ADMIN_TOKEN). */
export function metricsToken(env: NodeJS.ProcessEnv, adminToken: string | undefined): string | undefined {
  const own = env.BATON_METRICS_TOKEN?.trim();
  return own ? own : adminToken;
}
