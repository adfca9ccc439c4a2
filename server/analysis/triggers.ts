/**
 * Escalation triggers (why this conversation needs a person), each with evidence, and the one that best
 * explains the handoff.
 */
import type { HandoffEvent, HandoffMessage } from '../types/handoff-event.ts';
import type { AttemptedSolution, SentimentResult, TopicResult, TriggerHit, TriggerId } from '../types/handoff-report.ts';
import { botCannotHelp } from './bot-lines.ts';
import { triggerForBotReason } from './bot-reasons.ts';
import { MessageMemo } from './memo.ts';
import type { ResolvedAnalysisOptions } from './options.ts';
import { reportText, topicDetail } from './report-text.ts';
import { rejectedOffers } from './solutions.ts';
import { clip, excerptAround, foldAccents, normalizeQuotes } from './text.ts';

/**
 * Order among what Baton inferred, most explanatory first. The primary trigger is chosen in three tiers
 * (primaryTrigger below): the customer's explicit ask, then a specific reason the bot stated, then this order.
 */
export const TRIGGER_PRECEDENCE: readonly TriggerId[] = [
  'customer_requested_human',
  'repeated_failure',
  'bot_reported',
  'low_bot_confidence',
  'negative_sentiment',
  'sensitive_topic',
  'repeat_contact',
  'long_conversation',
  'vip_account',
];

const REPEAT_ATTR_RE = /^(?:previous|prior|past|recent|open)[_ -]?(?:contacts?|tickets?|conversations?|chats?|calls?)(?:[_ -]?(?:count|\d+d|last[_ -]?\d+[_ -]?days?))?$|^(?:contact|ticket|conversation)[_ -]?count$|^contacts?[_ -]?last[_ -]?\d+[_ -]?days?$|^repeat[_ -]?contacts?$/i;
const REPEAT_TEXT_RE =
  /\b(?:(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+(?:th)?) time (?:i'?(?:ve|m)? ?|i am |that i |we'?ve )?(?:contact|writ|call|reach|ask|chat|messag|email|com)\w*|(?:contacted|called|emailed|written to|reached out to|messaged) (?:you|support|your team|customer service)?\s*(?:twice|three times|several times|multiple times|many times|before|already|last week|yesterday)|i (?:already |have already |'ve already )?(?:called|phoned|emailed|contacted (?:you|support))\b|already (?:called|contacted|emailed|reported|opened a ticket)|(?:existing|previous|open|last) (?:ticket|case)|(?:segunda|tercera|cuarta) vez|zum (?:zweiten|dritten|vierten) mal|(?:deuxieme|troisieme|quatrieme) fois|(?:segunda|terceira|quarta) vez|ya (?:llame|escribi)|schon angerufen|deja appele|ja liguei)\b/i;

export interface TriggerInput {
  event: HandoffEvent;
  messages: readonly HandoffMessage[];
  sentiment: SentimentResult;
  topic: TopicResult;
  solutions: readonly AttemptedSolution[];
  options: ResolvedAnalysisOptions;
  memo?: MessageMemo;
}

export interface TriggerResult {
  triggers: TriggerHit[];
  primary: TriggerId;
}

export function detectTriggers(input: TriggerInput): TriggerResult {
  const { event, messages, sentiment, topic, solutions, options } = input;
  // Details in the briefing's language; the customer's and the bot's own words stay as they were written.
  const T = reportText(options.briefingLocale);
  const D = T.triggers;
  const hits: TriggerHit[] = [];
  const memo = input.memo ?? new MessageMemo(messages);
  const customer = messages.map((m, i) => ({ m, i })).filter(({ m }) => m.role === 'customer' && m.text.trim() !== '');

  // Customer asked for a person: the first time they did.
  let humanAsks = 0;
  let firstAsk: TriggerHit | undefined;
  for (const { i } of customer) {
    const h = memo.human(i);
    if (!h) continue;
    humanAsks++;
    firstAsk ??= { id: 'customer_requested_human', evidence: { messageIndex: i, excerpt: h.excerpt } };
  }
  if (firstAsk) {
    if (humanAsks > 1) firstAsk.detail = D.askedTimes(humanAsks);
    hits.push(firstAsk);
  } else if (event.trigger.kind === 'customer_request') {
    hits.push({ id: 'customer_requested_human', detail: D.reportedByPlatform });
  }

  // Two bot offers rejected (the same article offered twice and rejected twice counts two), the bot saying
  // twice that it cannot help, or the customer asking the same thing again.
  const rejectedTurns = [...new Map(rejectedOffers(solutions).map((s) => [s.messageIndex, s])).values()];
  const rephrase = sentiment.signals.find((s) => s.id === 'repetition');
  // "I couldn't find an answer for that error": evidence the bot failed, never an attempted solution (issue 14).
  const cannotHelp = messages.flatMap((m, i) => (m.role === 'bot' && botCannotHelp(memo.message(i).folded) ? [i] : []));
  if (rejectedTurns.length >= 2) {
    const last = rejectedTurns[rejectedTurns.length - 1]!;
    const hit: TriggerHit = { id: 'repeated_failure', detail: D.rejected(rejectedTurns.length) };
    if (last.reaction) hit.evidence = last.reaction;
    hits.push(hit);
  } else if (cannotHelp.length + rejectedTurns.length >= 2) {
    const at = cannotHelp[cannotHelp.length - 1]!;
    hits.push({ id: 'repeated_failure', detail: D.botCouldNotHelp(cannotHelp.length), evidence: { messageIndex: at, excerpt: clip(messages[at]!.text, 120) } });
  } else if (rephrase) {
    hits.push({ id: 'repeated_failure', detail: D.repeatedQuestion, evidence: { messageIndex: rephrase.messageIndex, excerpt: rephrase.excerpt } });
  }

  // The bot's stated reason: mapped onto a trigger when the table knows it, else kept as the bot's words.
  const botWords = event.trigger.reason ?? (event.trigger.nativeType !== 'unknown' ? event.trigger.nativeType : undefined);
  // The stated reason decides when there is one (an unknown one stays the bot's words); else the platform's event type.
  const botTrigger = triggerForBotReason(event.trigger.reason ?? event.trigger.nativeType, options.botReasonTriggers);
  if (botTrigger === undefined && event.trigger.kind !== 'customer_request' && (event.trigger.reason || event.trigger.kind !== 'unknown')) {
    hits.push({ id: 'bot_reported', detail: clip(event.trigger.reason ?? event.trigger.kind, 160) });
  }

  const lowConf = messages
    .map((m, i) => ({ m, i }))
    .find(({ m }) => m.role === 'bot' && typeof m.bot?.confidence === 'number' && m.bot.confidence < options.lowConfidenceThreshold);
  if (lowConf) {
    hits.push({
      id: 'low_bot_confidence',
      detail: `${T.num(lowConf.m.bot!.confidence!.toFixed(2))} < ${T.num(options.lowConfidenceThreshold)}${lowConf.m.bot?.intent ? ` (${lowConf.m.bot.intent})` : ''}`,
      evidence: { messageIndex: lowConf.i, excerpt: clip(lowConf.m.text, 120) },
    });
  }

  if (sentiment.label === 'negative') {
    const worst = [...sentiment.trajectory].sort((a, b) => a.score - b.score || a.messageIndex - b.messageIndex)[0];
    const sig = sentiment.signals.find((s) => s.id !== 'urgency') ?? sentiment.signals[0];
    const hit: TriggerHit = { id: 'negative_sentiment', detail: D.negative(T.num(sentiment.score), T.num(sentiment.frustration)) };
    if (sig) hit.evidence = { messageIndex: sig.messageIndex, excerpt: sig.excerpt };
    else if (worst) hit.evidence = { messageIndex: worst.messageIndex, excerpt: clip(messages[worst.messageIndex]?.text ?? '', 120) };
    hits.push(hit);
  }

  if (options.sensitiveTopics.includes(topic.id)) {
    const hit: TriggerHit = { id: 'sensitive_topic', detail: topicDetail(T, topic.id) };
    const first = customer[0];
    if (first) hit.evidence = { messageIndex: first.i, excerpt: clip(first.m.text, 120) };
    hits.push(hit);
  }

  const repeat = repeatContact(event, customer, D.contactedBefore);
  if (repeat) hits.push(repeat);

  if (customer.length >= options.longConversationTurns) {
    hits.push({ id: 'long_conversation', detail: D.longConversation(customer.length, messages.length) });
  }

  const tier = event.customer.tier?.trim();
  if (tier && options.vipTiers.includes(tier.toLowerCase())) hits.push({ id: 'vip_account', detail: tier });

  if (botTrigger !== undefined && botWords !== undefined) {
    // One hit per id: Baton's own evidence is kept and the bot's words are added to it.
    const words = clip(botWords, 160);
    const same = hits.find((h) => h.id === botTrigger);
    if (same) same.botReason = words;
    else hits.push({ id: botTrigger, detail: D.reportedByBot(words), botReason: words });
  }

  // The bot said once that it could not help: that is the bot reporting its failure, with its words as evidence.
  if (cannotHelp.length > 0 && !hits.some((h) => h.id === 'repeated_failure')) {
    const at = cannotHelp[0]!;
    const evidence = { messageIndex: at, excerpt: clip(messages[at]!.text, 120) };
    const reported = hits.find((h) => h.id === 'bot_reported');
    if (reported) reported.evidence ??= evidence;
    else hits.push({ id: 'bot_reported', detail: D.botCouldNotHelp(1), evidence });
  }

  if (hits.length === 0) hits.push({ id: 'bot_reported', detail: event.trigger.reason ?? D.noReason(event.trigger.nativeType) });
  const primary = primaryTrigger(hits, firstAsk !== undefined, botTrigger);
  const rank = (id: TriggerId): number => (id === primary ? -1 : TRIGGER_PRECEDENCE.indexOf(id));
  hits.sort((a, b) => rank(a.id) - rank(b.id));
  return { triggers: hits, primary };
}

/**
 * 1. the customer asked for a person in their own words; 2. the bot stated a reason the table maps onto a
 * trigger; 3. what Baton inferred, in TRIGGER_PRECEDENCE order (an unmapped bot reason, bot_reported, ranks there).
 */
export function primaryTrigger(hits: readonly TriggerHit[], customerAsked: boolean, botTrigger: TriggerId | undefined): TriggerId {
  if (customerAsked) return 'customer_requested_human';
  if (botTrigger !== undefined) return botTrigger;
  return TRIGGER_PRECEDENCE.find((id) => hits.some((h) => h.id === id)) ?? hits[0]!.id;
}

function repeatContact(event: HandoffEvent, customer: { m: HandoffMessage; i: number }[], saysBefore: string): TriggerHit | undefined {
  for (const [k, v] of Object.entries(event.customer.attributes ?? {})) {
    if (!REPEAT_ATTR_RE.test(k)) continue;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : v === true ? 1 : 0;
    if (Number.isFinite(n) && n >= 1) return { id: 'repeat_contact', detail: `${k}: ${n}` };
  }
  for (const { m, i } of customer) {
    const t = foldAccents(normalizeQuotes(m.text));
    const hit = REPEAT_TEXT_RE.exec(t);
    if (hit) return { id: 'repeat_contact', detail: saysBefore, evidence: { messageIndex: i, excerpt: excerptAround(m.text, hit.index, hit.index + hit[0].length) } };
  }
  return undefined;
}
