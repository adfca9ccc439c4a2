/**
 * `POST /v1/tenants/{tenantId}/zendesk/outcomes`: what happened on a `baton_handoff` ticket after the handoff
 * (issue 11), sent by the webhook and triggers requirements.json installs: the first public agent comment,
 * the customer's public comments, solved, reopened. Body (the triggers' JSON):
 *   { "event": "agent_reply" | "customer_message" | "solved" | "reopened", "ticket_id": "123",
 *     "comment_id": "456", "comment": "…", "at": "2026-11-23T10:00:00Z" }
 * The outcome logic is helpdesk-agnostic (server/outcomes/outcome-store.ts): each event is stored once (by
 * comment id, else by event + ticket + time) and may arrive before the handoff's row, or twice.
 *
 * Checks in order, as the ticket-created webhook: 415 content type → 413 size → 401 signature (missing, wrong,
 * outside the replay window, unknown tenant or no signing secret: one answer) → 401 replay of a delivery
 * already received → 400 JSON → 422 body → 200 (`recorded` or `duplicate`).
 */
import type { Router } from 'express';
import type { Store } from '../../store/store.ts';
import { sendError } from '../../http/errors.ts';
import { OUTCOME_EVENT_KINDS, type OutcomeEventKind } from '../../outcomes/outcome-store.ts';
import { outcomesFor } from '../../outcomes/outcomes-service.ts';
import { ZENDESK } from './zendesk-config.ts';
import { signedZendeskWebhook, type SignedWebhookDeps } from './signed-webhook-route.ts';

export const OUTCOMES_WEBHOOK_PATH = '/v1/tenants/:tenantId/zendesk/outcomes';

/** Longest customer comment kept for the repeat-yourself check (the rest is not needed to compare). */
const COMMENT_MAX = 4000;
/** An event claiming to be from further ahead than this is refused (clock skew allowance). */
const FUTURE_SKEW_MS = 5 * 60_000;

export type OutcomeWebhookDeps = SignedWebhookDeps & { store: Store };

const text = (v: unknown): string | undefined => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  // Zendesk renders an empty placeholder as "": absent.
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const isDigits = (s: string): boolean => s.length <= 20 && /^[1-9][0-9]*$/.test(s);

export interface ParsedOutcome {
  kind: OutcomeEventKind;
  ticketId: string;
  eventKey: string;
  at: number;
  comment?: string;
}

/** The trigger's JSON → one outcome event, or the list of what is wrong. Pure. */
export function parseZendeskOutcome(b: Record<string, unknown>, now: number): ParsedOutcome | Array<{ field: string; problem: string }> {
  const errors: Array<{ field: string; problem: string }> = [];
  const event = text(b.event);
  const ticketId = text(b.ticket_id);
  const commentId = text(b.comment_id);
  const atRaw = text(b.at);
  if (!event || !(OUTCOME_EVENT_KINDS as readonly string[]).includes(event)) errors.push({ field: 'event', problem: `must be one of ${OUTCOME_EVENT_KINDS.join(', ')}` });
  if (!ticketId || !isDigits(ticketId)) errors.push({ field: 'ticket_id', problem: 'must be a ticket id (digits)' });
  if (commentId !== undefined && !isDigits(commentId)) errors.push({ field: 'comment_id', problem: 'must be a comment id (digits)' });
  if (b.comment !== undefined && typeof b.comment !== 'string') errors.push({ field: 'comment', problem: 'must be a string' });
  const at = atRaw === undefined ? now : Date.parse(atRaw);
  if (!Number.isFinite(at) || at < Date.UTC(2000, 0, 1)) errors.push({ field: 'at', problem: 'must be an ISO 8601 time' });
  else if (at > now + FUTURE_SKEW_MS) errors.push({ field: 'at', problem: 'is in the future' });
  if (errors.length) return errors;
  const kind = event as OutcomeEventKind;
  const comment = typeof b.comment === 'string' ? b.comment.slice(0, COMMENT_MAX) : undefined;
  // A comment has its own id; a status change is one event per ticket and time (a redelivery repeats both).
  const eventKey = commentId && (kind === 'agent_reply' || kind === 'customer_message') ? `comment:${commentId}` : `${kind}:${ticketId}:${at}`;
  return { kind, ticketId: ticketId as string, eventKey, at, ...(kind === 'customer_message' && comment ? { comment } : {}) };
}

export function outcomeWebhookRouter(deps: OutcomeWebhookDeps): Router {
  const { store, logger } = deps;
  return signedZendeskWebhook(OUTCOMES_WEBHOOK_PATH, 'zendesk outcome webhook', deps, async ({ tenant, body, now, res }) => {
    const parsed = parseZendeskOutcome(body, now);
    if (Array.isArray(parsed)) {
      sendError(res, 'invalid_webhook_body', undefined, parsed);
      return;
    }
    let result;
    try {
      result = await outcomesFor(store).outcomes.recordEvent(
        { tenantId: tenant.id, helpdesk: ZENDESK, refId: parsed.ticketId, eventKey: parsed.eventKey, kind: parsed.kind, at: parsed.at, ...(parsed.comment ? { text: parsed.comment } : {}) },
        now,
      );
    } catch (err) {
      logger.error({ err, tenantId: tenant.id }, 'could not record the outcome event');
      sendError(res, 'store_unavailable', 'The event could not be recorded; retry later');
      return;
    }
    logger.info({ tenantId: tenant.id, ticketId: parsed.ticketId, kind: parsed.kind, duplicate: result.duplicate, handoffs: result.handoffs }, 'zendesk outcome webhook');
    res.status(200).json({ status: result.duplicate ? 'duplicate' : 'recorded', ticketId: parsed.ticketId, kind: parsed.kind, handoffs: result.handoffs });
  });
}
