/**
 * The wait a bot may promise: the median (or p90, per tenant) of measured times to first human reply for the
 * routed group and priority over the last `windowDays`, from outcome tracking (FirstReplyStats). Fewer than
 * `minSampleSize` replies, or statistics that cannot be read: null, and the message says no number.
 */
import type { FirstReplyStats } from '../types/insights.ts';
import type { EvaluateConfig } from './evaluate-config.ts';

export interface WaitBasis {
  statistic: 'median' | 'p90';
  sampleSize: number;
  windowDays: number;
}

export interface WaitEstimate {
  seconds: number;
  basis: WaitBasis;
}

export interface WaitQuery {
  tenantId: string;
  group: number | null;
  priority: string;
  nowMs: number;
}

const DAY_MS = 86_400_000;

export async function estimateWait(stats: FirstReplyStats | undefined, q: WaitQuery, cfg: EvaluateConfig): Promise<WaitEstimate | null> {
  if (!stats) return null;
  const quantiles = await stats({
    tenantId: q.tenantId,
    ...(q.group !== null ? { group: String(q.group) } : {}),
    priority: q.priority,
    sinceMs: q.nowMs - cfg.windowDays * DAY_MS,
  });
  if (!Number.isInteger(quantiles.count) || quantiles.count < cfg.minSampleSize) return null;
  const value = cfg.statistic === 'p90' ? quantiles.p90Seconds : quantiles.p50Seconds;
  if (value === null || !Number.isFinite(value) || value < 0) return null;
  return { seconds: Math.round(value), basis: { statistic: cfg.statistic, sampleSize: quantiles.count, windowDays: cfg.windowDays } };
}
