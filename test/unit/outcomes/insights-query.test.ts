/**
 * Insights figures (issue 11) against values computed by hand: a small data set written row by row with the
 * expected figures worked out in the comments, and the seeded generator checked against a naive recount.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../../server/store/store.ts';
import { sqliteRunner, type SqlRunner } from '../../../server/outcomes/sql-runner.ts';
import { createOutcomeStore, type SeededOutcome } from '../../../server/outcomes/outcome-store.ts';
import { computeInsights, firstReplyStats } from '../../../server/outcomes/insights-query.ts';
import { generateInsightsSeed, writeInsightsSeed } from '../../../server/outcomes/seed-insights.ts';
import { isoWeekRange, quantiles } from '../../../server/outcomes/insights-range.ts';

let dir: string;
let store: SqliteStore;
let sql: SqlRunner;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-insights-'));
  store = openSqliteStore(join(dir, 'baton.db'));
  sql = sqliteRunner(store.connection);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 23); // Monday 2026-11-23

function row(i: number, over: Partial<SeededOutcome>): SeededOutcome {
  return {
    tenantId: 'acme', handoffId: `ho_${i}`, helpdesk: 'zendesk', refId: String(i), customerKey: `c${i}`,
    acceptedAt: T0, reason: 'customer_requested_human', topic: 'refund', bot: 'Halo', source: 'generic', channel: 'web',
    priority: 'normal', group: 'g1', sentiment: 'negative', reasonText: 'I want a human agent', rejected: [], customerText: '',
    firstHumanReplyAt: null, solvedAt: null, reopenedCount: 0, repeatYourself: null, repeatScore: null, reEscalationOf: null,
    ...over,
  };
}

describe('computeInsights on a hand-made data set', () => {
  beforeEach(async () => {
    const H = 3600_000;
    await createOutcomeStore(sql).insertMany([
      // Mon 23rd: 2 handoffs. Replies after 60 s and 300 s.
      row(1, { acceptedAt: T0 + 1 * H, firstHumanReplyAt: T0 + 1 * H + 60_000, solvedAt: T0 + 3 * H, repeatYourself: false, priority: 'urgent',
        rejected: [{ kind: 'article', text: 'Refund policy', url: 'https://help.example.com/refunds' }] }),
      row(2, { acceptedAt: T0 + 2 * H, firstHumanReplyAt: T0 + 2 * H + 300_000, repeatYourself: true, reason: 'repeated_failure', topic: 'technical_issue',
        reasonText: 'the checkout still fails', rejected: [{ kind: 'article', text: 'Refund policy', url: 'https://help.example.com/refunds' },
          { kind: 'steps', text: 'Clear your cache' }] }),
      // Wed 25th: reply after 120 s, reopened, a re-escalation of ho_1 (same customer).
      row(3, { acceptedAt: T0 + 2 * 24 * H, firstHumanReplyAt: T0 + 2 * 24 * H + 120_000, solvedAt: T0 + 2 * 24 * H + H, reopenedCount: 1,
        reEscalationOf: 'ho_1', customerKey: 'c1', bot: 'Fin', source: 'fin', helpdesk: 'intercom', channel: 'whatsapp', sentiment: 'neutral',
        rejected: [{ kind: 'steps', text: '  clear your   CACHE ' }] }),
      // Mon 30th (next week): no reply yet; another tenant's row on the same day must not count.
      row(4, { acceptedAt: T0 + 7 * 24 * H, topic: 'technical_issue', reason: 'repeated_failure', reasonText: 'checkout still fails!' }),
      row(5, { tenantId: 'other', acceptedAt: T0 + 7 * 24 * H, firstHumanReplyAt: T0 + 7 * 24 * H + 1000 }),
      // Outside the range (Dec 7th).
      row(6, { acceptedAt: T0 + 14 * 24 * H }),
    ]);
    for (const [id, ok] of [['ho_1', 1], ['ho_2', 0], ['ho_3', 1], ['ho_5', 1]] as const) {
      await sql.run('INSERT INTO feedback (tenant_id, helpdesk, ref_id, handoff_id, accurate, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [id === 'ho_5' ? 'other' : 'acme', 'zendesk', id.slice(3), id, ok, T0]);
    }
  });

  it('counts totals, rates, buckets and quantiles as worked out by hand', async () => {
    const ins = await computeInsights(sql, 'acme', { from: '2026-11-23', to: '2026-12-06', groupBy: 'day' }, T0);
    expect(ins.totals).toEqual({ handoffs: 4, replied: 3, solved: 2, reopened: 1, repeatYourself: 1, reEscalated: 1, feedback: 3, feedbackAccurate: 2 });
    expect(ins.rates).toEqual({ repeatYourself: 0.25, reEscalation: 0.25, briefingAccuracy: 2 / 3 });
    expect(ins.series).toHaveLength(14);
    expect(ins.series[0]).toEqual({ bucket: '2026-11-23', handoffs: 2, byReason: { customer_requested_human: 1, repeated_failure: 1 } });
    expect(ins.series[1]).toEqual({ bucket: '2026-11-24', handoffs: 0, byReason: {} });
    expect(ins.series[2]!.handoffs).toBe(1);
    expect(ins.series[7]).toEqual({ bucket: '2026-11-30', handoffs: 1, byReason: { repeated_failure: 1 } });
    expect(ins.breakdown.reason).toEqual([{ key: 'customer_requested_human', count: 2 }, { key: 'repeated_failure', count: 2 }]);
    expect(ins.breakdown.topic).toEqual([{ key: 'refund', count: 2 }, { key: 'technical_issue', count: 2 }]);
    expect(ins.breakdown.bot).toEqual([{ key: 'Halo', count: 3 }, { key: 'Fin', count: 1 }]);
    expect(ins.breakdown.channel).toEqual([{ key: 'web', count: 3 }, { key: 'whatsapp', count: 1 }]);
    expect(ins.sentimentAtHandoff).toEqual([{ key: 'negative', count: 3 }, { key: 'neutral', count: 1 }]);
    // Replies 60, 300, 120 s: sorted 60, 120, 300; nearest rank p50 = ceil(1.5) = 2nd = 120; p90 = ceil(2.7) = 3rd = 300.
    expect(ins.firstReply.overall).toEqual({ count: 3, p50Seconds: 120, p90Seconds: 300 });
    expect(ins.firstReply.byPriority).toEqual([
      { key: 'normal', count: 2, p50Seconds: 120, p90Seconds: 300 },
      { key: 'urgent', count: 1, p50Seconds: 60, p90Seconds: 60 },
    ]);
    expect(ins.firstReply.byGroup).toEqual([{ key: 'g1', count: 3, p50Seconds: 120, p90Seconds: 300 }]);
    // "Clear your cache" twice (different spacing/case), the refund article twice.
    expect(ins.rejected).toEqual([
      { kind: 'article', text: 'Refund policy', url: 'https://help.example.com/refunds', count: 2 },
      { kind: 'steps', text: 'Clear your cache', count: 2 },
    ]);
    expect(ins.reasonClusters[0]).toEqual({ label: 'customer_requested_human: human', count: 2, examples: ['I want a human agent'] });
    expect(ins.reasonClusters[1]).toEqual({ label: 'repeated_failure: checkout fails', count: 2, examples: ['checkout still fails!', 'the checkout still fails'] });
  });

  it('buckets by ISO week (Mondays) and applies filters', async () => {
    const ins = await computeInsights(sql, 'acme', { from: '2026-11-25', to: '2026-12-01', groupBy: 'week', filters: { reason: 'repeated_failure' } }, T0);
    expect(ins.series).toEqual([
      { bucket: '2026-11-23', handoffs: 0, byReason: {} },
      { bucket: '2026-11-30', handoffs: 1, byReason: { repeated_failure: 1 } },
    ]);
    expect(ins.totals.handoffs).toBe(1);
    expect(ins.rates.briefingAccuracy).toBeNull();
    const none = await computeInsights(sql, 'nobody', { from: '2026-11-23', to: '2026-11-29', groupBy: 'day' }, T0);
    expect(none.totals.handoffs).toBe(0);
    expect(none.rates).toEqual({ repeatYourself: null, reEscalation: null, briefingAccuracy: null });
    expect(none.firstReply.overall).toEqual({ count: 0, p50Seconds: null, p90Seconds: null });
  });

  it('answers first-reply stats for a group and priority since a time', async () => {
    const stats = firstReplyStats(sql);
    expect(await stats({ tenantId: 'acme', sinceMs: T0 })).toEqual({ count: 3, p50Seconds: 120, p90Seconds: 300 });
    expect(await stats({ tenantId: 'acme', sinceMs: T0, priority: 'urgent' })).toEqual({ count: 1, p50Seconds: 60, p90Seconds: 60 });
    expect(await stats({ tenantId: 'acme', sinceMs: T0 + 24 * 3600_000, group: 'g1' })).toEqual({ count: 1, p50Seconds: 120, p90Seconds: 120 });
    expect((await stats({ tenantId: 'acme', sinceMs: T0, group: 'nope' })).count).toBe(0);
  });
});

describe('the seeded data set', () => {
  it('is deterministic and its insights match a naive recount of the rows', async () => {
    const opts = { tenantId: 'demo', count: 600, from: '2026-11-01', days: 28, seed: 7 };
    const seed = generateInsightsSeed(opts);
    expect(generateInsightsSeed(opts)).toEqual(seed);
    await writeInsightsSeed(sql, seed);
    const ins = await computeInsights(sql, 'demo', { from: '2026-11-08', to: '2026-11-21', groupBy: 'week' }, T0);
    const lo = Date.UTC(2026, 10, 8);
    const hi = Date.UTC(2026, 10, 22);
    const rows = seed.outcomes.filter((o) => o.acceptedAt >= lo && o.acceptedAt < hi);
    const ids = new Set(rows.map((r) => r.handoffId));
    const fb = seed.feedback.filter((f) => ids.has(f.handoffId));
    expect(ins.totals).toEqual({
      handoffs: rows.length,
      replied: rows.filter((r) => r.firstHumanReplyAt !== null).length,
      solved: rows.filter((r) => r.solvedAt !== null).length,
      reopened: rows.filter((r) => r.reopenedCount > 0).length,
      repeatYourself: rows.filter((r) => r.repeatYourself === true).length,
      reEscalated: rows.filter((r) => r.reEscalationOf !== null).length,
      feedback: fb.length,
      feedbackAccurate: fb.filter((f) => f.accurate).length,
    });
    expect(ins.series.map((s) => s.bucket)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(ins.series.reduce((n, s) => n + s.handoffs, 0)).toBe(rows.length);
    const durations = rows.filter((r) => r.firstHumanReplyAt !== null).map((r) => r.firstHumanReplyAt! - r.acceptedAt);
    expect(ins.firstReply.overall).toEqual(quantiles(durations));
    const rejectedRefunds = rows.flatMap((r) => r.rejected).filter((r) => r.url === 'https://help.example.com/articles/115-refunds').length;
    expect(ins.rejected.find((r) => r.url === 'https://help.example.com/articles/115-refunds')?.count).toBe(rejectedRefunds);
    expect(ins.rejected[0]!.count).toBeGreaterThanOrEqual(ins.rejected[1]!.count);
  });
});

describe('insights-range', () => {
  it('names ISO weeks by their dates', () => {
    expect(isoWeekRange('2026-W48')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(isoWeekRange('2026-W01')).toEqual({ from: '2025-12-29', to: '2026-01-04' });
    // 2026 starts on a Thursday: it has a week 53; 2025 does not.
    expect(isoWeekRange('2026-W53')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(isoWeekRange('2025-W53')).toBeUndefined();
    expect(isoWeekRange('2026-W00')).toBeUndefined();
    expect(isoWeekRange('2020-W53')).toEqual({ from: '2020-12-28', to: '2021-01-03' });
    expect(isoWeekRange('2026-48')).toBeUndefined();
  });
});
