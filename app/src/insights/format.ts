/** Display helpers for the dashboard (English; the figures' words live here so a later i18n pass finds them). */

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.123 → "12.3%"; null → "—" (nothing to divide by: never shown as 0%). */
export function fmtRate(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  const pct = r * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** Seconds → "45s", "4m 10s", "2h 5m", "3d 4h"; null → "—". */
export function fmtDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${t % 60 ? ` ${t % 60}s` : ''}`;
  if (t < 86_400) return `${Math.floor(t / 3600)}h${Math.floor((t % 3600) / 60) ? ` ${Math.floor((t % 3600) / 60)}m` : ''}`;
  return `${Math.floor(t / 86_400)}d${Math.floor((t % 86_400) / 3600) ? ` ${Math.floor((t % 86_400) / 3600)}h` : ''}`;
}

/** Machine keys (`asked_for_human`, `billing`) as words. */
export function humanize(key: string): string {
  const k = key.replace(/[_-]+/g, ' ').trim();
  return k ? k.charAt(0).toUpperCase() + k.slice(1) : '(none)';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-03" → "3 Nov" (UTC dates, as the API gives them). */
export function fmtDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]}`;
}

export function fmtBucket(bucket: string, groupBy: 'day' | 'week'): string {
  return groupBy === 'week' ? `week of ${fmtDay(bucket)}` : fmtDay(bucket);
}
