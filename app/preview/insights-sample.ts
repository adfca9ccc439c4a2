/**
 * Sandbox figures for /preview/insights while no real outcome data is stored: a deterministic, made-up but
 * self-consistent `Insights` for any range, groupBy and filters (same query → same figures; a filter narrows
 * the numbers). Development aid only; the real figures come from the insights API (server/outcomes).
 */
import type { Insights, InsightsFilters, InsightsQuery, KeyCount, Quantiles } from '../../server/types/insights.ts';
import { mulberry32 as rng } from '../../server/util/mulberry32.ts';

const REASONS = ['asked_for_human', 'bot_could_not_answer', 'negative_sentiment', 'repeated_question', 'high_value', 'legal_or_security'];
const TOPICS = ['billing', 'orders', 'account_access', 'technical', 'shipping', 'other'];
const BOTS = ['fin', 'dialogflow-cx', 'rasa', 'generic'];
const CHANNELS = ['web_chat', 'whatsapp', 'email', 'messenger'];
const SENTIMENTS = ['very_negative', 'negative', 'neutral', 'positive'];
const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const GROUPS = ['Tier 1', 'Billing', 'Technical'];
const DAY = 86_400_000;


function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function weights(n: number): number[] {
  return Array.from({ length: n }, (_v, i) => 1 / (i + 1.3));
}

function pick<T>(items: readonly T[], w: number[], r: number): T {
  const total = w.reduce((a, b) => a + b, 0);
  let x = r * total;
  for (let i = 0; i < items.length; i++) {
    x -= w[i] as number;
    if (x <= 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

function counts(list: string[]): KeyCount[] {
  const m = new Map<string, number>();
  for (const k of list) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function quantiles(xs: number[]): Quantiles {
  if (xs.length === 0) return { count: 0, p50Seconds: null, p90Seconds: null };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] as number;
  return { count: s.length, p50Seconds: q(0.5), p90Seconds: q(0.9) };
}

function weekStart(ms: number): number {
  const d = new Date(ms);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0 (ISO weeks)
  return ms - dow * DAY;
}

interface Row {
  day: string;
  reason: string;
  topic: string;
  bot: string;
  channel: string;
  sentiment: string;
  priority: string;
  group: string;
  firstReply?: number;
  solved: boolean;
  reopened: boolean;
  repeat: boolean;
  reEscalated: boolean;
  feedback?: boolean;
}

function rowsFor(from: string, to: string): Row[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const rows: Row[] = [];
  for (let t = start; t <= end; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    const r = rng(hash(day));
    const weekday = new Date(t).getUTCDay();
    const n = Math.round((weekday === 0 || weekday === 6 ? 6 : 14) + r() * 10);
    for (let i = 0; i < n; i++) {
      const priority = pick(PRIORITIES, [1, 3, 8, 2], r());
      const replied = r() < 0.86;
      const base = priority === 'urgent' ? 90 : priority === 'high' ? 240 : priority === 'normal' ? 600 : 1500;
      rows.push({
        day,
        reason: pick(REASONS, weights(REASONS.length), r()),
        topic: pick(TOPICS, weights(TOPICS.length), r()),
        bot: pick(BOTS, weights(BOTS.length), r()),
        channel: pick(CHANNELS, weights(CHANNELS.length), r()),
        sentiment: pick(SENTIMENTS, [3, 4, 3, 1], r()),
        priority,
        group: pick(GROUPS, [4, 2, 2], r()),
        ...(replied ? { firstReply: Math.round(base * (0.4 + r() * r() * 3)) } : {}),
        solved: replied && r() < 0.8,
        reopened: r() < 0.06,
        repeat: replied && r() < 0.09,
        reEscalated: r() < 0.05,
        ...(r() < 0.35 ? { feedback: r() < 0.88 } : {}),
      });
    }
  }
  return rows;
}

const REJECTED: Insights['rejected'] = [
  { kind: 'article', text: 'How to request a refund', url: 'https://help.example.com/hc/articles/360001234', count: 0 },
  { kind: 'steps', text: 'Please try regenerating your API key under Settings > API keys', count: 0 },
  { kind: 'article', text: 'Tracking your order', url: 'https://help.example.com/hc/articles/360004321', count: 0 },
  { kind: 'answer', text: 'Refunds are processed within 5–10 business days', count: 0 },
  { kind: 'action', text: 'Password reset link', count: 0 },
];

const CLUSTERS: Array<{ label: string; examples: string[] }> = [
  { label: 'Wants a person', examples: ['I want to talk to a real person', 'agent please', 'can I speak to someone'] },
  { label: 'Charged twice', examples: ['you charged me twice for [amount]', 'double charge on my card'] },
  { label: 'Cannot log in', examples: ['I lost my phone with the 2FA app', 'the reset email never arrives'] },
  { label: 'Where is my order', examples: ['my order [order] has not arrived', 'tracking has not moved in a week'] },
];

export function sampleInsights(q: InsightsQuery, tenantId = 'demo', now: Date = new Date()): Insights {
  const f: InsightsFilters = q.filters ?? {};
  const rows = rowsFor(q.from, q.to).filter(
    (r) => (!f.bot || r.bot === f.bot) && (!f.channel || r.channel === f.channel) && (!f.reason || r.reason === f.reason) && (!f.topic || r.topic === f.topic),
  );
  const start = Date.parse(`${q.from}T00:00:00Z`);
  const end = Date.parse(`${q.to}T00:00:00Z`);
  const buckets: string[] = [];
  for (let t = q.groupBy === 'week' ? weekStart(start) : start; t <= end; t += q.groupBy === 'week' ? 7 * DAY : DAY) buckets.push(new Date(t).toISOString().slice(0, 10));
  const bucketOf = (day: string) => (q.groupBy === 'week' ? new Date(weekStart(Date.parse(`${day}T00:00:00Z`))).toISOString().slice(0, 10) : day);
  const series = buckets.map((bucket) => ({ bucket, handoffs: 0, byReason: {} as Record<string, number> }));
  const byBucket = new Map(series.map((s) => [s.bucket, s]));
  for (const r of rows) {
    const s = byBucket.get(bucketOf(r.day));
    if (!s) continue;
    s.handoffs += 1;
    s.byReason[r.reason] = (s.byReason[r.reason] ?? 0) + 1;
  }
  const replied = rows.filter((r) => r.firstReply !== undefined);
  const fb = rows.filter((r) => r.feedback !== undefined);
  const by = (key: 'priority' | 'group', keys: string[]) =>
    keys.map((k) => ({ key: k, ...quantiles(replied.filter((r) => r[key] === k).map((r) => r.firstReply as number)) })).filter((x) => x.count > 0);
  const r = rng(hash(`${q.from}|${q.to}|${JSON.stringify(f)}`));
  const rejected = REJECTED.map((x, i) => ({ ...x, count: Math.round((rows.length / (6 + i * 3)) * (0.6 + r() * 0.4)) }))
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count);
  const reasonClusters = CLUSTERS.map((c, i) => ({ ...c, count: Math.round((rows.length / (3 + i * 2)) * (0.7 + r() * 0.3)) })).filter((c) => c.count > 0);
  const t = {
    handoffs: rows.length,
    replied: replied.length,
    solved: rows.filter((x) => x.solved).length,
    reopened: rows.filter((x) => x.reopened).length,
    repeatYourself: rows.filter((x) => x.repeat).length,
    reEscalated: rows.filter((x) => x.reEscalated).length,
    feedback: fb.length,
    feedbackAccurate: fb.filter((x) => x.feedback).length,
  };
  return {
    tenantId,
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    filters: f,
    generatedAt: now.toISOString(),
    totals: t,
    rates: {
      repeatYourself: t.replied ? t.repeatYourself / t.replied : null,
      reEscalation: t.handoffs ? t.reEscalated / t.handoffs : null,
      briefingAccuracy: t.feedback ? t.feedbackAccurate / t.feedback : null,
    },
    series,
    breakdown: { reason: counts(rows.map((x) => x.reason)), topic: counts(rows.map((x) => x.topic)), bot: counts(rows.map((x) => x.bot)), channel: counts(rows.map((x) => x.channel)) },
    sentimentAtHandoff: counts(rows.map((x) => x.sentiment)),
    firstReply: { overall: quantiles(replied.map((x) => x.firstReply as number)), byPriority: by('priority', PRIORITIES), byGroup: by('group', GROUPS) },
    rejected,
    reasonClusters: rows.length ? reasonClusters : [],
  };
}
