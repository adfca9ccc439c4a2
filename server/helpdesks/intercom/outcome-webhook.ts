/**
 * `POST /v1/tenants/{tenantId}/intercom/outcomes`: Intercom webhooks about conversations after the handoff
 * (issue 11; topics from developers.intercom.com "Webhook topics"): `conversation.admin.replied` (a teammate
 * replied: the first one is the first human reply), `conversation.user.replied` (the customer wrote: read by the
 * repeat-yourself check), `conversation.admin.closed` (solved) and `conversation.admin.opened` (reopened).
 * Signed like every Intercom webhook (`X-Hub-Signature`, HMAC-SHA1 of the raw body with the app's client
 * secret; server/bots/intercom/verify.ts). Each part is recorded once (by its part id, else the notification id),
 * in any order, before or after the handoff's outcome row exists (server/outcomes/outcome-store.ts). Other
 * topics, and parts that are not what the topic says (a note, an admin reply by a bot), are answered 200 ignored,
 * so Intercom does not retry them.
 *
 * Checks in order: 415 content type → 413 size → 401 signature (or unknown tenant / no Intercom section: one
 * answer) → 400 JSON → 422 not a notification_event about a conversation → 200.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../config.ts';
import type { Store } from '../../store/store.ts';
import { sendError } from '../../http/errors.ts';
import { requireJsonBody } from '../../http/content-type.ts';
import { findTooDeep } from '../../http/json-depth.ts';
import { NOT_JSON, parseJsonBody } from '../../http/json-body.ts';
import type { OutcomeEventKind } from '../../outcomes/outcome-store.ts';
import { outcomesFor } from '../../outcomes/outcomes-service.ts';
import { HUB_SIGNATURE_HEADER, verifyHubSignature } from '../../bots/intercom/verify.ts';
import { htmlToText } from '../../bots/intercom/html-to-text.ts';
import { INTERCOM, intercomConfigOf } from './intercom-config.ts';

export const INTERCOM_OUTCOMES_PATH = '/v1/tenants/:tenantId/intercom/outcomes';

const DECOY_SECRETS = ['decoy-secret-for-unknown-tenants'];
const COMMENT_MAX = 4000;

/** Topic → the outcome it records and the part it expects (part_type, author types). */
const TOPICS: Readonly<Record<string, { kind: OutcomeEventKind; partTypes: readonly string[]; authors: readonly string[] }>> = {
  'conversation.admin.replied': { kind: 'agent_reply', partTypes: ['comment'], authors: ['admin'] },
  'conversation.user.replied': { kind: 'customer_message', partTypes: ['comment'], authors: ['user', 'lead', 'contact'] },
  'conversation.admin.closed': { kind: 'solved', partTypes: ['close'], authors: ['admin', 'bot'] },
  'conversation.admin.opened': { kind: 'reopened', partTypes: ['open'], authors: ['admin', 'bot'] },
};

const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const idText = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : undefined;

export type ParsedIntercomOutcome =
  | { kind: 'event'; event: { kind: OutcomeEventKind; conversationId: string; eventKey: string; at: number; text?: string } }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; errors: Array<{ field: string; problem: string }> };

/** A notification_event → one outcome event, ignored, or what is wrong. Pure. */
export function parseIntercomOutcome(body: unknown, now: number): ParsedIntercomOutcome {
  const b = obj(body);
  if (!b || b.type !== 'notification_event') return { kind: 'invalid', errors: [{ field: 'type', problem: 'must be "notification_event"' }] };
  const topic = typeof b.topic === 'string' ? b.topic : undefined;
  if (!topic) return { kind: 'invalid', errors: [{ field: 'topic', problem: 'must be a non-empty string' }] };
  const spec = TOPICS[topic];
  if (!spec) return { kind: 'ignored', reason: `topic ${topic} is not an outcome Baton records` };
  const item = obj(obj(b.data)?.item);
  const conversationId = idText(item?.id);
  if (!item || (item.type !== undefined && item.type !== 'conversation') || !conversationId || !/^[0-9]{1,32}$/.test(conversationId)) {
    return { kind: 'invalid', errors: [{ field: 'data.item', problem: 'must be a conversation with a numeric id' }] };
  }
  const list = obj(item.conversation_parts)?.conversation_parts;
  const parts = Array.isArray(list) ? list.map(obj).filter((p): p is Record<string, unknown> => p !== undefined) : [];
  // The newest part of the expected type by the expected author is the one this notification is about.
  let part: Record<string, unknown> | undefined;
  for (let i = parts.length - 1; i >= 0 && !part; i--) {
    const p = parts[i]!;
    const author = obj(p.author)?.type;
    if (spec.partTypes.includes(String(p.part_type)) && typeof author === 'string' && spec.authors.includes(author)) part = p;
  }
  const notificationId = idText(b.id);
  if (!part && parts.length > 0) return { kind: 'ignored', reason: `no ${spec.partTypes.join('/')} part by ${spec.authors.join('/')} in the notification` };
  const partId = idText(part?.id);
  const eventKey = partId ? `part:${partId}` : notificationId ? `notif:${notificationId}` : undefined;
  if (!eventKey) return { kind: 'invalid', errors: [{ field: 'id', problem: 'the notification needs an id or a conversation part with one' }] };
  const secs = typeof part?.created_at === 'number' ? part.created_at : typeof b.created_at === 'number' ? b.created_at : undefined;
  const at = secs !== undefined && Number.isFinite(secs) && secs > 946_684_800 ? Math.min(secs * 1000, now) : now;
  const body_ = typeof part?.body === 'string' ? htmlToText(part.body).text.slice(0, COMMENT_MAX) : undefined;
  return {
    kind: 'event',
    event: { kind: spec.kind, conversationId, eventKey, at, ...(spec.kind === 'customer_message' && body_ ? { text: body_ } : {}) },
  };
}

export interface IntercomOutcomeDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  clock?: () => number;
}

export function intercomOutcomeRouter(deps: IntercomOutcomeDeps): Router {
  const { config, store, logger, tenants } = deps;
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  router.post(
    INTERCOM_OUTCOMES_PATH,
    requireJsonBody,
    express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const tenant = tenants.get(req.params.tenantId);
      const settings = tenant ? intercomConfigOf(tenant) : undefined;
      const check = verifyHubSignature(req.get(HUB_SIGNATURE_HEADER), raw, settings ? [settings.clientSecret] : DECOY_SECRETS);
      if (!tenant || !settings || !check.ok) {
        logger.warn({ tenantKnown: Boolean(tenant), reason: check.ok ? 'no_intercom' : check.reason }, 'intercom outcome webhook rejected: 401');
        sendError(res, 'invalid_signature', 'Missing or invalid X-Hub-Signature, or unknown tenant');
        return;
      }
      const body = parseJsonBody(raw, res);
      if (body === NOT_JSON) return;
      if (findTooDeep(body) !== undefined) {
        sendError(res, 'invalid_webhook_body', 'Body is nested too deeply', [{ field: '(body)', problem: 'too deep' }]);
        return;
      }
      const now = clock();
      const parsed = parseIntercomOutcome(body, now);
      if (parsed.kind === 'invalid') {
        sendError(res, 'invalid_webhook_body', 'Body is not an Intercom notification_event about a conversation', parsed.errors);
        return;
      }
      if (parsed.kind === 'ignored') {
        res.status(200).json({ status: 'ignored', reason: parsed.reason });
        return;
      }
      const e = parsed.event;
      let result;
      try {
        result = await outcomesFor(store).outcomes.recordEvent(
          { tenantId: tenant.id, helpdesk: INTERCOM, refId: e.conversationId, eventKey: e.eventKey, kind: e.kind, at: e.at, ...(e.text ? { text: e.text } : {}) },
          now,
        );
      } catch (err) {
        logger.error({ err, tenantId: tenant.id }, 'could not record the outcome event');
        sendError(res, 'store_unavailable', 'The event could not be recorded; retry later');
        return;
      }
      logger.info({ tenantId: tenant.id, conversationId: e.conversationId, kind: e.kind, duplicate: result.duplicate }, 'intercom outcome webhook');
      res.status(200).json({ status: result.duplicate ? 'duplicate' : 'recorded', conversationId: e.conversationId, kind: e.kind, handoffs: result.handoffs });
    },
  );
  return router;
}
