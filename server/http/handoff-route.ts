/**
 * POST /v1/tenants/:tenantId/handoffs — Baton's signed generic webhook.
 * Checks run in one fixed order with exact statuses (after octokit/webhooks.js):
 * 415 content type → 413 size → 401 signature/tenant → 400 JSON → 422 schema → 202/200.
 * The 202 is sent only after the event and its job are committed in one SQLite transaction.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config.ts';
import type { InboxResult } from '../store/store.ts';
import { UnserializableEventError, type Inbox } from '../pipeline/inbox.ts';
import { SIGNATURE_HEADER, verifyBatonSignature } from '../bots/generic/verify.ts';
import { validateGenericHandoff } from '../bots/generic/schema.ts';
import { normalizeGenericHandoff } from '../bots/generic/normalize.ts';
import { sendError } from './errors.ts';
import { requireJsonBody } from './content-type.ts';
import { findTooDeep, MAX_JSON_DEPTH } from './json-depth.ts';

export interface HandoffRouteDeps {
  config: Readonly<Config>;
  inbox: Inbox;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  /** Wakes the worker so a new job does not wait for the next poll. */
  onAccepted?: () => void;
  clock?: () => number;
}

// Unknown tenants are checked against a throwaway secret so both failures take the same path and time.
const DECOY_SECRETS = ['decoy-secret-for-unknown-tenants'];

export function handoffRouter(deps: HandoffRouteDeps): Router {
  const { config, inbox, logger, tenants } = deps;
  const clock = deps.clock ?? Date.now;
  const router = express.Router();

  router.post(
    '/v1/tenants/:tenantId/handoffs',
    // 415 unless application/json in UTF-8 (a declared charset=latin1 would be misread): content-type.ts.
    requireJsonBody,
    // inflate:false — the signature is over the bytes as sent; a compressed body is refused with 415.
    express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const tenant = tenants.get(req.params.tenantId);
      const check = verifyBatonSignature(
        req.get(SIGNATURE_HEADER),
        raw,
        tenant?.webhookSecrets ?? DECOY_SECRETS,
        Math.floor(clock() / 1000),
        config.signatureToleranceSec,
      );
      if (!tenant || !check.ok) {
        // Same body for an unknown tenant and a bad signature: nothing to learn about which tenants exist.
        logger.warn({ tenantKnown: Boolean(tenant), reason: check.ok ? 'unknown_tenant' : check.reason }, 'webhook rejected: 401');
        sendError(res, 'invalid_signature', 'Missing, invalid or expired Baton-Signature, or unknown tenant');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        sendError(res, 'malformed_json', `Body is not valid JSON: ${(err as Error).message}`);
        return;
      }
      // Before anything recursive (the schema check, the store's JSON.stringify) touches it.
      const tooDeep = findTooDeep(body);
      if (tooDeep !== undefined) {
        sendError(res, 'invalid_handoff', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`, [
          { field: tooDeep, problem: `nested deeper than ${MAX_JSON_DEPTH} levels` },
        ]);
        return;
      }
      const valid = validateGenericHandoff(body);
      if (!valid.ok) {
        sendError(res, 'invalid_handoff', 'Body does not match the generic handoff event v1 schema', valid.errors);
        return;
      }
      const event = normalizeGenericHandoff(valid.value, tenant.id, new Date(clock()).toISOString(), tenant.defaultHelpdesk);
      // The target's helpdesk must be one this tenant connects; refused now rather than dead-lettered later.
      if (!Object.hasOwn(tenant.helpdesks, event.target.helpdesk)) {
        const connected = Object.keys(tenant.helpdesks);
        sendError(
          res,
          'no_helpdesk',
          `The handoff targets ${event.target.helpdesk}, which tenant ${tenant.id} does not connect ` +
            (connected.length ? `(it connects ${connected.join(', ')})` : '(it has no helpdesk configured)'),
        );
        return;
      }
      let result: InboxResult;
      try {
        result = await inbox.accept(event);
      } catch (err) {
        if (err instanceof UnserializableEventError) {
          sendError(res, 'invalid_handoff', err.message);
          return;
        }
        logger.error({ err, tenantId: tenant.id }, 'could not store handoff');
        sendError(res, 'store_unavailable', 'The handoff could not be stored; retry later');
        return;
      }
      // Bindings inline rather than a child logger: this is the hot path, and a child costs even when muted.
      const ids = { handoffId: result.handoffId, tenantId: tenant.id, eventId: event.id };
      if (result.duplicate) {
        logger.info(ids, 'duplicate handoff');
        res.status(200).json({ handoffId: result.handoffId, status: 'duplicate' });
        return;
      }
      logger.info({ ...ids, messages: event.messages.length }, 'handoff queued');
      res.status(202).json({ handoffId: result.handoffId, status: 'queued' });
      deps.onAccepted?.();
    },
  );
  return router;
}
