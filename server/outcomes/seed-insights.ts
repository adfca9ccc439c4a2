/**
 * A deterministic insights data set (issue 11): the same seed gives the same handoffs, outcomes and thumbs,
 * for the tests (figures checked against values computed by hand from the rows), the insights bench (100,000
 * handoffs) and `/preview/insights` (sandbox data). Texts are realistic and already redacted, like stored reports.
 */
import type { SqlRunner } from './sql-runner.ts';
import { createOutcomeStore, type SeededOutcome } from './outcome-store.ts';
import { DAY_MS, parseDay } from './insights-range.ts';
import { mulberry32 } from '../util/mulberry32.ts';

/** The seeded data set's PRNG (mulberry32: the same numbers on every platform). */
export const prng = mulberry32;

export interface SeedOptions {
  tenantId: string;
  count: number;
  /** First day (YYYY-MM-DD, UTC) handoffs are spread over. */
  from: string;
  days: number;
  seed?: number;
  /** Share of handoffs an agent rated (thumbs), 0..1. */
  feedbackShare?: number;
}

export interface SeededFeedback {
  tenantId: string;
  handoffId: string;
  helpdesk: string;
  refId: string;
  accurate: boolean;
  createdAt: number;
}

export interface InsightsSeed {
  outcomes: SeededOutcome[];
  feedback: SeededFeedback[];
}


const REASONS: ReadonlyArray<[string, number, readonly string[]]> = [
  ['customer_requested_human', 40, ['I want to talk to a human agent', 'human agent please', 'Can I speak to a real person', 'let me talk to a human', 'quiero hablar con un agente humano']],
  ['repeated_failure', 22, ['That did not help, the checkout still fails', 'This still does not work after the reset', 'the checkout still fails with an error']],
  ['negative_sentiment', 12, ['This is ridiculous, I was charged twice', 'I was charged twice and nobody answers']],
  ['sensitive_topic', 8, ['I want a refund for the duplicate charge', 'someone logged into my account from another country']],
  ['low_bot_confidence', 8, ['Bot confidence below threshold on intent billing.dispute']],
  ['bot_reported', 6, ['Fin could not answer: no matching content', 'no matching content for shipping exception']],
  ['repeat_contact', 4, ['contacted us about order [order] three times this week']],
];
const TOPICS: ReadonlyArray<[string, number]> = [
  ['billing_dispute', 18], ['refund', 14], ['technical_issue', 20], ['shipping_order', 16], ['account_security', 8],
  ['account_management', 10], ['cancellation', 8], ['other', 6],
];
const BOTS: ReadonlyArray<[string, string, number]> = [
  ['Halo', 'generic', 45], ['Fin', 'fin', 30], ['Dialogflow CX', 'dialogflow', 15], ['Rasa', 'rasa', 10],
];
const CHANNELS: ReadonlyArray<[string, number]> = [['web', 55], ['mobile', 20], ['whatsapp', 15], ['email', 10]];
const PRIORITIES: ReadonlyArray<[string, number, number]> = [
  // name, weight, median first-reply seconds
  ['urgent', 8, 90], ['high', 22, 240], ['normal', 55, 600], ['low', 15, 1800],
];
const GROUPS: ReadonlyArray<[string, number]> = [['360001', 40], ['360002', 35], ['360003', 25]];
const SENTIMENTS: ReadonlyArray<[string, number]> = [['negative', 50], ['neutral', 40], ['positive', 10]];
const REJECTED: ReadonlyArray<{ kind: string; text: string; url?: string; weight: number }> = [
  { kind: 'article', text: 'How to request a refund', url: 'https://help.example.com/articles/115-refunds', weight: 30 },
  { kind: 'steps', text: 'Please try clearing your browser cache and cookies, then log in again.', weight: 25 },
  { kind: 'article', text: 'Status page', url: 'https://status.example.com', weight: 15 },
  { kind: 'answer', text: 'Refunds are processed within 5 to 10 business days.', weight: 12 },
  { kind: 'link', text: 'Track your order', url: 'https://shop.example.com/orders/track', weight: 10 },
  { kind: 'action', text: 'sent password reset email', weight: 8 },
];
const CUSTOMER_LINES = [
  'I was charged twice for order [order] and I want the duplicate refunded',
  'The checkout page fails with error ERR_PAY_402 every time I pay',
  'My parcel for order [order] has not arrived after two weeks',
  'I cannot log in, the reset email never arrives',
];

function pick<T extends readonly unknown[]>(rand: () => number, items: ReadonlyArray<T>, weightAt: number): T {
  let total = 0;
  for (const it of items) total += it[weightAt] as number;
  let r = rand() * total;
  for (const it of items) {
    r -= it[weightAt] as number;
    if (r < 0) return it;
  }
  return items[items.length - 1]!;
}

export function generateInsightsSeed(opts: SeedOptions): InsightsSeed {
  const rand = prng(opts.seed ?? 11);
  const start = parseDay(opts.from);
  if (start === undefined) throw new RangeError(`seed: bad date ${opts.from}`);
  const span = opts.days * DAY_MS;
  const feedbackShare = opts.feedbackShare ?? 0.15;
  // Acceptance times first (sorted), so re-escalation links point backwards in time as they would live.
  const times = Array.from({ length: opts.count }, () => start + Math.floor(rand() * span)).sort((a, b) => a - b);
  const customers = Math.max(1, Math.floor(opts.count * 0.8));
  const lastByCustomer = new Map<number, { at: number; id: string }>();
  const outcomes: SeededOutcome[] = [];
  const feedback: SeededFeedback[] = [];
  for (let i = 0; i < opts.count; i++) {
    const at = times[i]!;
    const handoffId = `ho_seed_${String(i).padStart(7, '0')}`;
    const [reason, , phrasings] = pick(rand, REASONS, 1);
    const [topic] = pick(rand, TOPICS, 1);
    const [bot, source] = pick(rand, BOTS, 2);
    const [channel] = pick(rand, CHANNELS, 1);
    const [priority, , median] = pick(rand, PRIORITIES, 1);
    const [group] = pick(rand, GROUPS, 1);
    const [sentiment] = pick(rand, SENTIMENTS, 1);
    const helpdesk = source === 'fin' ? 'intercom' : 'zendesk';
    const customer = Math.floor(rand() * customers);
    const prev = lastByCustomer.get(customer);
    const reEscalationOf = prev && at - prev.at <= 7 * DAY_MS ? prev.id : null;
    lastByCustomer.set(customer, { at, id: handoffId });
    const replied = rand() < 0.85;
    // Log-normal-ish spread around the priority's median.
    const firstReplyMs = replied ? Math.round(median * 1000 * Math.exp((rand() - 0.5) * 1.6)) : null;
    const solved = replied && rand() < 0.7;
    const reopened = solved && rand() < 0.08 ? 1 : 0;
    const spoke = replied && rand() < 0.7;
    const repeat = spoke ? rand() < 0.18 : null;
    const rejected: SeededOutcome['rejected'] = [];
    const nRejected = rand() < 0.55 ? (rand() < 0.3 ? 2 : 1) : 0;
    for (let k = 0; k < nRejected; k++) {
      const r = pick(rand, REJECTED.map((x) => [x, x.weight] as const), 1)[0];
      if (!rejected.some((x) => x.text === r.text)) rejected.push({ kind: r.kind, text: r.text, ...(r.url ? { url: r.url } : {}) });
    }
    outcomes.push({
      tenantId: opts.tenantId,
      handoffId,
      helpdesk,
      refId: String(100000 + i),
      customerKey: `cust${customer}`,
      acceptedAt: at,
      reason,
      topic,
      bot,
      source,
      channel,
      priority,
      group,
      sentiment,
      reasonText: phrasings[Math.floor(rand() * phrasings.length)]!,
      rejected,
      customerText: CUSTOMER_LINES[i % CUSTOMER_LINES.length]!,
      firstHumanReplyAt: firstReplyMs === null ? null : at + firstReplyMs,
      solvedAt: solved ? at + (firstReplyMs ?? 0) + Math.round(rand() * 4 * 3600_000) : null,
      reopenedCount: reopened,
      repeatYourself: repeat,
      repeatScore: repeat === null ? null : repeat ? 0.8 : 0.2,
      reEscalationOf,
    });
    if (rand() < feedbackShare) {
      feedback.push({ tenantId: opts.tenantId, handoffId, helpdesk, refId: String(100000 + i), accurate: rand() < 0.82, createdAt: at + 3600_000 });
    }
  }
  return { outcomes, feedback };
}

/** Writes a generated data set (outcome rows, rejections, and thumbs into the core `feedback` table). */
export async function writeInsightsSeed(sql: SqlRunner, seed: InsightsSeed): Promise<void> {
  await createOutcomeStore(sql).insertMany(seed.outcomes);
  const BATCH = 500;
  for (let i = 0; i < seed.feedback.length; i += BATCH) {
    const batch = seed.feedback.slice(i, i + BATCH);
    const params: Array<string | number | boolean> = [];
    // feedback.accurate is INTEGER 0/1 on SQLite, BOOLEAN on Postgres.
    for (const f of batch) params.push(f.tenantId, f.helpdesk, f.refId, f.handoffId, sql.kind === 'postgres' ? f.accurate : f.accurate ? 1 : 0, f.createdAt);
    await sql.run(
      `INSERT INTO feedback (tenant_id, helpdesk, ref_id, handoff_id, accurate, created_at) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      params,
    );
  }
}

export async function seedInsights(sql: SqlRunner, opts: SeedOptions): Promise<InsightsSeed> {
  const seed = generateInsightsSeed(opts);
  await writeInsightsSeed(sql, seed);
  return seed;
}
