/**
 * The dashboard's data state: loads when the query changes (date range, groupBy, filters), keeps only the
 * answer to the latest query (an older, slower answer never overwrites a newer one), and can retry.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Insights } from '../../../server/types/insights.ts';
import type { DashboardQuery, InsightsSource } from './insights-api.ts';

export type InsightsPhase = 'loading' | 'ready' | 'empty' | 'unauthorized' | 'unreachable' | 'error';

export interface InsightsState {
  phase: InsightsPhase;
  data?: Insights;
  status?: number;
  message?: string;
  /** How many loads were started (tests: a filter change refetches). */
  loads: number;
}

export function useInsights(source: InsightsSource, query: DashboardQuery): InsightsState & { retry: () => void } {
  const [state, setState] = useState<InsightsState>({ phase: 'loading', loads: 0 });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    const id = ++latest.current;
    const q = JSON.parse(key) as DashboardQuery;
    // Keep the previous figures on screen while the next ones load (no flash to a skeleton on each filter change).
    setState((s) => ({ ...s, phase: 'loading', loads: s.loads + 1 }));
    void source.load(q).then((out) => {
      if (id !== latest.current) return;
      setState((s) => {
        switch (out.kind) {
          case 'ok':
            return { phase: out.data.totals.handoffs === 0 ? 'empty' : 'ready', data: out.data, loads: s.loads };
          case 'unauthorized':
            return { phase: 'unauthorized', status: out.status, ...(out.message ? { message: out.message } : {}), loads: s.loads };
          case 'unreachable':
            return { phase: 'unreachable', loads: s.loads };
          default:
            return { phase: 'error', status: out.status, ...(out.message ? { message: out.message } : {}), loads: s.loads };
        }
      });
    });
  }, [source, key, attempt]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}

/** YYYY-MM-DD of a Date in UTC. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The last `days` days up to today (UTC), by week. */
export function defaultQuery(now: Date = new Date(), days = 28): DashboardQuery {
  const to = isoDate(now);
  const from = isoDate(new Date(now.getTime() - (days - 1) * 86_400_000));
  return { from, to, groupBy: days > 31 ? 'week' : 'day', filters: {} };
}
