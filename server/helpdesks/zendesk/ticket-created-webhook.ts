/**
 * `POST /v1/tenants/{tenantId}/zendesk/ticket-created`: Zendesk tells Baton a messaging ticket was created (the
 * webhook and trigger requirements.json installs). Zendesk messaging creates that ticket itself when the
 * Sunshine switchboard gives control to the agent workspace, so a Sunshine handoff waits for it (its target's
 * `awaitKey`); this binds the ticket id to the waiting handoff — through the Baton handoff id field the relay
 * filled, else the Sunshine conversation id — and the worker then writes the note to it (exactly once, by the
 * writer's marker). Either webhook may arrive first.
 *
 * Checks in order: 415 content type → 413 size → 401 signature (missing, wrong, outside the replay window, or
 * unknown tenant / no signing secret: one answer) → 401 replay of a delivery already received → 400 JSON →
 * 422 body → 200.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../config.ts';
import type { Store } from '../../store/store.ts';
import { sendError } from '../../http/errors.ts';
import { requireJsonBody } from '../../http/content-type.ts';
import { findTooDeep } from '../../http/json-depth.ts';
import { ZENDESK, zendeskConfigOf } from './zendesk-config.ts';
import { SeenSignatures, verifyZendeskWebhook, ZENDESK_SIGNATURE_HEADER, ZENDESK_TIMESTAMP_HEADER } from './webhook-signature.ts';
import { NOT_JSON, parseJsonBody } from '../../http/json-body.ts';

export const TICKET_CREATED_PATH = '/v1/tenants/:tenantId/zendesk/ticket-created';

export interface TicketCreatedDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  clock?: () => number;
}

const text = (v: unknown): string | undefined => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  // Zendesk renders an empty placeholder as "": absent.
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const isDigits = (s: string): boolean => s.length > 0 && s.length <= 16 && [...s].every((c) => c >= '0' && c <= '9') && s[0] !== '0';
const isId = (s: string, max: number): boolean => s.length <= max && [...s].every((c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '-');

export function ticketCreatedRouter(deps: TicketCreatedDeps): Router {
  const { config, store, logger, tenants } = deps;
  const clock = deps.clock ?? Date.now;
  const seen = new SeenSignatures();
  const router = express.Router();
  router.post(
    TICKET_CREATED_PATH,
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
        logger.warn({ tenantKnown: Boolean(tenant), reason: check.ok ? 'no_signing_secret' : check.reason }, 'zendesk ticket-created webhook rejected: 401');
        sendError(res, 'invalid_webhook_signature');
        return;
      }
      // Within the window a captured delivery could be sent again; the binding is idempotent, but say so.
      if (!seen.remember(`${tenant.id}:${signature as string}`, now, 2 * config.signatureToleranceSec * 1000)) {
        logger.warn({ tenantId: tenant.id }, 'zendesk ticket-created webhook replayed: 401');
        sendError(res, 'webhook_replayed');
        return;
      }
      const body = parseJsonBody(raw, res);
      if (body === NOT_JSON) return;
      if (findTooDeep(body) !== undefined || typeof body !== 'object' || body === null || Array.isArray(body)) {
        sendError(res, 'invalid_webhook_body', 'Body must be a flat JSON object', [{ field: '(body)', problem: 'must be an object' }]);
        return;
      }
      const b = body as Record<string, unknown>;
      const ticketId = text(b.ticket_id);
      const handoffId = text(b.baton_handoff_id);
      const conversationId = text(b.sunshine_conversation_id);
      const errors = [];
      if (!ticketId || !isDigits(ticketId)) errors.push({ field: 'ticket_id', problem: 'must be a ticket id (digits)' });
      if (handoffId !== undefined && !isId(handoffId, 64)) errors.push({ field: 'baton_handoff_id', problem: 'must be a Baton handoff id' });
      if (conversationId !== undefined && !isId(conversationId, 64)) errors.push({ field: 'sunshine_conversation_id', problem: 'must be a conversation id' });
      if (errors.length) {
        sendError(res, 'invalid_webhook_body', undefined, errors);
        return;
      }
      if (!handoffId && !conversationId) {
        res.status(200).json({ status: 'ignored', reason: 'the ticket names neither a Baton handoff nor a Sunshine conversation' });
        return;
      }
      let result;
      try {
        result = await store.bindTarget(
          { tenantId: tenant.id, helpdesk: ZENDESK, refId: ticketId as string, ...(handoffId ? { handoffId } : {}), ...(conversationId ? { awaitKey: `conversation:${conversationId}` } : {}) },
          now,
        );
        // A handoff id Baton does not know (yet): fall back to the conversation.
        if (!result.bound && handoffId && conversationId) result = await store.bindTarget({ tenantId: tenant.id, helpdesk: ZENDESK, refId: ticketId as string, awaitKey: `conversation:${conversationId}` }, now);
      } catch (err) {
        logger.error({ err, tenantId: tenant.id }, 'could not record the ticket binding');
        sendError(res, 'store_unavailable', 'The ticket could not be recorded; retry later');
        return;
      }
      logger.info({ tenantId: tenant.id, ticketId, bound: result.bound, woken: result.woken }, 'zendesk ticket-created webhook');
      res.status(200).json({ status: result.bound ? 'bound' : 'unmatched', ticketId, woken: result.woken });
    },
  );
  return router;
}
