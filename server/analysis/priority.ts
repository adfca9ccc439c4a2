/**
 * Priority 0..100 as a sum of named factors (so agents see why), mapped to urgent/high/normal/low.
 */
import type { PriorityFactor, PriorityLevel, PriorityResult, SentimentResult, TopicResult, TriggerHit } from '../types/handoff-report.ts';
import type { ResolvedAnalysisOptions } from './options.ts';
import { reportText, topicDetail } from './report-text.ts';

export interface PriorityInput {
  tier?: string;
  sentiment: SentimentResult;
  topic: TopicResult;
  triggers: readonly TriggerHit[];
  /** Conversation length in minutes, when message times allow. */
  durationMinutes?: number;
  options: ResolvedAnalysisOptions;
}

const BASE = 20;
/** Topics where a wrong or slow answer costs money, trust or compliance. */
const TOPIC_POINTS: Record<string, number> = { legal: 20, account_security: 20, billing_dispute: 15, cancellation: 10, refund: 8, billing_payment: 5 };

export function levelFor(score: number): PriorityLevel {
  return score >= 75 ? 'urgent' : score >= 50 ? 'high' : score >= 25 ? 'normal' : 'low';
}

export function computePriority(input: PriorityInput): PriorityResult {
  const f: PriorityFactor[] = [];
  // Details in the briefing's language (options.briefingLocale).
  const T = reportText(input.options.briefingLocale);
  const P = T.priority;
  const tier = input.tier?.trim();
  if (tier && input.options.vipTiers.includes(tier.toLowerCase())) f.push({ id: 'tier', points: 20, detail: P.tier(tier) });
  const s = input.sentiment;
  if (s.label === 'negative') f.push({ id: 'sentiment', points: Math.round(8 + 20 * s.frustration), detail: P.negative(T.num(s.frustration)) });
  else if (s.frustration >= 0.3) f.push({ id: 'sentiment', points: Math.round(10 * s.frustration), detail: P.frustration(T.num(s.frustration)) });
  const topicPts = TOPIC_POINTS[input.topic.id] ?? (input.options.sensitiveTopics.includes(input.topic.id) ? 10 : 0);
  if (topicPts > 0) f.push({ id: 'topic', points: topicPts, detail: topicDetail(T, input.topic.id) });
  const d = input.durationMinutes;
  if (d !== undefined && d >= 10) f.push({ id: 'duration', points: d >= 30 ? 10 : 5, detail: P.minutes(Math.round(d)) });
  const ids = new Set(input.triggers.map((t) => t.id));
  if (ids.has('repeat_contact')) f.push({ id: 'repeat_contact', points: 15, detail: P.repeatContact });
  const signals = new Set(s.signals.map((x) => x.id));
  if (signals.has('urgency')) f.push({ id: 'urgency', points: 15, detail: P.urgent });
  if (signals.has('churn_threat')) f.push({ id: 'urgency', points: 10, detail: P.churn });
  if (ids.has('repeated_failure')) f.push({ id: 'trigger', points: 5, detail: P.botFailed });
  if (ids.has('customer_requested_human')) f.push({ id: 'trigger', points: 5, detail: P.askedPerson });
  const score = Math.max(0, Math.min(100, BASE + f.reduce((a, x) => a + x.points, 0)));
  return { level: levelFor(score), score, factors: f };
}
