/**
 * A few concrete next steps for the agent, from what the engine found. Short imperative lines.
 */
import type { AttemptedSolution, KeyFact, RedactionSummary, SentimentResult, TopicResult, TriggerHit } from '../types/handoff-report.ts';
import { describeSolution } from './describe.ts';
import { describeLang, reportText, type BriefingLocale } from './report-text.ts';

const valuesOf = (f: readonly KeyFact[], kind: KeyFact['kind']): string[] => f.filter((x) => x.kind === kind).map((x) => x.value);

export interface NextStepsInput {
  topic: TopicResult;
  triggers: readonly TriggerHit[];
  sentiment: SentimentResult;
  solutions: readonly AttemptedSolution[];
  facts: readonly KeyFact[];
  redactions: RedactionSummary;
  /** The briefing's language (report-text.ts); default English. */
  locale?: BriefingLocale;
}

export function nextSteps(input: NextStepsInput): string[] {
  const locale = input.locale ?? 'en';
  const T = reportText(locale).steps;
  const out: string[] = [];
  const sig = new Set(input.sentiment.signals.map((s) => s.id));
  const ids = new Set(input.triggers.map((t) => t.id));
  if (sig.has('urgency')) out.push(T.urgent);
  const topicStep = T.byTopic[input.topic.id];
  if (topicStep) {
    const f = input.facts;
    out.push(topicStep({ amounts: valuesOf(f, 'amount'), orders: valuesOf(f, 'order_id'), codes: valuesOf(f, 'error_code') }));
  }
  const rejected = input.solutions.filter((s) => s.outcome === 'rejected');
  if (rejected.length > 0) {
    const lang = describeLang(locale);
    out.push(T.dontResend([...new Set(rejected.map((s) => describeSolution(s, lang)))].slice(0, 2)));
  }
  if (ids.has('repeat_contact')) out.push(T.linkEarlier);
  if (sig.has('churn_threat')) out.push(T.retention);
  if (input.redactions.total > 0) out.push(T.sensitiveData);
  if (out.length === 0) out.push(T.fallback);
  return out.slice(0, 5);
}
