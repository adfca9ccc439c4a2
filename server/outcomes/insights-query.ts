/**
 * The insights figures (server/types/insights.ts) for one tenant and date range, from the outcome tables:
 * a handful of indexed GROUP BY queries (tenant_id, accepted_at) and nearest-rank percentiles in memory.
 * The same SQL runs on SQLite and Postgres. Example phrasings come from the stored reports, which are redacted.
 */
import type { FirstReplyStats, Insights, InsightsFilters, InsightsQuery, KeyCount, Quantiles } from '../types/insights.ts';
import { bucketOf, bucketsBetween, DAY_MS, parseDay, quantiles } from './insights-range.ts';
import { num, type SqlRunner, type SqlValue } from './sql-runner.ts';

/** Filter name -> column (the only column names that ever reach SQL text). */
const FILTER_COLUMNS: Record<keyof InsightsFilters, string> = {
  bot: 'bot',
  channel: 'channel',
  reason: 'reason',
  topic: 'topic',
  priority: 'priority',
  group: 'group_key',
};

const TOP_REJECTED = 20;
const TOP_CLUSTERS = 10;
const EXAMPLES_PER_CLUSTER = 3;
/** Rows read per cluster to find its distinct examples. */
const EXAMPLE_ROWS = 30;

function where(tenantId: string, fromMs: number, toMs: number, filters: InsightsFilters, alias = 'o'): { sql: string; params: SqlValue[] } {
  const parts = [`${alias}.tenant_id = ?`, `${alias}.accepted_at >= ?`, `${alias}.accepted_at < ?`];
  const params: SqlValue[] = [tenantId, fromMs, toMs];
  for (const key of Object.keys(FILTER_COLUMNS) as Array<keyof InsightsFilters>) {
    const v = filters[key];
    if (v === undefined) continue;
    parts.push(`${alias}.${FILTER_COLUMNS[key]} = ?`);
    params.push(v);
  }
  return { sql: parts.join(' AND '), params };
}

function keyCounts(rows: Array<{ k: unknown; n: unknown }>): KeyCount[] {
  return rows
    .map((r) => ({ key: String(r.k), count: num(r.n) }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** `query.from`/`to` must already be valid dates (the HTTP layer and the CLI check them). */
export async function computeInsights(sql: SqlRunner, tenantId: string, query: InsightsQuery, now: number): Promise<Insights> {
  const fromMs = parseDay(query.from);
  const toDayMs = parseDay(query.to);
  if (fromMs === undefined || toDayMs === undefined || toDayMs < fromMs) throw new RangeError('insights: invalid range');
  const toMs = toDayMs + DAY_MS;
  const filters = { ...(query.filters ?? {}) };
  const w = where(tenantId, fromMs, toMs, filters);

  // One index-only scan of the range (handoff_outcomes_time covers these columns); counted here, not in
  // several GROUP BYs, so the rows are read once.
  const scan = await sql.rows(
    `SELECT o.day, o.reason, o.topic, o.bot, o.channel, o.sentiment, o.priority, o.group_key,
       o.first_human_reply_at - o.accepted_at, o.solved_at, o.reopened_count, o.repeat_yourself, o.re_escalation_of, o.reason_key
     FROM handoff_outcomes o WHERE ${w.sql}`,
    w.params,
  );
  const [fb] = await sql.all<Record<string, unknown>>(
    `SELECT COUNT(*) AS n, SUM(CAST(f.accurate AS INTEGER)) AS accurate FROM feedback f
     WHERE f.tenant_id = ? AND f.handoff_id IN (SELECT o.handoff_id FROM handoff_outcomes o WHERE ${w.sql})`,
    [tenantId, ...w.params],
  );
  // Without filters the rejections table answers alone (it keeps each handoff's acceptance time).
  const filtered = w.params.length > 3;
  const rejected = await sql.all<{ kind: string; text: string; url: string | null; n: unknown }>(
    `SELECT r.kind AS kind, MIN(r.text) AS text, MIN(r.url) AS url, COUNT(*) AS n FROM outcome_rejections r
     WHERE r.tenant_id = ? AND r.accepted_at >= ? AND r.accepted_at < ?
       ${filtered ? `AND r.handoff_id IN (SELECT o.handoff_id FROM handoff_outcomes o WHERE ${w.sql})` : ''}
     GROUP BY r.kind, r.text_key ORDER BY COUNT(*) DESC, r.text_key LIMIT ${TOP_REJECTED}`,
    filtered ? [tenantId, fromMs, toMs, ...w.params] : [tenantId, fromMs, toMs],
  );
  // Series: every bucket present, reason counts summed into day or week buckets.
  const fromDay = Math.floor(fromMs / DAY_MS);
  const toDay = Math.floor(toDayMs / DAY_MS);
  const buckets = new Map(bucketsBetween(fromDay, toDay, query.groupBy).map((b) => [b, { bucket: b, handoffs: 0, byReason: {} as Record<string, number> }]));
  const bucketOfDay = new Map<number, ReturnType<typeof buckets.get>>();
  const count = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  const reasons = new Map<string, number>();
  const topics = new Map<string, number>();
  const bots = new Map<string, number>();
  const channels = new Map<string, number>();
  const sentiments = new Map<string, number>();
  const clusterCounts = new Map<string, number>();
  const all: number[] = [];
  const byPriority = new Map<string, number[]>();
  const byGroup = new Map<string, number[]>();
  const totals = { handoffs: 0, replied: 0, solved: 0, reopened: 0, repeatYourself: 0, reEscalated: 0, feedback: 0, feedbackAccurate: 0 };
  for (const r of scan) {
    const day = num(r[0]);
    let b = bucketOfDay.get(day);
    if (b === undefined) {
      b = buckets.get(bucketOf(day, query.groupBy));
      bucketOfDay.set(day, b);
    }
    const reason = String(r[1]);
    if (b) {
      b.handoffs++;
      b.byReason[reason] = (b.byReason[reason] ?? 0) + 1;
    }
    count(reasons, reason);
    count(topics, String(r[2]));
    count(bots, String(r[3]));
    count(channels, String(r[4]));
    count(sentiments, String(r[5]));
    totals.handoffs++;
    if (r[8] !== null && r[8] !== undefined) {
      const d = num(r[8]);
      totals.replied++;
      all.push(d);
      const p = String(r[6]);
      const g = String(r[7]);
      (byPriority.get(p) ?? byPriority.set(p, []).get(p)!).push(d);
      (byGroup.get(g) ?? byGroup.set(g, []).get(g)!).push(d);
    }
    if (r[9] !== null && r[9] !== undefined) totals.solved++;
    if (num(r[10]) > 0) totals.reopened++;
    if (r[11] !== null && num(r[11]) === 1) totals.repeatYourself++;
    if (r[12] !== null && r[12] !== undefined) totals.reEscalated++;
    if (r[13] !== null && r[13] !== undefined) count(clusterCounts, String(r[13]));
  }
  const toKeyCounts = (m: Map<string, number>): KeyCount[] => keyCounts([...m].map(([k, n]) => ({ k, n })));

  // The biggest clusters, each with a few distinct example phrasings (first found in the range, shown sorted).
  const topClusters = toKeyCounts(clusterCounts).slice(0, TOP_CLUSTERS);
  const reasonClusters: Insights['reasonClusters'] = [];
  for (const c of topClusters) {
    // A bounded read (no DISTINCT over the whole cluster: that would visit every row of a one-phrasing cluster).
    const ex = await sql.all<{ t: string }>(
      `SELECT o.reason_text AS t FROM handoff_outcomes o WHERE ${w.sql} AND o.reason_key = ? AND o.reason_text IS NOT NULL LIMIT ${EXAMPLE_ROWS}`,
      [...w.params, c.key],
    );
    reasonClusters.push({ label: c.key, count: c.count, examples: [...new Set(ex.map((e) => e.t))].slice(0, EXAMPLES_PER_CLUSTER).sort() });
  }

  const keyed = (m: Map<string, number[]>): Array<Quantiles & { key: string }> =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, ds]) => ({ key, ...quantiles(ds) }));

  totals.feedback = num(fb?.n);
  totals.feedbackAccurate = num(fb?.accurate);
  const handoffs = totals.handoffs;
  return {
    tenantId,
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    filters,
    generatedAt: new Date(now).toISOString(),
    totals,
    rates: {
      // Shares of all handoffs in range: a handoff the customer never wrote after did not make them repeat.
      repeatYourself: rate(totals.repeatYourself, handoffs),
      reEscalation: rate(totals.reEscalated, handoffs),
      briefingAccuracy: rate(totals.feedbackAccurate, totals.feedback),
    },
    series: [...buckets.values()],
    breakdown: { reason: toKeyCounts(reasons), topic: toKeyCounts(topics), bot: toKeyCounts(bots), channel: toKeyCounts(channels) },
    sentimentAtHandoff: toKeyCounts(sentiments),
    firstReply: { overall: quantiles(all), byPriority: keyed(byPriority), byGroup: keyed(byGroup) },
    rejected: rejected.map((r) => ({ kind: r.kind, text: r.text, ...(r.url ? { url: r.url } : {}), count: num(r.n) })),
    reasonClusters,
  };
}

/** Time to first human reply over a recent window, optionally for one group and/or priority (the evaluate API's wait estimate). */
export function firstReplyStats(sql: SqlRunner): FirstReplyStats {
  return async (q) => {
    const parts = ['tenant_id = ?', 'accepted_at >= ?', 'first_human_reply_at IS NOT NULL'];
    const params: SqlValue[] = [q.tenantId, q.sinceMs];
    if (q.group !== undefined) {
      parts.push('group_key = ?');
      params.push(q.group);
    }
    if (q.priority !== undefined) {
      parts.push('priority = ?');
      params.push(q.priority);
    }
    const rows = await sql.all<{ d: unknown }>(
      `SELECT first_human_reply_at - accepted_at AS d FROM handoff_outcomes WHERE ${parts.join(' AND ')}`,
      params,
    );
    return quantiles(rows.map((r) => num(r.d)));
  };
}
