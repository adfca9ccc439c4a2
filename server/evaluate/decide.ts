/**
 * Should the bot hand over now? The same pure analysis steps a handoff's briefing runs (analysis/index.ts:
 * redaction first, topic, attempted solutions, sentiment, triggers, priority, routing), without the summary,
 * facts and opener the bot does not need. Pure: no I/O, no clock.
 *
 * Escalate when any trigger fired on its own evidence. Two hits are not evidence before a handoff: the
 * placeholder the analysis adds when nothing fired (`bot_reported` "without a stated reason"), and
 * `negative_sentiment` from the model's score alone, with no signal in the customer's words (frustration
 * phrases, profanity, repeated punctuation, urgency…): the model scores some plain questions below zero, and a
 * bot must not hand over "Can I pay with a voucher?".
 */
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { PriorityLevel, SentimentResult, TriggerHit, TriggerId } from '../types/handoff-report.ts';
import { resolveAnalysisOptions, type AnalysisOptions } from '../analysis/options.ts';
import { redactEvent } from '../analysis/redact-event.ts';
import { detectLanguage } from '../analysis/language.ts';
import { languageOf, msBetween } from '../analysis/text.ts';
import { MessageMemo } from '../analysis/memo.ts';
import { classifyTopic } from '../analysis/topics.ts';
import { extractSolutions, rejectedOffers } from '../analysis/solutions.ts';
import { analyzeSentiment } from '../analysis/sentiment.ts';
import { detectTriggers } from '../analysis/triggers.ts';
import { computePriority } from '../analysis/priority.ts';
import { route } from '../analysis/routing.ts';
import { customerWant } from '../analysis/customer-wants.ts';
import { transitionLocaleOf } from './transition-message.ts';
import type { TransitionLocale } from './transition-templates.ts';

export interface Decision {
  escalate: boolean;
  /** Redacted evidence; empty when there is no reason to escalate. */
  triggers: TriggerHit[];
  primaryTrigger: TriggerId | null;
  priority: PriorityLevel;
  priorityScore: number;
  route: { group: number | null; skills: string[] };
  topic: string;
  /** The customer's own stated want (redacted), if they stated one. */
  want?: string;
  /** The language the customer is answered in. */
  locale: TransitionLocale;
}

/** The hits that are a reason to hand over (see the file comment). */
function escalating(hits: readonly TriggerHit[], event: HandoffEvent, sentiment: SentimentResult): TriggerHit[] {
  return hits.filter((h) => {
    if (h.id === 'negative_sentiment') return sentiment.signals.length > 0;
    const placeholder = h.id === 'bot_reported' && h.evidence === undefined && h.botReason === undefined && event.trigger.reason === undefined && event.trigger.kind === 'unknown';
    return !placeholder;
  });
}

/** conversation.locale, else a locale-like customer attribute, else the language the customer writes in, else English. */
function localeOf(event: HandoffEvent, detected: string | undefined): TransitionLocale {
  const attrs = event.customer.attributes ?? {};
  const attr = ['locale', 'language', 'lang'].map((k) => attrs[k]).find((v): v is string => typeof v === 'string');
  return transitionLocaleOf(event.conversation.locale) ?? transitionLocaleOf(attr) ?? transitionLocaleOf(detected) ?? 'en';
}

/**
 * The analysis runs on the request's event loop (no worker pool: the answer is wanted within milliseconds), so
 * its input is bounded: the latest messages, each message's head and tail. A handoff's briefing still reads
 * everything; what decides an escalation is the recent turns.
 */
export const EVALUATE_LIMITS = { messages: 100, headChars: 1000, tailChars: 1000 } as const;

function bounded(event: HandoffEvent): HandoffEvent {
  const { messages: max, headChars, tailChars } = EVALUATE_LIMITS;
  const long = (t: string): boolean => t.length > headChars + tailChars + 3;
  if (event.messages.length <= max && !event.messages.some((m) => long(m.text))) return event;
  const messages = event.messages.slice(-max).map((m) => (long(m.text) ? { ...m, text: `${m.text.slice(0, headChars)} … ${m.text.slice(-tailChars)}` } : m));
  return { ...event, messages };
}

export function decide(input: HandoffEvent, options?: AnalysisOptions): Decision {
  const opts = resolveAnalysisOptions(options);
  const { event } = redactEvent(bounded(input), opts.redaction);
  const messages = event.messages;
  const customerTexts = messages.filter((m) => m.role === 'customer').map((m) => m.text);
  const detected = detectLanguage(customerTexts);
  const language = event.conversation.locale ? languageOf(event.conversation.locale) : detected ?? 'en';
  const memo = new MessageMemo(messages);
  const topic = classifyTopic({ texts: customerTexts, language, prepare: (t) => memo.text(t) }, opts);
  const solutions = extractSolutions(messages, memo);
  const rejectionIndices = new Set(rejectedOffers(solutions).flatMap((s) => (s.reaction ? [s.reaction.messageIndex] : [])));
  const sentiment = analyzeSentiment({ messages, rejectionIndices, memo });
  const { triggers, primary } = detectTriggers({ event, messages, sentiment, topic, solutions, options: opts, memo });
  const reasons = escalating(triggers, event, sentiment);
  const escalate = reasons.length > 0;
  const started = event.conversation.startedAt ?? messages[0]?.at;
  const ms = msBetween(started, messages[messages.length - 1]?.at);
  const priority = computePriority({
    tier: event.customer.tier,
    sentiment,
    topic,
    triggers: reasons,
    durationMinutes: ms !== undefined && ms >= 0 ? ms / 60000 : undefined,
    options: opts,
  });
  const routing = route({ topic: topic.id, language, tier: event.customer.tier, options: opts });
  const want = customerWant(messages);
  return {
    escalate,
    triggers: reasons,
    // The analysis's choice when it is a reason; else the next one in its order (reasons keep that order).
    primaryTrigger: reasons.some((h) => h.id === primary) ? primary : (reasons[0]?.id ?? null),
    priority: priority.level,
    priorityScore: priority.score,
    route: { group: routing.groupId ?? null, skills: routing.skills },
    topic: topic.id,
    ...(want ? { want: want.text } : {}),
    locale: localeOf(event, detected),
  };
}
