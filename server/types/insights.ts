/**
 * The insights contract (issue 11): what `GET /v1/tenants/{tenantId}/insights` answers, what the `nav_bar`
 * dashboard draws, what the weekly digest prints, and the first-reply statistics the evaluate API estimates
 * waits from. Durations are seconds; rates are 0..1, or null when there is nothing to divide by (never 0 for
 * "no data"). Buckets and ranges are UTC ISO dates (YYYY-MM-DD); `to` is inclusive.
 */

export type InsightsGroupBy = 'day' | 'week';

/** One label and how many handoffs had it. Sorted by count, descending, then key. */
export interface KeyCount {
  key: string;
  count: number;
}

/** Median and 90th percentile of a set of durations, with how many went in; null figures when count is 0. */
export interface Quantiles {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface InsightsFilters {
  bot?: string;
  channel?: string;
  reason?: string;
  topic?: string;
  priority?: string;
  group?: string;
}

export interface InsightsQuery {
  from: string;
  to: string;
  groupBy: InsightsGroupBy;
  filters?: InsightsFilters;
}

export interface Insights {
  tenantId: string;
  from: string;
  to: string;
  groupBy: InsightsGroupBy;
  filters: InsightsFilters;
  generatedAt: string;
  totals: {
    handoffs: number;
    /** Handoffs with a recorded first human reply. */
    replied: number;
    solved: number;
    reopened: number;
    repeatYourself: number;
    reEscalated: number;
    feedback: number;
    feedbackAccurate: number;
  };
  rates: {
    repeatYourself: number | null;
    reEscalation: number | null;
    briefingAccuracy: number | null;
  };
  /** One entry per bucket in [from, to], empty buckets included, so a chart's axis has no gaps. */
  series: Array<{ bucket: string; handoffs: number; byReason: Record<string, number> }>;
  breakdown: { reason: KeyCount[]; topic: KeyCount[]; bot: KeyCount[]; channel: KeyCount[] };
  /** The report's sentiment label at handoff (SentimentLabel). */
  sentimentAtHandoff: KeyCount[];
  firstReply: {
    overall: Quantiles;
    byPriority: Array<Quantiles & { key: string }>;
    byGroup: Array<Quantiles & { key: string }>;
  };
  /** The bot owner's to-do list: bot answers and articles customers rejected, most rejected first. */
  rejected: Array<{ kind: string; text: string; url?: string; count: number }>;
  /** Escalation reasons grouped by similar wording, with redacted example phrasings. */
  reasonClusters: Array<{ label: string; count: number; examples: string[] }>;
}

/** Time to first human reply over a window, for the evaluate API's wait estimate. */
export interface FirstReplyStatsQuery {
  tenantId: string;
  group?: string;
  priority?: string;
  /** Only handoffs accepted at or after this time (ms). */
  sinceMs: number;
}

export type FirstReplyStats = (q: FirstReplyStatsQuery) => Promise<Quantiles>;
