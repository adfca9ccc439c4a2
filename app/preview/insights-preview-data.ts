/**
 * The figures /preview/insights shows in sandbox mode: the insights API's own computation (server/outcomes)
 * over the demo tenant, seeded once with the deterministic insights data set (seed-insights.ts) when the demo
 * tenant has no seeded rows yet, so the dashboard has something to draw without a bot or a helpdesk.
 */
import type { Store } from '../../server/store/store.ts';
import type { Insights, InsightsQuery } from '../../server/types/insights.ts';
import { outcomesFor } from '../../server/outcomes/outcomes-service.ts';
import { insightsCsv } from '../../server/outcomes/insights-csv.ts';

export interface DemoInsightsOptions {
  /** How many seeded handoffs, over how many days ending today (UTC). */
  count?: number;
  days?: number;
  now?: () => number;
}

const SEED_MARK = 'ho_seed_%';

export function demoInsightsData(store: Store, opts: DemoInsightsOptions = {}): { loadInsights: (tenantId: string, q: InsightsQuery) => Promise<Insights>; toCsv: (i: Insights) => string } {
  const service = outcomesFor(store);
  const now = opts.now ?? Date.now;
  const seeded = new Map<string, Promise<void>>();
  const ensureSeeded = (tenantId: string): Promise<void> => {
    let p = seeded.get(tenantId);
    if (!p) {
      p = (async () => {
        const has = await service.outcomes.sql.all('SELECT 1 AS one FROM handoff_outcomes WHERE tenant_id = ? AND handoff_id LIKE ? LIMIT 1', [tenantId, SEED_MARK]);
        if (has.length > 0) return;
        const days = opts.days ?? 56;
        const from = new Date(now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
        await service.seed({ tenantId, count: opts.count ?? 1800, from, days });
      })();
      // A failed seed is retried on the next request rather than remembered.
      p.catch(() => seeded.delete(tenantId));
      seeded.set(tenantId, p);
    }
    return p;
  };
  return {
    loadInsights: async (tenantId, q) => {
      await ensureSeeded(tenantId);
      return service.insights(tenantId, q, now());
    },
    toCsv: insightsCsv,
  };
}
