/** The first-reply statistics cache (server/evaluate/stats-cache.ts): kept for the TTL per key, shared misses, failures not kept. */
import { describe, expect, it } from 'vitest';
import { cachedFirstReplyStats } from '../../../server/evaluate/stats-cache.ts';
import type { FirstReplyStatsQuery, Quantiles } from '../../../server/types/insights.ts';

const Q = (over: Partial<FirstReplyStatsQuery> = {}, now = 1_000_000_000): FirstReplyStatsQuery => ({ tenantId: 'acme', group: '1', priority: 'high', sinceMs: now - 14 * 86_400_000, ...over });

describe('cachedFirstReplyStats', () => {
  it('asks once per key within the TTL, again after it, and separately per group, priority and tenant', async () => {
    let now = 1_000_000_000;
    const calls: FirstReplyStatsQuery[] = [];
    let n = 0;
    const stats = cachedFirstReplyStats(async (q) => (calls.push(q), { count: ++n, p50Seconds: 1, p90Seconds: 2 }), { ttlMs: 60_000, clock: () => now });
    expect((await stats(Q({}, now))).count).toBe(1);
    now += 59_000;
    expect((await stats(Q({}, now))).count).toBe(1);
    expect((await stats(Q({ group: '2' }, now))).count).toBe(2);
    expect((await stats(Q({ priority: 'low' }, now))).count).toBe(3);
    expect((await stats(Q({ tenantId: 'globex' }, now))).count).toBe(4);
    now += 2_000;
    expect((await stats(Q({}, now))).count).toBe(5);
    expect(calls).toHaveLength(5);
  });

  it('concurrent misses share one query', async () => {
    let calls = 0;
    let release!: (q: Quantiles) => void;
    const stats = cachedFirstReplyStats(() => (calls++, new Promise<Quantiles>((r) => (release = r))), { clock: () => 5 });
    const a = stats(Q({}, 5));
    const b = stats(Q({}, 5));
    release({ count: 3, p50Seconds: 1, p90Seconds: 1 });
    expect(await a).toEqual(await b);
    expect(calls).toBe(1);
  });

  it('a failure is not kept', async () => {
    let calls = 0;
    const stats = cachedFirstReplyStats(async () => {
      calls++;
      if (calls === 1) throw new Error('db down');
      return { count: 1, p50Seconds: 1, p90Seconds: 1 };
    }, { clock: () => 5 });
    await expect(stats(Q({}, 5))).rejects.toThrow('db down');
    expect((await stats(Q({}, 5))).count).toBe(1);
    expect(calls).toBe(2);
  });
});
