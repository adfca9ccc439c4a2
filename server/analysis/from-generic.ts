/**
 * Generic handoff event v1 (the JSON posted to Baton's generic webhook, also what the CLI reads) ->
 * HandoffEvent. Pure and tolerant of missing optional fields; the webhook validates the schema first.
 * A bare `{ "messages": [...] }` is accepted too (CLI convenience).
 */
import type { BotArticle, HandoffEvent, HandoffMessage, MessageRole, TriggerKind } from '../types/handoff-event.ts';
import { MESSAGE_ROLES } from '../types/handoff-event.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Generic `handoff.reason` values -> normalized trigger kind. */
export function triggerKindFromReason(reason: string | undefined): TriggerKind {
  switch ((reason ?? '').toLowerCase()) {
    case 'customer_request':
      return 'customer_request';
    case 'bot_failure':
    case 'fallback':
    case 'low_confidence':
      return 'bot_failure';
    default:
      return 'unknown';
  }
}

function message(raw: unknown, i: number): HandoffMessage {
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

export function eventFromGenericPayload(body: unknown, tenantId = 'cli'): HandoffEvent {
  if (!isObj(body)) throw new Error('handoff event must be a JSON object');
  if (!Array.isArray(body.messages)) throw new Error('messages must be an array');
  const conv = isObj(body.conversation) ? body.conversation : {};
  const cust = isObj(body.customer) ? body.customer : {};
  const handoff = isObj(body.handoff) ? body.handoff : {};
  const ticket = isObj(body.ticket) ? body.ticket : {};
  const messages = body.messages.map(message);
  const convId = str(conv.id) ?? str(body.id) ?? 'unknown';
  const reason = str(handoff.reason);

  const event: HandoffEvent = {
    id: `generic:${str(body.id) ?? convId}`,
    tenantId,
    source: 'generic',
    // No clock in the engine: the best "received" time the payload itself offers.
    receivedAt: str(handoff.requestedAt) ?? messages[messages.length - 1]?.at ?? str(conv.startedAt) ?? '1970-01-01T00:00:00.000Z',
    trigger: { kind: triggerKindFromReason(reason), nativeType: reason ?? 'unknown' },
    conversation: { nativeId: convId },
    customer: {},
    messages,
    transcriptComplete: true,
    target: { helpdesk: 'zendesk' },
    raw: body,
  };
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
  const ticketId = num(ticket.id) ?? (typeof ticket.id === 'string' && /^\d+$/.test(ticket.id) ? Number(ticket.id) : undefined);
  if (ticketId !== undefined) event.target.ticketId = ticketId;
  return event;
}
