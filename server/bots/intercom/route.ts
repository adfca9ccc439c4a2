/**
 * POST /v1/tenants/:tenantId/bots/intercom — Intercom webhooks (`notification_event`) in.
 * The generic route's fixed order of checks, with Intercom's signature:
 * 415 content type → 413 size → 401 `X-Hub-Signature` (or unknown tenant, or a tenant without Intercom: one
 * body for all) → 400 JSON → 422 not a notification_event → 200 ignored (not a handoff) → store → 202 / 200
 * duplicate. Intercom retries a delivery that is not answered 2xx in time, so anything Baton does not act on
 * is answered 200 rather than an error it would retry.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../config.ts';
import type { InboxResult } from '../../store/store.ts';
import { UnserializableEventError, type Inbox } from '../../pipeline/inbox.ts';
import { sendError } from '../../http/errors.ts';
import { requireJsonBody } from '../../http/content-type.ts';
import { findTooDeep, MAX_JSON_DEPTH } from '../../http/json-depth.ts';
import { intercomConfigOf } from '../../helpdesks/intercom/intercom-config.ts';
import { HUB_SIGNATURE_HEADER, verifyHubSignature } from './verify.ts';
import { parseIntercomWebhook } from './parse.ts';
import { webhookHandoffEvent } from './handoff-event.ts';

export interface BotRouteDeps {
  config: Readonly<Config>;
  inbox: Inbox;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  /** Wakes the worker so a new job does not wait for the next poll. */
  onAccepted?: () => void;
  clock?: () => number;
}

export const INTERCOM_WEBHOOK_PATH = '/v1/tenants/:tenantId/bots/intercom';

// Unknown tenants (and tenants without Intercom) are checked against a throwaway secret: same path, same time.
const DECOY_SECRETS = ['decoy-secret-for-unknown-tenants'];

export function intercomBotRouter(deps: BotRouteDeps): Router {
  const { config, inbox, logger, tenants } = deps;
  const clock = deps.clock ?? Date.now;
  const router = express.Router();

  router.post(
    INTERCOM_WEBHOOK_PATH,
    requireJsonBody,
    // The signature is over the bytes as sent: no inflation (a compressed body is refused with 415).
    express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const tenant = tenants.get(req.params.tenantId);
      const intercom = tenant ? intercomConfigOf(tenant) : undefined;
      const check = verifyHubSignature(req.get(HUB_SIGNATURE_HEADER), raw, intercom ? [intercom.clientSecret] : DECOY_SECRETS);
      if (!tenant || !intercom || !check.ok) {
        logger.warn({ tenantKnown: Boolean(tenant), intercom: Boolean(intercom), reason: check.ok ? 'unknown_tenant' : check.reason }, 'intercom webhook rejected: 401');
        sendError(res, 'invalid_signature');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        sendError(res, 'malformed_json', `Body is not valid JSON: ${(err as Error).message}`);
        return;
      }
      const tooDeep = findTooDeep(body);
      if (tooDeep !== undefined) {
        sendError(res, 'invalid_handoff', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`, [{ field: tooDeep, problem: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
        return;
      }
      const parsed = parseIntercomWebhook(body, { workflowHandoffs: intercom.workflowHandoffs });
      if (parsed.kind === 'invalid') {
        sendError(res, 'invalid_handoff', 'Body is not an Intercom notification_event Baton can read', parsed.errors);
        return;
      }
      if (parsed.kind === 'ignored') {
        logger.info({ tenantId: tenant.id, reason: parsed.reason }, 'intercom webhook ignored');
        res.status(200).json({ status: 'ignored', reason: parsed.reason });
        return;
      }
      const event = webhookHandoffEvent(parsed, tenant.id, new Date(clock()).toISOString(), intercom.region);
      let result: InboxResult;
      try {
        result = await inbox.accept(event);
      } catch (err) {
        if (err instanceof UnserializableEventError) {
          sendError(res, 'invalid_handoff', err.message);
          return;
        }
        logger.error({ err, tenantId: tenant.id }, 'could not store intercom handoff');
        sendError(res, 'store_unavailable');
        return;
      }
      const ids = { handoffId: result.handoffId, tenantId: tenant.id, eventId: event.id };
      if (result.duplicate) {
        logger.info(ids, 'duplicate intercom handoff');
        res.status(200).json({ handoffId: result.handoffId, status: 'duplicate' });
        return;
      }
      logger.info({ ...ids, via: parsed.via }, 'intercom handoff queued');
      res.status(202).json({ handoffId: result.handoffId, status: 'queued' });
      deps.onAccepted?.();
    },
  );
  return router;
}
