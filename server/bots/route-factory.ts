/**
 * One route per bot adapter, every one with the same fixed order of checks and exact statuses (after
 * octokit/webhooks.js): 415 content type → 413 size → 401 authentication (unknown tenant, or a platform the
 * tenant has not set up: the same answer) → 400 JSON → 422 depth → 422 the adapter's own reading → 422 a target
 * helpdesk the tenant does not connect → store → 202 queued / 200 duplicate / 200 ignored.
 * The 202 is sent only after every event of the request and its job are committed (pipeline/inbox.ts).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { sendError } from '../http/errors.ts';
import { requireJsonBody } from '../http/content-type.ts';
import { TOKEN_UNAUTHORIZED } from './token-auth.ts';
import type { BotAdapter } from './bot-adapter.ts';
import { webhookChecks, type WebhookCheckDeps } from './webhook-checks.ts';

export { defaultResponse } from './webhook-checks.ts';

export interface BotRouteDeps extends WebhookCheckDeps {
  /** Wakes the worker so a new job does not wait for the next poll. */
  onAccepted?: () => void;
}

/** The route of one adapter: 415 and 413 here, then the checks every path shares (webhook-checks.ts). */
export function botRoute<S>(adapter: BotAdapter<S>, deps: BotRouteDeps): Router {
  const checks = webhookChecks(adapter, deps);
  const router = express.Router();

  router.post(
    adapter.path,
    // 415 unless application/json in UTF-8 (a declared charset=latin1 would be misread): http/content-type.ts.
    requireJsonBody,
    // inflate:false — signatures are over the bytes as sent; a compressed body is refused with 415.
    express.raw({ type: () => true, limit: deps.config.maxBodyBytes, inflate: false }),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await checks({ tenantId: req.params.tenantId, header: (name) => req.get(name), raw });
      if (!res.headersSent) res.status(answer.status).json(answer.body);
      if (answer.accepted) deps.onAccepted?.();
    },
  );
  return router;
}

/**
 * `POST /v1/tenants/:tenantId/bots/:platform` for a platform no adapter serves: after the same content-type and
 * size checks, the same 401 as a bad credential (nobody learns which platforms exist). Mounted after the adapters.
 */
export function unknownBotRoute(config: Readonly<Config>, logger: Logger): Router {
  const router = express.Router();
  router.post('/v1/tenants/:tenantId/bots/:platform', requireJsonBody, express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }), (_req: Request, res: Response) => {
    logger.warn({ reason: 'unknown_platform' }, 'webhook rejected: 401');
    sendError(res, 'invalid_signature', TOKEN_UNAUTHORIZED);
  });
  return router;
}
