/**
 * analyze(event, options) -> HandoffReport. Pure: no I/O, no clock, no Node-only imports, so the same
 * code runs in the worker, the CLI and the browser. Redaction runs first; every later part only ever sees
 * redacted text.
 */
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HandoffReport, ReportContext } from '../types/handoff-report.ts';
import { detectTriggers } from './triggers.ts';
import { detectLanguage } from './language.ts';
import { extractFacts } from './facts.ts';
import { nextSteps } from './next-steps.ts';
import { buildOpener } from './opener.ts';
import { resolveAnalysisOptions, type AnalysisOptions } from './options.ts';
import { computePriority } from './priority.ts';
import { redactEvent } from './redact-event.ts';
import { markAllowedLinks } from './allowed-links.ts';
import { route } from './routing.ts';
import { analyzeSentiment } from './sentiment.ts';
import { extractSolutions, rejectedOffers } from './solutions.ts';
import { buildSummary } from './summary.ts';
import { languageOf, msBetween } from './text.ts';
import { MessageMemo } from './memo.ts';
import { classifyTopic } from './topics.ts';

export type { AnalysisOptions } from './options.ts';
export { analyzeDegraded, DEGRADED_LIMITS, DEGRADED_SKIPPED } from './degraded.ts';
export { DEFAULT_ANALYSIS_OPTIONS, parseAnalysisOptions, resolveAnalysisOptions } from './options.ts';

function context(event: HandoffEvent): ReportContext {
  const c: ReportContext = {};
  const set = <K extends keyof ReportContext>(k: K, v: ReportContext[K] | undefined): void => {
    if (v !== undefined && v !== '') c[k] = v;
  };
  set('customerName', event.customer.name);
  set('customerEmail', event.customer.email);
  set('tier', event.customer.tier);
  set('pageUrl', event.conversation.pageUrl);
  set('channel', event.conversation.channel);
  set('locale', event.conversation.locale);
  set('botName', event.trigger.botName);
  set('startedAt', event.conversation.startedAt ?? event.messages[0]?.at);
  set('requestedAt', event.trigger.requestedAt);
  return c;
}

export function analyze(input: HandoffEvent, options?: AnalysisOptions): HandoffReport {
  return analyzeSteps(input, options, {});
}

/** Steps analyzeDegraded() leaves out (degraded.ts); the full analysis runs them all. */
export interface SkippedSteps {
  keyFacts?: boolean;
  attemptedSolutions?: boolean;
}

export function analyzeSteps(input: HandoffEvent, options: AnalysisOptions | undefined, skip: SkippedSteps): HandoffReport {
  const opts = resolveAnalysisOptions(options);
  // Every free-text field, not only message text: the name, reason, intent, articles… all reach the report.
  const { event, redactions } = redactEvent(input, opts.redaction);
  const messages = event.messages;
  const customerTexts = messages.filter((m) => m.role === 'customer').map((m) => m.text);

  const language = event.conversation.locale ? languageOf(event.conversation.locale) : detectLanguage(customerTexts) ?? 'en';
  const memo = new MessageMemo(messages);
  const topic = classifyTopic({ texts: customerTexts, language, prepare: (t) => memo.text(t) }, opts);
  const solutions = skip.attemptedSolutions ? [] : markAllowedLinks(extractSolutions(messages, memo), opts.knowledgeBaseHosts);
  // Every rejection counts, also of an offer the bot repeated (one attempt with a count, issue 14).
  const rejectionIndices = new Set(rejectedOffers(solutions).flatMap((s) => (s.reaction ? [s.reaction.messageIndex] : [])));
  const sentiment = analyzeSentiment({ messages, rejectionIndices, memo });
  const { triggers, primary } = detectTriggers({ event, messages, sentiment, topic, solutions, options: opts, memo });
  const keyFacts = skip.keyFacts ? [] : extractFacts(messages);

  const ctx = context(event);
  const locale = event.conversation.locale ?? language;
  const started = event.conversation.startedAt ?? messages[0]?.at;
  const ended = event.trigger.requestedAt ?? messages[messages.length - 1]?.at;
  const ms = msBetween(started, ended);
  const priority = computePriority({
    tier: event.customer.tier,
    sentiment,
    topic,
    triggers,
    durationMinutes: ms !== undefined && ms >= 0 ? ms / 60000 : undefined,
    options: opts,
  });
  const routing = route({ topic: topic.id, language, tier: event.customer.tier, options: opts });
  const opener = buildOpener({ customerName: event.customer.name, locale, topic, sentiment, solutions, options: opts, messages, facts: keyFacts });
  const summary = buildSummary({
    messages,
    customerName: event.customer.name,
    botName: event.trigger.botName,
    topic,
    sentiment,
    solutions,
    triggers,
    locale: opts.briefingLocale,
  });

  return {
    version: 1,
    eventId: event.id,
    summary: { text: summary },
    keyFacts,
    sentiment,
    topic,
    triggers,
    primaryTrigger: primary,
    attemptedSolutions: solutions,
    priority,
    routing,
    opener,
    nextSteps: nextSteps({ topic, triggers, sentiment, solutions, facts: keyFacts, redactions, locale: opts.briefingLocale }),
    redactions,
    context: ctx,
    // The language of the summary, next steps and details above (the opener says its own, in opener.locale).
    briefingLocale: opts.briefingLocale,
    transcript: messages.map((m) => (m.at ? { role: m.role, text: m.text, at: m.at } : { role: m.role, text: m.text })),
    // What normalization cut, so the note and the sidebar can say the briefing is partial.
    ...(event.cuts ? { cuts: { ...event.cuts } } : {}),
  };
}
