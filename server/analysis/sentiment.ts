/**
 * Conversation sentiment: one point per customer turn, a recency-weighted overall score, frustration from
 * negativity plus signals, and the trend from the first to the last turns.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { SentimentLabel, SentimentPoint, SentimentResult, SentimentTrend } from '../types/handoff-report.ts';
import { MessageMemo } from './memo.ts';
import { detectSignals, SIGNAL_WEIGHTS, type CustomerTurn } from './signals.ts';
import { foldAccents } from './text.ts';

/** "thanks"/"ok" style turns: polite acknowledgements whose sentiment depends on what happened before. */
const ACK_RE = /^\W*(?:ok(?:ay)?|k|thanks?(?: you)?|thank you|thx|ty|cheers|fine|sure|alright|gracias|danke|merci|obrigad[oa])\b/i;
/** Bot turns that admit failure. */
const BOT_FAILURE_RE = /\b(?:sorry|unfortunately|i (?:can'?t|cannot|couldn'?t|am unable|wasn'?t able|don'?t understand|didn'?t understand|didn'?t get)|not able to|rephrase|i'?m not sure)\b/i;

export interface SentimentInput {
  messages: readonly HandoffMessage[];
  /** Message indices of customer turns that rejected a bot solution (from solutions.ts). */
  rejectionIndices?: ReadonlySet<number>;
  memo?: MessageMemo;
}

function round(x: number, d = 3): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

export function labelFor(score: number): SentimentLabel {
  return score <= -0.15 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
}

export function analyzeSentiment(input: SentimentInput): SentimentResult {
  const { messages } = input;
  const memo = input.memo ?? new MessageMemo(messages);
  const turns: CustomerTurn[] = [];
  const trajectory: SentimentPoint[] = [];
  let lastBotFailed = false;
  let anyFailure = false;
  messages.forEach((m, i) => {
    if (m.role === 'bot' || m.role === 'agent') {
      lastBotFailed = BOT_FAILURE_RE.test(m.text);
      return;
    }
    if (m.role !== 'customer' || m.text.trim() === '') return;
    turns.push({ messageIndex: i, text: m.text, prepared: memo.message(i) });
    const s = memo.sentiment(i);
    let { label, score } = s;
    const rejected = input.rejectionIndices?.has(i) ?? false;
    if (s.complaint || rejected) anyFailure = true;
    // "thanks" right after a failure (or anywhere once things went wrong) is politeness, not satisfaction.
    if (label === 'positive' && ACK_RE.test(foldAccents(m.text)) && (lastBotFailed || anyFailure || rejected)) {
      label = 'neutral';
      score = Math.min(score, 0);
    }
    if (rejected && label !== 'negative') {
      label = 'negative';
      score = Math.min(score, -0.3);
    }
    trajectory.push({ messageIndex: i, label, score: round(score) });
  });

  const signals = detectSignals(turns);
  const pointAt = new Map(trajectory.map((p) => [p.messageIndex, p]));
  // Shouting, profanity, giving up...: the turn is worse than its words alone say.
  for (const s of signals) {
    const p = pointAt.get(s.messageIndex);
    if (!p || s.id === 'urgency') continue;
    p.score = round(Math.max(-1, p.score - SIGNAL_WEIGHTS[s.id]));
    p.label = p.score <= -0.15 ? 'negative' : p.label === 'positive' && p.score < 0.25 ? 'neutral' : p.label;
  }
  // Recent turns matter more: the agent meets the customer as they are now.
  let wsum = 0;
  let acc = 0;
  trajectory.forEach((p, k) => {
    const w = k + 1;
    wsum += w;
    acc += w * p.score;
  });
  const score = wsum > 0 ? acc / wsum : 0;
  const negShare = trajectory.length > 0 ? trajectory.filter((p) => p.label === 'negative').length / trajectory.length : 0;
  let signalSum = 0;
  const seen = new Set<string>();
  for (const s of signals) {
    // Each signal kind counts once in full, repeats count half.
    signalSum += SIGNAL_WEIGHTS[s.id] * (seen.has(s.id) ? 0.5 : 1);
    seen.add(s.id);
  }
  const frustration = Math.min(1, Math.max(0, -score) * 0.5 + negShare * 0.25 + signalSum);
  let label = labelFor(score);
  if (frustration >= 0.5) label = 'negative';

  let trend: SentimentTrend = 'stable';
  if (trajectory.length >= 2) {
    const n = trajectory.length;
    const k = Math.max(1, Math.floor(n / 3));
    const mean = (ps: SentimentPoint[]): number => ps.reduce((a, p) => a + p.score, 0) / ps.length;
    const delta = mean(trajectory.slice(n - k)) - mean(trajectory.slice(0, k));
    // Still negative at the end is not "improving", however much less negative.
    const last = trajectory[n - 1]!;
    trend = delta > 0.25 && last.label !== 'negative' ? 'improving' : delta < -0.25 ? 'worsening' : 'stable';
  }
  return { label, score: round(Math.max(-1, Math.min(1, score))), frustration: round(frustration), trend, trajectory, signals };
}
