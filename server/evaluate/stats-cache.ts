/**
 * First-reply statistics change slowly and a bot may ask on every turn: answers are kept per tenant, group,
 * priority and window for a short while (default 60 s), and concurrent misses share one query. Failures are
 * not kept, so the next request asks again.
 */
import type { FirstReplyStats, FirstReplyStatsQuery, Quantiles } from '../types/insights.ts';

export interface StatsCacheOptions {
  ttlMs?: number;
  clock?: () => number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
}

export function cachedFirstReplyStats(stats: FirstReplyStats, opts: StatsCacheOptions = {}): FirstReplyStats {
  const ttl = opts.ttlMs ?? 60_000;
  const clock = opts.clock ?? Date.now;
  const max = opts.maxEntries ?? 10_000;
  const entries = new Map<string, { at: number; value: Promise<Quantiles> }>();
  return (q: FirstReplyStatsQuery) => {
    const now = clock();
    // The window's length, not its start, is part of the key: the start moves with the clock.
    const key = JSON.stringify([q.tenantId, q.group ?? null, q.priority ?? null, Math.round((now - q.sinceMs) / 60_000)]);
    const hit = entries.get(key);
    if (hit && now - hit.at < ttl) return hit.value;
    const value = stats(q);
    entries.delete(key);
    entries.set(key, { at: now, value });
    if (entries.size > max) entries.delete(entries.keys().next().value!);
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}
