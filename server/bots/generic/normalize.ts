/**
 * Generic handoff event v1 (schemas/generic-handoff-v1.schema.json; what the webhook receives and the CLI
 * reads) -> HandoffEvent. Pure and tolerant of missing optional fields: the webhook validates the schema
 * first; the CLI also accepts a bare `{ "messages": [...] }`.
 */
import type { BotArticle, HandoffEvent, HandoffMessage, MessageRole, TriggerKind } from '../../types/handoff-event.ts';
import { MESSAGE_ROLES } from '../../types/handoff-event.ts';
import { cutTranscript } from '../../util/cut-transcript.ts';
import { helpdeskModules } from '../../helpdesks/registry.ts';

export interface GenericHandoffV1 {
  id: string;
  conversation: { id: string; channel?: string; locale?: string; pageUrl?: string; startedAt?: string };
  customer?: { id?: string; email?: string; name?: string; tier?: string; attributes?: Record<string, string | number | boolean | null> };
  messages: Array<{
    role: HandoffMessage['role'];
    text: string;
    at?: string;
    bot?: { intent?: string; confidence?: number; articles?: Array<{ title?: string; url: string }>; actions?: string[] };
  }>;
  handoff?: { reason?: string; botName?: string; requestedAt?: string };
  ticket?: { id: number };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const REASON_KINDS: Record<string, TriggerKind> = {
  customer_request: 'customer_request',
  human_requested: 'customer_request',
  agent_requested: 'customer_request',
  bot_failure: 'bot_failure',
  fallback: 'bot_failure',
  low_confidence: 'bot_failure',
  no_match: 'bot_failure',
  nlu_fallback: 'bot_failure',
  no_input: 'bot_failure',
  policy: 'policy',
  sensitive_topic: 'policy',
  agent_transfer: 'agent_transfer',
};

/** Generic `handoff.reason` values -> normalized trigger kind. */
export function triggerKindFromReason(reason: string | undefined): TriggerKind {
  const key = (reason ?? '').toLowerCase();
  // Own keys only: "constructor" or "__proto__" as a reason must not reach Object.prototype.
  return Object.hasOwn(REASON_KINDS, key) ? (REASON_KINDS[key] as TriggerKind) : 'unknown';
}

/** One generic message (`{role, text, at?, bot?}`; role `user` read as `customer`); throws naming what is wrong. */
export function message(raw: unknown, i: number): HandoffMessage {
  if (!isObj(raw)) throw new Error(`messages[${i}] must be an object`);
  const role = (MESSAGE_ROLES as readonly string[]).includes(String(raw.role)) ? (raw.role as MessageRole) : raw.role === 'user' ? 'customer' : undefined;
  if (!role) throw new Error(`messages[${i}].role must be one of ${MESSAGE_ROLES.join(', ')}`);
  if (typeof raw.text !== 'string') throw new Error(`messages[${i}].text must be a string`);
  const m: HandoffMessage = { role, text: raw.text };
  const at = str(raw.at);
  if (at) m.at = at;
  if (isObj(raw.bot)) {
    const b = raw.bot;
    const bot: NonNullable<HandoffMessage['bot']> = {};
    const intent = str(b.intent);
    if (intent) bot.intent = intent;
    const conf = num(b.confidence);
    if (conf !== undefined) bot.confidence = conf;
    if (Array.isArray(b.articles)) {
      bot.articles = b.articles.filter(isObj).flatMap((a): BotArticle[] => {
        const url = str(a.url);
        if (!url) return [];
        const title = str(a.title);
        return [title ? { title, url } : { url }];
      });
    }
    if (Array.isArray(b.actions)) bot.actions = b.actions.filter((a): a is string => typeof a === 'string');
    m.bot = bot;
  }
  return m;
}

/**
 * The target: the first registered helpdesk module that finds its own in the body (Zendesk `ticket.id`,
 * Intercom `intercom.conversationId`), else `defaultHelpdesk` with no id (create, where the helpdesk can).
 */
export function targetOf(body: Obj, defaultHelpdesk: string | undefined): HandoffEvent['target'] {
  for (const m of helpdeskModules()) {
    const ref = m.targetFromGeneric(body);
    if (ref) return { helpdesk: ref.helpdesk, id: ref.id };
  }
  return { helpdesk: defaultHelpdesk ?? helpdeskModules()[0]?.name ?? 'none' };
}

/**
 * `receivedAt`: the webhook passes the time it accepted the request. Without it (the CLI), the best time the
 * payload itself offers is used, so the result stays a pure function of the input. `defaultHelpdesk`: the
 * tenant's (config.ts), for an event that names no target; the CLI passes none.
 */
export function normalizeGenericHandoff(body: unknown, tenantId = 'cli', receivedAt?: string, defaultHelpdesk?: string): HandoffEvent {
  if (!isObj(body)) throw new Error('handoff event must be a JSON object');
  if (!Array.isArray(body.messages)) throw new Error('messages must be an array');
  const conv = isObj(body.conversation) ? body.conversation : {};
  const cust = isObj(body.customer) ? body.customer : {};
  const handoff = isObj(body.handoff) ? body.handoff : {};
  // Long handoffs are cut here, not refused (see cut-transcript.ts); `raw` keeps the original until delivery.
  const { messages, cuts } = cutTranscript(body.messages.map(message));
  const convId = str(conv.id) ?? str(body.id) ?? 'unknown';
  const reason = str(handoff.reason);

  const event: HandoffEvent = {
    id: `generic:${str(body.id) ?? convId}`,
    tenantId,
    source: 'generic',
    receivedAt: receivedAt ?? str(handoff.requestedAt) ?? messages[messages.length - 1]?.at ?? str(conv.startedAt) ?? '1970-01-01T00:00:00.000Z',
    trigger: { kind: triggerKindFromReason(reason), nativeType: reason ?? 'unknown' },
    conversation: { nativeId: convId },
    customer: {},
    messages,
    transcriptComplete: true,
    target: targetOf(body, defaultHelpdesk),
    raw: body,
  };
  if (cuts) event.cuts = cuts;
  if (reason) event.trigger.reason = reason;
  const botName = str(handoff.botName);
  if (botName) event.trigger.botName = botName;
  const requestedAt = str(handoff.requestedAt);
  if (requestedAt) event.trigger.requestedAt = requestedAt;
  for (const k of ['channel', 'locale', 'pageUrl', 'startedAt'] as const) {
    const v = str(conv[k]);
    if (v) event.conversation[k] = v;
  }
  for (const k of ['id', 'email', 'name', 'tier'] as const) {
    const v = str(cust[k]);
    if (v) event.customer[k] = v;
  }
  if (isObj(cust.attributes)) {
    const attrs: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(cust.attributes)) {
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[k] = v;
    }
    event.customer.attributes = attrs;
  }
  return event;
}
