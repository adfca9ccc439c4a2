/**
 * Counts every answered handoff webhook (the generic route and each bot platform's) by source, result and
 * status, without touching the routes: mounted before them, it reads the status and the body's `status` field
 * (`queued`, `duplicate`, `ignored`) when the response is sent.
 */
import express, { type Router } from 'express';
import type { BatonMetrics, HandoffResult } from './metrics.ts';

/** `/v1/tenants/{tenantId}/handoffs` → generic; `/v1/tenants/{tenantId}/bots/{platform}` → platform. */
export function handoffSource(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length === 5 && parts[1] === 'v1' && parts[2] === 'tenants' && parts[4] === 'handoffs') return 'generic';
  if (parts.length === 6 && parts[1] === 'v1' && parts[2] === 'tenants' && parts[4] === 'bots') return parts[5];
  return undefined;
}

export function resultOf(status: number, bodyStatus: unknown): HandoffResult {
  if (status >= 400) return 'rejected';
  if (status === 202) return 'accepted';
  if (bodyStatus === 'duplicate') return 'duplicate';
  if (bodyStatus === 'queued') return 'accepted';
  return 'ignored';
}

export function handoffMetrics(metrics: BatonMetrics): Router {
  const router = express.Router();
  router.use((req, res, next) => {
    const source = req.method === 'POST' ? handoffSource(req.path) : undefined;
    if (!source) return next();
    let bodyStatus: unknown;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (body && typeof body === 'object') bodyStatus = (body as { status?: unknown }).status;
      return json(body);
    };
    res.once('finish', () => metrics.handoff(source, resultOf(res.statusCode, bodyStatus), res.statusCode));
    next();
  });
  return router;
}
