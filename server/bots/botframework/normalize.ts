/**
 * A `handoff.initiate` activity → HandoffEvent. Pure. The transcript's message activities are the turns: the
 * user's (`from.role: "user"`, or the id `relatesTo.user` names) are the customer's, the rest the bot's. A
 * Copilot Studio bot turn carries its matched trigger and score (`channelData.ConversationUnderstandingDetail.
 * RankedIntents[0]`), and link buttons of its cards are the articles it offered. The `va_*` context gives the
 * reason (`va_AgentMessage`), the bot (`va_BotName`), the language (`va_Language`), the topics
 * (`va_LastTopic`, `va_Topics`) and, without a transcript, the customer's phrases (`va_LastPhrases` /
 * `va_Phrases`). Identity and target: `relatesTo.user`, then generic-shaped fields in `value` (or
 * `value.baton`), see ../caller-fields.ts. Dedupe id: `botframework:<activity id>` (else the conversation id).
 */
import type { BotArticle, HandoffEvent, HandoffMessage, TriggerKind } from '../../types/handoff-event.ts';
import { cutTranscript } from '../../util/cut-transcript.ts';
import { triggerKindFromReason } from '../generic/normalize.ts';
import type { FieldProblem } from '../bot-adapter.ts';
import { callerFields, isObj, num, scalarAttributes, str, targetFrom } from '../caller-fields.ts';
import type { HandoffActivity } from './parse.ts';

type Obj = Record<string, unknown>;

/** Copilot Studio's system topics that mean "the customer asked for a person" or "the bot failed". */
const ESCALATE_TOPIC = /(escalat|agent|human|person|representative)/i;
const FAILED_TOPIC = /(fallback|on error|unknown intent|no match)/i;

const isoOf = (v: unknown): string | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
};

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v] : [];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
}

/** `openUrl` buttons of hero/thumbnail cards and suggested actions. */
function articlesOf(a: Obj): BotArticle[] {
  const buttons: unknown[] = [];
  if (Array.isArray(a.attachments)) for (const att of a.attachments) if (isObj(att) && isObj(att.content) && Array.isArray(att.content.buttons)) buttons.push(...att.content.buttons);
  if (isObj(a.suggestedActions) && Array.isArray(a.suggestedActions.actions)) buttons.push(...a.suggestedActions.actions);
  return buttons.flatMap((b): BotArticle[] => {
    if (!isObj(b) || b.type !== 'openUrl') return [];
    const url = str(b.value);
    if (!url || !/^https?:\/\//i.test(url)) return [];
    const title = str(b.title);
    return [title ? { title, url } : { url }];
  });
}

/** Copilot Studio's understanding of the turn a bot message answered. */
function understandingOf(a: Obj): { intent?: string; confidence?: number } {
  const cd = isObj(a.channelData) ? a.channelData : {};
  const u = isObj(cd.ConversationUnderstandingDetail) ? cd.ConversationUnderstandingDetail : undefined;
  const top = u && Array.isArray(u.RankedIntents) && isObj(u.RankedIntents[0]) ? u.RankedIntents[0] : undefined;
  if (!top) return {};
  const out: { intent?: string; confidence?: number } = {};
  const intent = str(top.MatchedTriggerQuery);
  if (intent) out.intent = intent;
  const score = num(top.Score);
  if (score !== undefined && score >= 0 && score <= 1) out.confidence = score;
  return out;
}

function localeOf(v: unknown): string | undefined {
  const s = str(v);
  if (!s || !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(s)) return undefined;
  const [lang, ...rest] = s.replace(/_/g, '-').split('-');
  return [lang!.toLowerCase(), ...rest.map((r) => (r.length === 2 ? r.toUpperCase() : r))].join('-');
}

export function normalizeHandoffActivity(h: HandoffActivity, opts: { tenantId: string; receivedAt: string; defaultHelpdesk: string | undefined }): { event: HandoffEvent } | { errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const a = h.activity;
  const v = h.value;
  const caller = callerFields(isObj(v.baton) ? v.baton : v, h.path === '(body)' ? (isObj(v.baton) ? 'value.baton' : 'value') : `${h.path}.value${isObj(v.baton) ? '.baton' : ''}`, errors);
  if (errors.length) return { errors };
  const relates = isObj(a.relatesTo) ? a.relatesTo : {};
  const user = isObj(relates.user) ? relates.user : undefined;
  const userId = user ? str(user.id) : undefined;

  const messages: HandoffMessage[] = [];
  let firstUser: Obj | undefined;
  for (const t of h.transcript) {
    if (t.type !== 'message') continue;
    const from = isObj(t.from) ? t.from : {};
    const role = from.role === 'user' || (from.role === undefined && userId !== undefined && str(from.id) === userId) ? 'customer' : 'bot';
    const at = isoOf(t.timestamp);
    const text = str(t.text);
    if (role === 'customer') {
      firstUser ??= from;
      if (text) messages.push({ role, text, ...(at ? { at } : {}) });
      continue;
    }
    const articles = articlesOf(t);
    if (!text && !articles.length) continue;
    const bot: NonNullable<HandoffMessage['bot']> = { ...understandingOf(t) };
    if (articles.length) bot.articles = articles;
    messages.push({ role: 'bot', text: text ?? articles.map((x) => x.title ?? x.url).join('\n'), ...(at ? { at } : {}), ...(Object.keys(bot).length ? { bot } : {}) });
  }
  if (!messages.length) {
    // No transcript attached: the context's phrases are what the customer said.
    const phrases = stringList(v.va_Phrases).length ? stringList(v.va_Phrases) : stringList(v.va_LastPhrases ?? v.va_LastPhrase);
    for (const text of phrases) messages.push({ role: 'customer', text });
  }
  const { messages: kept, cuts } = cutTranscript(caller.messages?.length ? caller.messages : messages);

  const topics = stringList(v.va_Topics);
  const lastTopic = str(v.va_LastTopic) ?? topics[topics.length - 1];
  const agentMessage = str(v.va_AgentMessage);
  const reason = caller.reason ?? agentMessage;
  let kind: TriggerKind = triggerKindFromReason(caller.reason);
  if (kind === 'unknown' && lastTopic) kind = ESCALATE_TOPIC.test(lastTopic) ? 'customer_request' : FAILED_TOPIC.test(lastTopic) ? 'bot_failure' : 'unknown';

  const customer = { ...caller.customer };
  const who = user ?? firstUser;
  if (who) {
    const id = str(who.id);
    if (id && !customer.id && id !== '<REDACTED>') customer.id = id;
    const name = str(who.name);
    if (name && !customer.name) customer.name = name;
  }
  const skip = new Set(['baton', 'customer', 'ticket', 'intercom', 'handoff', 'conversation', 'messages']);
  const attributes = { ...Object.fromEntries(Object.entries(scalarAttributes(v, skip)).filter(([k]) => !k.startsWith('va_'))), ...customer.attributes };
  if (Object.keys(attributes).length) customer.attributes = attributes;

  const nativeId = str(a.id) ?? h.conversationId;
  const event: HandoffEvent = {
    id: `botframework:${nativeId}`,
    tenantId: opts.tenantId,
    source: 'botframework',
    receivedAt: opts.receivedAt,
    trigger: { kind, nativeType: 'handoff.initiate' },
    conversation: { nativeId: h.conversationId, channel: caller.channel ?? str(a.channelId) ?? 'botframework' },
    customer,
    messages: kept,
    transcriptComplete: true,
    target: targetFrom(caller, opts.defaultHelpdesk),
    raw: a,
  };
  if (cuts) event.cuts = cuts;
  if (reason) event.trigger.reason = reason;
  else if (lastTopic) event.trigger.reason = lastTopic;
  const botName = caller.botName ?? str(v.va_BotName) ?? (isObj(relates.bot) ? str(relates.bot.name) : undefined);
  if (botName) event.trigger.botName = botName;
  const requestedAt = isoOf(a.timestamp);
  if (requestedAt) event.trigger.requestedAt = requestedAt;
  const startedAt = kept.find((m) => m.at)?.at;
  if (startedAt) event.conversation.startedAt = startedAt;
  const locale = caller.locale ?? localeOf(v.va_Language) ?? localeOf(h.transcript.find((t) => isObj(t.from) && t.from.role === 'user')?.locale);
  if (locale) event.conversation.locale = locale;
  if (caller.pageUrl) event.conversation.pageUrl = caller.pageUrl;
  return { event };
}
