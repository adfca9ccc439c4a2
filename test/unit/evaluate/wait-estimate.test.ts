/**
 * The wait estimate (server/evaluate/wait-estimate.ts) against a fake FirstReplyStats: the statistic asked
 * for, the window and group/priority passed on, and null — never a number — when data is thin or unreadable.
 */
import { describe, expect, it } from 'vitest';
import { estimateWait } from '../../../server/evaluate/wait-estimate.ts';
import { parseEvaluateConfig } from '../../../server/evaluate/evaluate-config.ts';
import type { FirstReplyStatsQuery, Quantiles } from '../../../server/types/insights.ts';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const DAY = 86_400_000;

function fake(answer: Quantiles) {
  const asked: FirstReplyStatsQuery[] = [];
  return { asked, stats: async (q: FirstReplyStatsQuery) => (asked.push(q), answer) };
}

describe('estimateWait', () => {
  it('the median over the last 14 days for the routed group and priority, with its basis', async () => {
    const f = fake({ count: 25, p50Seconds: 312.4, p90Seconds: 1200 });
    const w = await estimateWait(f.stats, { tenantId: 'acme', group: 360001, priority: 'high', nowMs: NOW }, parseEvaluateConfig(undefined));
    expect(w).toEqual({ seconds: 312, basis: { statistic: 'median', sampleSize: 25, windowDays: 14 } });
    expect(f.asked).toEqual([{ tenantId: 'acme', group: '360001', priority: 'high', sinceMs: NOW - 14 * DAY }]);
  });

  it('p90 and a 7-day window when the tenant says so; no group when routing gave none', async () => {
    const f = fake({ count: 100, p50Seconds: 60, p90Seconds: 900 });
    const w = await estimateWait(f.stats, { tenantId: 'acme', group: null, priority: 'normal', nowMs: NOW }, parseEvaluateConfig({ statistic: 'p90', windowDays: 7 }));
    expect(w).toEqual({ seconds: 900, basis: { statistic: 'p90', sampleSize: 100, windowDays: 7 } });
    expect(f.asked[0]).toEqual({ tenantId: 'acme', priority: 'normal', sinceMs: NOW - 7 * DAY });
  });

  it('thin data: 19 replies under the default floor of 20 give null', async () => {
    const f = fake({ count: 19, p50Seconds: 300, p90Seconds: 600 });
    expect(await estimateWait(f.stats, { tenantId: 'acme', group: 1, priority: 'low', nowMs: NOW }, parseEvaluateConfig(undefined))).toBeNull();
    const exactly = fake({ count: 20, p50Seconds: 300, p90Seconds: 600 });
    expect(await estimateWait(exactly.stats, { tenantId: 'acme', group: 1, priority: 'low', nowMs: NOW }, parseEvaluateConfig(undefined))).not.toBeNull();
  });

  it('a tenant floor of 100', async () => {
    const f = fake({ count: 99, p50Seconds: 300, p90Seconds: 600 });
    expect(await estimateWait(f.stats, { tenantId: 'acme', group: 1, priority: 'low', nowMs: NOW }, parseEvaluateConfig({ minSampleSize: 100 }))).toBeNull();
  });

  it('no statistics wired, an empty set, or a figure that is not a duration: null', async () => {
    const cfg = parseEvaluateConfig({ minSampleSize: 1 });
    const q = { tenantId: 'acme', group: 1, priority: 'low', nowMs: NOW };
    expect(await estimateWait(undefined, q, cfg)).toBeNull();
    expect(await estimateWait(fake({ count: 0, p50Seconds: null, p90Seconds: null }).stats, q, cfg)).toBeNull();
    expect(await estimateWait(fake({ count: 5, p50Seconds: null, p90Seconds: 10 }).stats, q, cfg)).toBeNull();
    expect(await estimateWait(fake({ count: 5, p50Seconds: Number.NaN, p90Seconds: 10 }).stats, q, cfg)).toBeNull();
    expect(await estimateWait(fake({ count: 5, p50Seconds: -3, p90Seconds: 10 }).stats, q, cfg)).toBeNull();
  });
});
