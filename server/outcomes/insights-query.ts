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

  const [totalsRow] = await sql.all<Record<string, unknown>>(
    `SELECT COUNT(*) AS handoffs,
       SUM(CASE WHEN o.first_human_reply_at IS NOT NULL THEN 1 ELSE 0 END) AS replied,
       SUM(CASE WHEN o.solved_at IS NOT NULL THEN 1 ELSE 0 END) AS solved,
       SUM(CASE WHEN o.reopened_count > 0 THEN 1 ELSE 0 END) AS reopened,
       SUM(CASE WHEN o.repeat_yourself = 1 THEN 1 ELSE 0 END) AS repeat_yourself,
       SUM(CASE WHEN o.re_escalation_of IS NOT NULL THEN 1 ELSE 0 END) AS re_escalated
     FROM handoff_outcomes o WHERE ${w.sql}`,
    w.params,
  );
  const [fb] = await sql.all<Record<string, unknown>>(
    `SELECT COUNT(*) AS n, SUM(CAST(f.accurate AS INTEGER)) AS accurate
     FROM feedback f JOIN handoff_outcomes o ON o.tenant_id = f.tenant_id AND o.handoff_id = f.handoff_id
     WHERE ${w.sql}`,
    w.params,
  );
  const series = await sql.all<{ day: unknown; k: unknown; n: unknown }>(
    `SELECT o.day AS day, o.reason AS k, COUNT(*) AS n FROM handoff_outcomes o WHERE ${w.sql} GROUP BY o.day, o.reason`,
    w.params,
  );
  const by = (column: string) =>
    sql.all<{ k: unknown; n: unknown }>(`SELECT o.${column} AS k, COUNT(*) AS n FROM handoff_outcomes o WHERE ${w.sql} GROUP BY o.${column}`, w.params);
  const [topic, bot, channel, sentiment] = await Promise.all([by('topic'), by('bot'), by('channel'), by('sentiment')]);
  const replies = await sql.all<{ p: string; g: string; d: unknown }>(
    `SELECT o.priority AS p, o.group_key AS g, o.first_human_reply_at - o.accepted_at AS d
     FROM handoff_outcomes o WHERE ${w.sql} AND o.first_human_reply_at IS NOT NULL`,
    w.params,
  );
  const rejected = await sql.all<{ kind: string; text: string; url: string | null; n: unknown }>(
    `SELECT r.kind AS kind, MIN(r.text) AS text, MIN(r.url) AS url, COUNT(*) AS n
     FROM outcome_rejections r JOIN handoff_outcomes o ON o.tenant_id = r.tenant_id AND o.handoff_id = r.handoff_id
     WHERE r.tenant_id = ? AND r.accepted_at >= ? AND r.accepted_at < ? AND ${w.sql}
     GROUP BY r.kind, r.text_key ORDER BY COUNT(*) DESC, r.text_key LIMIT ${TOP_REJECTED}`,
    [tenantId, fromMs, toMs, ...w.params],
  );
  const clusters = await sql.all<{ k: string; n: unknown }>(
    `SELECT o.reason_key AS k, COUNT(*) AS n FROM handoff_outcomes o WHERE ${w.sql} AND o.reason_key IS NOT NULL
     GROUP BY o.reason_key ORDER BY COUNT(*) DESC, o.reason_key LIMIT ${TOP_CLUSTERS}`,
    w.params,
  );
  const reasonClusters: Insights['reasonClusters'] = [];
  for (const c of clusters) {
    const ex = await sql.all<{ t: string }>(
      `SELECT DISTINCT o.reason_text AS t FROM handoff_outcomes o WHERE ${w.sql} AND o.reason_key = ? AND o.reason_text IS NOT NULL
       ORDER BY o.reason_text LIMIT ${EXAMPLES_PER_CLUSTER}`,
      [...w.params, c.k],
    );
    reasonClusters.push({ label: c.k, count: num(c.n), examples: ex.map((e) => e.t) });
  }

  // Series: every bucket present, reason counts summed into day or week buckets.
  const fromDay = Math.floor(fromMs / DAY_MS);
  const toDay = Math.floor(toDayMs / DAY_MS);
  const buckets = new Map(bucketsBetween(fromDay, toDay, query.groupBy).map((b) => [b, { bucket: b, handoffs: 0, byReason: {} as Record<string, number> }]));
  const reasonTotals = new Map<string, number>();
  for (const r of series) {
    const b = buckets.get(bucketOf(num(r.day), query.groupBy));
    const n = num(r.n);
    const k = String(r.k);
    reasonTotals.set(k, (reasonTotals.get(k) ?? 0) + n);
    if (!b) continue;
    b.handoffs += n;
    b.byReason[k] = (b.byReason[k] ?? 0) + n;
  }

  const all: number[] = [];
  const byPriority = new Map<string, number[]>();
  const byGroup = new Map<string, number[]>();
  for (const r of replies) {
    const d = num(r.d);
    all.push(d);
    (byPriority.get(r.p) ?? byPriority.set(r.p, []).get(r.p)!).push(d);
    (byGroup.get(r.g) ?? byGroup.set(r.g, []).get(r.g)!).push(d);
  }
  const keyed = (m: Map<string, number[]>): Array<Quantiles & { key: string }> =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, ds]) => ({ key, ...quantiles(ds) }));

  const t = totalsRow ?? {};
  const handoffs = num(t.handoffs);
  const feedback = num(fb?.n);
  const feedbackAccurate = num(fb?.accurate);
  const totals = {
    handoffs,
    replied: num(t.replied),
    solved: num(t.solved),
    reopened: num(t.reopened),
    repeatYourself: num(t.repeat_yourself),
    reEscalated: num(t.re_escalated),
    feedback,
    feedbackAccurate,
  };
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
      briefingAccuracy: rate(feedbackAccurate, feedback),
    },
    series: [...buckets.values()],
    breakdown: {
      reason: keyCounts([...reasonTotals].map(([k, n]) => ({ k, n }))),
      topic: keyCounts(topic),
      bot: keyCounts(bot),
      channel: keyCounts(channel),
    },
    sentimentAtHandoff: keyCounts(sentiment),
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
