/**
 * Priority 0..100 as a sum of named factors (so agents see why), mapped to urgent/high/normal/low.
 */
import type { PriorityFactor, PriorityLevel, PriorityResult, SentimentResult, TopicResult, TriggerHit } from '../types/handoff-report.ts';
import type { ResolvedAnalysisOptions } from './options.ts';

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
  const tier = input.tier?.trim();
  if (tier && input.options.vipTiers.includes(tier.toLowerCase())) f.push({ id: 'tier', points: 20, detail: `${tier} customer` });
  const s = input.sentiment;
  if (s.label === 'negative') f.push({ id: 'sentiment', points: Math.round(8 + 20 * s.frustration), detail: `negative, frustration ${s.frustration}` });
  else if (s.frustration >= 0.3) f.push({ id: 'sentiment', points: Math.round(10 * s.frustration), detail: `frustration ${s.frustration}` });
  const topicPts = TOPIC_POINTS[input.topic.id] ?? (input.options.sensitiveTopics.includes(input.topic.id) ? 10 : 0);
  if (topicPts > 0) f.push({ id: 'topic', points: topicPts, detail: input.topic.id });
  const d = input.durationMinutes;
  if (d !== undefined && d >= 10) f.push({ id: 'duration', points: d >= 30 ? 10 : 5, detail: `${Math.round(d)} min in the bot` });
  const ids = new Set(input.triggers.map((t) => t.id));
  if (ids.has('repeat_contact')) f.push({ id: 'repeat_contact', points: 15, detail: 'contacted us before about this' });
  const signals = new Set(s.signals.map((x) => x.id));
  if (signals.has('urgency')) f.push({ id: 'urgency', points: 15, detail: 'customer says it is urgent' });
  if (signals.has('churn_threat')) f.push({ id: 'urgency', points: 10, detail: 'churn threat' });
  if (ids.has('repeated_failure')) f.push({ id: 'trigger', points: 5, detail: 'bot failed repeatedly' });
  if (ids.has('customer_requested_human')) f.push({ id: 'trigger', points: 5, detail: 'asked for a person' });
  const score = Math.max(0, Math.min(100, BASE + f.reduce((a, x) => a + x.points, 0)));
  return { level: levelFor(score), score, factors: f };
}
