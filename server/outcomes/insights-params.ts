/**
 * The insights query string → an InsightsQuery, or the list of what is wrong (400). Every parameter at most
 * once, known names only, dates real calendar days, `from` ≤ `to`, at most MAX_RANGE_DAYS days; filter values
 * short printable labels. Defaults: the last 30 days up to today (UTC), by day.
 */
import type { InsightsFilters, InsightsGroupBy, InsightsQuery } from '../types/insights.ts';
import { DAY_MS, MAX_RANGE_DAYS, parseDay } from './insights-range.ts';

export const FILTER_PARAMS = ['bot', 'channel', 'reason', 'topic', 'priority', 'group'] as const;
const KNOWN = new Set<string>(['from', 'to', 'groupBy', 'format', ...FILTER_PARAMS]);
const LABEL_MAX = 100;
const DEFAULT_DAYS = 30;

export interface ParamProblem {
  field: string;
  problem: string;
}

export type ParsedInsightsParams = { ok: true; query: InsightsQuery; format?: 'csv' | 'json' } | { ok: false; problems: ParamProblem[] };

function isLabel(s: string): boolean {
  if (s.length === 0 || s.length > LABEL_MAX) return false;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) return false;
  }
  return true;
}

export function parseInsightsParams(query: Record<string, unknown>, now: number): ParsedInsightsParams {
  const problems: ParamProblem[] = [];
  const one: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (!KNOWN.has(k)) problems.push({ field: k, problem: 'unknown parameter' });
    else if (typeof v !== 'string') problems.push({ field: k, problem: 'give it once, as a plain value' });
    else one[k] = v;
  }
  if (problems.length) return { ok: false, problems };
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const toMs = one.to !== undefined ? parseDay(one.to) : today;
  const fromMs = one.from !== undefined ? parseDay(one.from) : (toMs ?? today) - (DEFAULT_DAYS - 1) * DAY_MS;
  if (toMs === undefined) problems.push({ field: 'to', problem: 'must be a date YYYY-MM-DD' });
  if (fromMs === undefined) problems.push({ field: 'from', problem: 'must be a date YYYY-MM-DD' });
  if (toMs !== undefined && fromMs !== undefined) {
    if (fromMs > toMs) problems.push({ field: 'from', problem: 'must not be after to' });
    else if ((toMs - fromMs) / DAY_MS + 1 > MAX_RANGE_DAYS) problems.push({ field: 'to', problem: `the range may cover at most ${MAX_RANGE_DAYS} days` });
  }
  const groupBy = (one.groupBy ?? 'day') as InsightsGroupBy;
  if (groupBy !== 'day' && groupBy !== 'week') problems.push({ field: 'groupBy', problem: 'must be day or week' });
  const format = one.format;
  if (format !== undefined && format !== 'csv' && format !== 'json') problems.push({ field: 'format', problem: 'must be csv or json' });
  const filters: InsightsFilters = {};
  for (const f of FILTER_PARAMS) {
    const v = one[f];
    if (v === undefined) continue;
    if (!isLabel(v)) problems.push({ field: f, problem: `must be 1 to ${LABEL_MAX} printable characters` });
    else filters[f] = v;
  }
  if (problems.length) return { ok: false, problems };
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return {
    ok: true,
    query: { from: iso(fromMs!), to: iso(toMs!), groupBy, filters },
    ...(format ? { format: format as 'csv' | 'json' } : {}),
  };
}
