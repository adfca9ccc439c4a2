/**
 * An Intercom Conversation (the `GET /conversations/{id}` model, which is also what a `conversation.*` webhook
 * carries in `data.item`) and its contact → the parts of a HandoffEvent. Pure.
 *
 * Roles by author type (conversation_part_author): `user`, `lead`, `contact` → customer; `bot` → bot (Fin and
 * Workflow bots), and so is an admin part flagged `from_ai_agent` / `is_ai_answer`; `admin`, `team` → agent.
 * Skipped: notes (internal, Baton's own briefing among them), and parts without text (assignments, opens,
 * closes, attribute updates, custom actions: events, not conversation). Bodies are HTML → text; the links in
 * a bot turn, and the content sources Fin reports for the conversation (`ai_agent.content_sources`), become
 * that turn's `bot.articles`.
 */
import type { BotArticle, HandoffCustomer, HandoffMessage, HandoffTrigger, MessageRole, TriggerKind } from '../../types/handoff-event.ts';
import { htmlToText } from './html-to-text.ts';

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Intercom ids are strings in 2.x but integers in some examples: either becomes a string. */
export const idOf = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : str(v));

const CUSTOMER_AUTHORS = new Set(['user', 'lead', 'contact']);
const AGENT_AUTHORS = new Set(['admin', 'team']);

/** Where teammates open a Fin content source (the API gives a path on the Intercom app; region hosts unverified). */
const APP_HOSTS: Readonly<Record<string, string>> = { us: 'https://app.intercom.com', eu: 'https://app.eu.intercom.com', au: 'https://app.au.intercom.com' };

export function roleOf(author: unknown): MessageRole | undefined {
  if (!isObj(author)) return undefined;
  const type = str(author.type);
  if (author.from_ai_agent === true || author.is_ai_answer === true || type === 'bot') return 'bot';
  if (type && CUSTOMER_AUTHORS.has(type)) return 'customer';
  if (type && AGENT_AUTHORS.has(type)) return 'agent';
  return undefined;
}

const isNote = (partType: string | undefined): boolean => partType !== undefined && partType.includes('note');
const isoAt = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? new Date(v * 1000).toISOString() : undefined);

function httpUrl(url: string, region: string): string | undefined {
  try {
    const u = new URL(url, APP_HOSTS[region] ?? APP_HOSTS.us);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** One part (or the conversation's source) → a message, or undefined when it is not conversation. */
export function partMessage(part: unknown, region = 'us'): HandoffMessage | undefined {
  if (!isObj(part)) return undefined;
  if (isNote(str(part.part_type))) return undefined;
  const role = roleOf(part.author);
  const body = str(part.body);
  if (!role || !body) return undefined;
  const { text, links } = htmlToText(body);
  if (!text) return undefined;
  const m: HandoffMessage = { role, text };
  const at = isoAt(part.created_at);
  if (at) m.at = at;
  if (role === 'bot' && links.length) {
    const articles = links.flatMap((l): BotArticle[] => {
      const url = httpUrl(l.url, region);
      return url ? [l.text && l.text !== l.url ? { title: l.text, url } : { url }] : [];
    });
    if (articles.length) m.bot = { articles };
  }
  return m;
}

export interface PartRef {
  id: string;
  partType: string;
  role: MessageRole | undefined;
  hasText: boolean;
  assignedTo?: string;
}

export function partsOf(conversation: Obj): Obj[] {
  const list = isObj(conversation.conversation_parts) ? conversation.conversation_parts.conversation_parts : undefined;
  return Array.isArray(list) ? list.filter(isObj) : [];
}

/** The articles Fin says it used (`ai_agent.content_sources`), as bot articles. */
export function finSources(conversation: Obj, region = 'us'): BotArticle[] {
  const ai = isObj(conversation.ai_agent) ? conversation.ai_agent : undefined;
  const list = ai && isObj(ai.content_sources) ? ai.content_sources.content_sources : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).flatMap((s): BotArticle[] => {
    const raw = str(s.url);
    const url = raw ? httpUrl(raw, region) : undefined;
    if (!url) return [];
    const title = str(s.title);
    return [title ? { title, url } : { url }];
  });
}

/**
 * The transcript: the source message, then every part up to and including `untilPartId` (the assignment that
 * handed the conversation over; later parts are the human side and not part of the handoff).
 */
export function conversationMessages(conversation: Obj, opts: { untilPartId?: string; region?: string } = {}): HandoffMessage[] {
  const region = opts.region ?? 'us';
  const messages: HandoffMessage[] = [];
  const source = partMessage(conversation.source, region);
  if (source) {
    const at = isoAt(conversation.created_at);
    if (at && !source.at) source.at = at;
    messages.push(source);
  }
  const parts = partsOf(conversation);
  const stop = opts.untilPartId !== undefined ? parts.findIndex((p) => idOf(p.id) === opts.untilPartId) : -1;
  for (const part of stop >= 0 ? parts.slice(0, stop + 1) : parts) {
    const m = partMessage(part, region);
    if (m) messages.push(m);
  }
  // Fin's cited sources belong to its answers: those no bot turn already links go with the last bot turn
  // (one article offered once, so the briefing does not list it twice).
  const sources = finSources(conversation, region);
  const lastBot = [...messages].reverse().find((m) => m.role === 'bot');
  if (lastBot && sources.length) {
    const have = new Set(messages.flatMap((m) => (m.bot?.articles ?? []).map((a) => a.url)));
    const extra = sources.filter((s) => !have.has(s.url));
    if (extra.length) lastBot.bot = { ...lastBot.bot, articles: [...(lastBot.bot?.articles ?? []), ...extra] };
  }
  return messages;
}

const RESOLUTION_KINDS: Readonly<Record<string, TriggerKind>> = {
  routed_to_team: 'bot_failure',
  escalated: 'bot_failure',
  negative_feedback: 'bot_failure',
  procedure_handoff: 'policy',
};

/** Why the bot handed over, as far as Intercom says: Fin's resolution state, else a Workflow/bot assignment. */
export function conversationTrigger(conversation: Obj, nativeType: string): HandoffTrigger {
  const ai = isObj(conversation.ai_agent) ? conversation.ai_agent : undefined;
  const state = ai ? str(ai.resolution_state) : undefined;
  const trigger: HandoffTrigger = { kind: (state && RESOLUTION_KINDS[state]) || (ai ? 'unknown' : 'agent_transfer'), nativeType };
  if (state) trigger.reason = state;
  const botName = partsOf(conversation)
    .map((p) => (isObj(p.author) && roleOf(p.author) === 'bot' ? str(p.author.name) : undefined))
    .find((n) => n !== undefined);
  if (botName) trigger.botName = botName;
  else if (ai) trigger.botName = 'Fin';
  return trigger;
}

/** Contact (`GET /contacts/{id}`) → customer: id, name, email, and its scalar custom attributes. */
export function contactCustomer(contact: unknown, fallback: HandoffCustomer = {}): HandoffCustomer {
  const c: HandoffCustomer = { ...fallback };
  if (!isObj(contact)) return c;
  const id = idOf(contact.id);
  if (id) c.id = id;
  const name = str(contact.name);
  if (name) c.name = name;
  const email = str(contact.email);
  if (email) c.email = email;
  if (isObj(contact.custom_attributes)) {
    const attrs: NonNullable<HandoffCustomer['attributes']> = { ...(c.attributes ?? {}) };
    for (const [k, v] of Object.entries(contact.custom_attributes)) {
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[k] = v;
    }
    if (Object.keys(attrs).length) c.attributes = attrs;
  }
  return c;
}

/** The first contact of a conversation (`contacts.contacts[0]`), with what the webhook item says of it. */
export function firstContact(conversation: Obj): HandoffCustomer {
  const list = isObj(conversation.contacts) ? conversation.contacts.contacts : undefined;
  const first = Array.isArray(list) ? list.find(isObj) : undefined;
  const c: HandoffCustomer = {};
  const id = first ? idOf(first.id) : undefined;
  if (id) c.id = id;
  // The source's author is the customer when they started the conversation: the item then has their name/email.
  const author = isObj(conversation.source) && isObj(conversation.source.author) ? conversation.source.author : undefined;
  if (author && roleOf(author) === 'customer' && (!id || idOf(author.id) === id)) {
    const name = str(author.name);
    if (name) c.name = name;
    const email = str(author.email);
    if (email) c.email = email;
  }
  return c;
}
