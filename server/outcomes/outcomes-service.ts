/**
 * One entry point over a core store for everything outcome-shaped (issue 11): the outcome writes, the insights
 * figures, first-reply statistics for the evaluate API, and the seeded data set for previews and benches.
 */
import type { Store } from '../store/store.ts';
import type { FirstReplyStats, Insights, InsightsQuery } from '../types/insights.ts';
import { computeInsights, firstReplyStats } from './insights-query.ts';
import { outcomeStoreFor, type OutcomeStore } from './outcome-store.ts';
import { seedInsights, type InsightsSeed, type SeedOptions } from './seed-insights.ts';
import { reportSync } from './sync-reports.ts';

export interface OutcomesService {
  outcomes: OutcomeStore;
  insights(tenantId: string, query: InsightsQuery, now?: number): Promise<Insights>;
  firstReplyStats: FirstReplyStats;
  seed(opts: SeedOptions): Promise<InsightsSeed>;
  /** Adds outcome rows for stored reports that have none yet (the insights and first-reply queries run it first). */
  syncReports(): Promise<number>;
}

const cache = new WeakMap<Store, OutcomesService>();

export function outcomesFor(store: Store): OutcomesService {
  let s = cache.get(store);
  if (!s) {
    const outcomes = outcomeStoreFor(store);
    const sync = reportSync(outcomes);
    const stats = firstReplyStats(outcomes.sql);
    s = {
      outcomes,
      insights: async (tenantId, query, now = Date.now()) => {
        await sync.run();
        return computeInsights(outcomes.sql, tenantId, query, now);
      },
      firstReplyStats: async (q) => {
        await sync.run();
        return stats(q);
      },
      seed: (opts) => seedInsights(outcomes.sql, opts),
      syncReports: () => sync.run(),
    };
    cache.set(store, s);
  }
  return s;
}
