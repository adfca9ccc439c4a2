/**
 * `POST /v1/tenants/{tenantId}/zendesk/ticket-created`: Zendesk tells Baton a messaging ticket was created (the
 * webhook and trigger requirements.json installs). Zendesk messaging creates that ticket itself when the
 * Sunshine switchboard gives control to the agent workspace, so a Sunshine handoff waits for it (its target's
 * `awaitKey`); this binds the ticket id to the waiting handoff — through the Baton handoff id field the relay
 * filled, else the Sunshine conversation id — and the worker then writes the note to it (exactly once, by the
 * writer's marker). Either webhook may arrive first.
 *
 * Checks in order (signed-webhook-route.ts): 415 content type → 413 size → 401 signature → 401 replay → 400 JSON
 * → 422 body → 200.
 */
import type { Router } from 'express';
import type { Store } from '../../store/store.ts';
import { sendError } from '../../http/errors.ts';
import { ZENDESK } from './zendesk-config.ts';
import { signedZendeskWebhook, type SignedWebhookDeps } from './signed-webhook-route.ts';

export const TICKET_CREATED_PATH = '/v1/tenants/:tenantId/zendesk/ticket-created';

export type TicketCreatedDeps = SignedWebhookDeps & { store: Store };

const text = (v: unknown): string | undefined => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  // Zendesk renders an empty placeholder as "": absent.
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const isDigits = (s: string): boolean => s.length > 0 && s.length <= 16 && [...s].every((c) => c >= '0' && c <= '9') && s[0] !== '0';
const isId = (s: string, max: number): boolean => s.length <= max && [...s].every((c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '-');

export function ticketCreatedRouter(deps: TicketCreatedDeps): Router {
  const { store, logger } = deps;
  return signedZendeskWebhook(TICKET_CREATED_PATH, 'zendesk ticket-created webhook', deps, async ({ tenant, body: b, now, res }) => {
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
  });
}
