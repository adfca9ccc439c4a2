/**
 * The part every Zendesk webhook to Baton shares (ticket-created, outcomes): a POST route whose checks run in
 * order 415 content type → 413 size → 401 signature (missing, wrong, outside the replay window, or unknown tenant /
 * no signing secret: one answer) → 401 replay of a delivery already received → 400 JSON → 422 not a flat object,
 * then the handler with the tenant and the body. Signature: base64 HMAC-SHA256 of timestamp + raw body
 * (https://developer.zendesk.com/documentation/webhooks/verifying/), see webhook-signature.ts.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../config.ts';
import { sendError } from '../../http/errors.ts';
import { requireJsonBody } from '../../http/content-type.ts';
import { findTooDeep } from '../../http/json-depth.ts';
import { NOT_JSON, parseJsonBody } from '../../http/json-body.ts';
import { zendeskConfigOf } from './zendesk-config.ts';
import { SeenSignatures, verifyZendeskWebhook, ZENDESK_SIGNATURE_HEADER, ZENDESK_TIMESTAMP_HEADER } from './webhook-signature.ts';

export interface SignedWebhookDeps {
  config: Readonly<Config>;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  clock?: () => number;
}

export interface SignedDelivery {
  tenant: TenantConfig;
  body: Record<string, unknown>;
  /** When the delivery was checked (the deps' clock). */
  now: number;
  res: Response;
}

/** A router with one signed Zendesk webhook at `path`; `name` says which in the logs ("zendesk outcome webhook"). */
export function signedZendeskWebhook(path: string, name: string, deps: SignedWebhookDeps, handle: (d: SignedDelivery) => Promise<void> | void): Router {
  const { config, logger, tenants } = deps;
  const clock = deps.clock ?? Date.now;
  const seen = new SeenSignatures();
  const router = express.Router();
  router.post(
    path,
    requireJsonBody,
    express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const tenant = tenants.get(req.params.tenantId);
      const secret = tenant ? zendeskConfigOf(tenant)?.webhookSigningSecret : undefined;
      const now = clock();
      const signature = req.get(ZENDESK_SIGNATURE_HEADER);
      const check = verifyZendeskWebhook(signature, req.get(ZENDESK_TIMESTAMP_HEADER), raw, secret, now, config.signatureToleranceSec);
      if (!tenant || !secret || !check.ok) {
        logger.warn({ tenantKnown: Boolean(tenant), reason: check.ok ? 'no_signing_secret' : check.reason }, `${name} rejected: 401`);
        sendError(res, 'invalid_webhook_signature');
        return;
      }
      // Within the window a captured delivery could be sent again: the handlers are idempotent, but say so.
      if (!seen.remember(`${tenant.id}:${signature as string}`, now, 2 * config.signatureToleranceSec * 1000)) {
        logger.warn({ tenantId: tenant.id }, `${name} replayed: 401`);
        sendError(res, 'webhook_replayed');
        return;
      }
      const body = parseJsonBody(raw, res);
      if (body === NOT_JSON) return;
      if (findTooDeep(body) !== undefined || typeof body !== 'object' || body === null || Array.isArray(body)) {
        sendError(res, 'invalid_webhook_body', 'Body must be a flat JSON object', [{ field: '(body)', problem: 'must be an object' }]);
        return;
      }
      await handle({ tenant, body: body as Record<string, unknown>, now, res });
    },
  );
  return router;
}
