/**
 * A parsed Rasa tracker → HandoffEvent. Pure. `user` events are the customer's turns; `bot` events the bot's,
 * each carrying the intent and confidence of the customer turn it answered (`parse_data.intent`), the custom
 * actions run since that turn (e.g. `action_reset_password`) and the link buttons it offered as articles.
 * Slots become the customer's attributes (`email` / `name` slots fill the identity), unless the action's `baton`
 * key says otherwise. Dedupe id: `rasa:<sender_id>:<latest_event_time>` (the same tracker posted twice is one
 * handoff).
 */
import type { BotArticle, HandoffEvent, HandoffMessage } from '../../types/handoff-event.ts';
import { cutTranscript } from '../../util/cut-transcript.ts';
import { triggerKindFromReason } from '../generic/normalize.ts';
import type { FieldProblem } from '../bot-adapter.ts';
import { callerFields, isObj, num, scalarAttributes, str, targetFrom } from '../caller-fields.ts';
import type { RasaTracker } from './parse.ts';

type Obj = Record<string, unknown>;

/** Actions that are Rasa's plumbing, not something done for the customer. */
const PLUMBING = new Set(['action_listen', 'action_session_start', 'action_restart', 'action_back', 'action_default_ask_affirmation', 'action_default_ask_rephrase', 'action_two_stage_fallback', 'action_unlikely_intent', 'action_extract_slots']);
const SLOT_SKIP = new Set(['requested_slot', 'session_started_metadata', 'session_start_metadata']);
const EMAIL_SLOTS = ['email', 'user_email', 'customer_email'];
const NAME_SLOTS = ['name', 'user_name', 'customer_name', 'full_name'];
const EMAIL = /^[^@\s]{1,200}@[^@\s]{1,200}$/;
const ASKS_FOR_PERSON = /(human|agent|person|representative|operator|handoff|escalat)/i;

const iso = (s: number | undefined): string | undefined => (s !== undefined && s > 0 && s < 1e11 ? new Date(Math.round(s * 1000)).toISOString() : undefined);

function articlesOf(data: unknown): BotArticle[] {
  if (!isObj(data) || !Array.isArray(data.buttons)) return [];
  return data.buttons.flatMap((b): BotArticle[] => {
    if (!isObj(b)) return [];
    const url = str(b.url) ?? (typeof b.payload === 'string' && /^https?:\/\//i.test(b.payload) ? b.payload : undefined);
    if (!url) return [];
    const title = str(b.title);
    return [title ? { title, url } : { url }];
  });
}

export function normalizeRasaTracker(t: RasaTracker, opts: { tenantId: string; receivedAt: string; defaultHelpdesk: string | undefined }): { event: HandoffEvent } | { errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const caller = callerFields(t.baton, 'baton', errors);
  if (errors.length) return { errors };

  const messages: HandoffMessage[] = [];
  let intent: { name?: string; confidence?: number } = {};
  let actions: string[] = [];
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  for (const e of t.events) {
    const ts = num(e.timestamp);
    if (ts !== undefined) {
      lastTime = Math.max(lastTime ?? ts, ts);
      firstTime = Math.min(firstTime ?? ts, ts);
    }
    const at = iso(ts);
    if (e.event === 'user') {
      const parse = isObj(e.parse_data) ? e.parse_data : {};
      const i = isObj(parse.intent) ? parse.intent : {};
      intent = {};
      const name = str(i.name);
      if (name) intent.name = name;
      const c = num(i.confidence);
      if (c !== undefined && c >= 0 && c <= 1) intent.confidence = c;
      actions = [];
      const text = str(e.text);
      if (text) messages.push({ role: 'customer', text, ...(at ? { at } : {}) });
    } else if (e.event === 'bot') {
      const text = str(e.text);
      const articles = articlesOf(e.data);
      if (!text && !articles.length) continue;
      const bot: NonNullable<HandoffMessage['bot']> = {};
      if (intent.name) bot.intent = intent.name;
      if (intent.confidence !== undefined) bot.confidence = intent.confidence;
      if (articles.length) bot.articles = articles;
      if (actions.length) bot.actions = actions;
      actions = [];
      messages.push({ role: 'bot', text: text ?? articles.map((a) => a.title ?? a.url).join('\n'), ...(at ? { at } : {}), ...(Object.keys(bot).length ? { bot } : {}) });
    } else if (e.event === 'action') {
      const name = str(e.name);
      if (name && !name.startsWith('utter_') && !PLUMBING.has(name)) actions.push(name);
    }
  }
  const { messages: kept, cuts } = cutTranscript(caller.messages?.length ? caller.messages : messages);

  const customer = { ...caller.customer };
  const slots = t.slots;
  if (!customer.email) {
    const email = EMAIL_SLOTS.map((k) => str(slots[k])).find((v) => v !== undefined && EMAIL.test(v.trim()));
    if (email) customer.email = email.trim();
  }
  if (!customer.name) {
    const name = NAME_SLOTS.map((k) => str(slots[k])).find(Boolean);
    if (name) customer.name = name;
  }
  const attributes = { ...scalarAttributes(slots as Obj, SLOT_SKIP), ...customer.attributes };
  if (Object.keys(attributes).length) customer.attributes = attributes;

  const reason = caller.reason ?? (t.latestIntent === 'nlu_fallback' ? 'nlu_fallback' : undefined);
  let kind = triggerKindFromReason(reason);
  if (kind === 'unknown' && t.latestIntent && ASKS_FOR_PERSON.test(t.latestIntent)) kind = 'customer_request';
  const when = t.latestEventTime ?? lastTime;
  const event: HandoffEvent = {
    id: `rasa:${t.senderId}:${when !== undefined ? when : t.events.length}`,
    tenantId: opts.tenantId,
    source: 'rasa',
    receivedAt: opts.receivedAt,
    trigger: { kind, nativeType: 'rasa:handoff_action' },
    conversation: { nativeId: t.senderId, channel: caller.channel ?? t.inputChannel ?? 'rasa' },
    customer,
    messages: kept,
    transcriptComplete: true,
    target: targetFrom(caller, opts.defaultHelpdesk),
    raw: { sender_id: t.senderId, latest_event_time: t.latestEventTime, slots: t.slots, events: t.events, baton: t.baton },
  };
  if (cuts) event.cuts = cuts;
  const why = reason ?? t.latestIntent;
  if (why) event.trigger.reason = why;
  if (caller.botName) event.trigger.botName = caller.botName;
  const requestedAt = iso(when);
  if (requestedAt) event.trigger.requestedAt = requestedAt;
  const startedAt = iso(firstTime);
  if (startedAt) event.conversation.startedAt = startedAt;
  if (caller.locale) event.conversation.locale = caller.locale;
  if (caller.pageUrl) event.conversation.pageUrl = caller.pageUrl;
  return { event };
}
