/**
 * Dates, buckets and percentiles for insights (issue 11). Buckets are UTC: a day is YYYY-MM-DD, a week is named
 * by its Monday (ISO 8601 weeks start on Monday). Percentiles use the nearest-rank method (the smallest value
 * with at least p of the data at or below it), so every figure is one of the measured durations.
 */
import type { InsightsGroupBy, Quantiles } from '../types/insights.ts';

export const DAY_MS = 86_400_000;
/** The longest range one insights query may cover (inclusive days). */
export const MAX_RANGE_DAYS = 366;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of a YYYY-MM-DD UTC date, or undefined when it is not a real calendar date. */
export function parseDay(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === s ? ms : undefined;
}

export function dayString(dayIndex: number): string {
  return new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
}

/** The day index (days since 1970-01-01) of the Monday of the ISO week `dayIndex` falls in. */
export function mondayOf(dayIndex: number): number {
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  return dayIndex - (((dayIndex + 3) % 7) + 7) % 7;
}

export function bucketOf(dayIndex: number, groupBy: InsightsGroupBy): string {
  return dayString(groupBy === 'week' ? mondayOf(dayIndex) : dayIndex);
}

/** Every bucket from `fromDay` to `toDay` (day indexes, inclusive), in order. */
export function bucketsBetween(fromDay: number, toDay: number, groupBy: InsightsGroupBy): string[] {
  const out: string[] = [];
  const step = groupBy === 'week' ? 7 : 1;
  for (let d = groupBy === 'week' ? mondayOf(fromDay) : fromDay; d <= toDay; d += step) out.push(dayString(d));
  return out;
}

/** ISO week `2026-W48` -> its Monday's and Sunday's dates; undefined when malformed or out of range. */
export function isoWeekRange(week: string): { from: string; to: string } | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const w = Number(m[2]);
  // Week 1 holds 4 January.
  const jan4 = Math.floor(Date.UTC(year, 0, 4) / DAY_MS);
  const monday = mondayOf(jan4) + (w - 1) * 7;
  const lastWeek = mondayOf(Math.floor(Date.UTC(year, 11, 28) / DAY_MS));
  if (w < 1 || monday > lastWeek) return undefined;
  return { from: dayString(monday), to: dayString(monday + 6) };
}

/** Nearest-rank p50 and p90 of durations in milliseconds, as seconds. */
export function quantiles(durationsMs: number[]): Quantiles {
  const n = durationsMs.length;
  if (n === 0) return { count: 0, p50Seconds: null, p90Seconds: null };
  const sorted = Float64Array.from(durationsMs).sort();
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil(p * n) - 1)]! / 1000;
  return { count: n, p50Seconds: rank(0.5), p90Seconds: rank(0.9) };
}
