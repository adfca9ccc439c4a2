/**
 * The Express app: health, the webhook, admin, and whatever routers start.ts mounts. Every error leaves as
 * JSON with a code naming the problem; bad input never reaches the 500 branch.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import { errorHandler, sendError } from './errors.ts';
import { securityHeaders } from './security-headers.ts';

export interface AppParts {
  store: Store;
  logger: Logger;
  routers: Router[];
  /** Mounted under a prefix, e.g. a sandbox helpdesk at /sandbox/<name>. */
  mounts?: Array<[string, Router]>;
}

export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    let ok = false;
    try {
      ok = await parts.store.ping();
    } catch {
      ok = false;
    }
    if (!ok) return void res.status(503).json({ status: 'store_unreachable' });
    // Reads work on a full disk while every commit fails: ready only if a real commit goes through.
    const health = parts.store.commitHealth();
    if (!health.ok) return void res.status(503).json({ status: health.code, reason: health.reason, since: new Date(health.since).toISOString() });
    res.json({ status: 'ready' });
  });
  for (const r of parts.routers) app.use(r);
  for (const [prefix, r] of parts.mounts ?? []) app.use(prefix, r);
  app.use((req, res) => sendError(res, 'not_found', `No route for ${req.method} ${req.path}`));
  app.use(errorHandler(parts.logger));
  return app;
}
