/**
 * A tenant's opening hours (`tenants[].businessHours`): weekly intervals of local wall-clock time in an IANA
 * time zone, and local holidays. Pure: the caller passes the clock. Wall times are turned into instants
 * through Intl (the tz database Node ships), so a day with a DST change is handled by the zone's own rules:
 * an opening time that does not exist that day (spring forward) opens when the clock jumps past it; one that
 * exists twice (fall back) opens at its first occurrence.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `[["09:00","17:00"], …]`: start inclusive, end exclusive; `24:00` ends at midnight. */
export type DayHours = ReadonlyArray<readonly [string, string]>;

export interface BusinessHours {
  timeZone: string;
  weekly: Partial<Record<Weekday, DayHours>>;
  /** Local dates (YYYY-MM-DD) the team is away all day. */
  holidays?: readonly string[];
}

export interface OpenState {
  open: boolean;
  /** When closed: the next opening instant (ms), if one falls within the next 400 days. */
  nextOpenAt?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (the tz database name, e.g. `Europe/Berlin`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
}

/** The local wall clock at an instant. */
function wallAt(ms: number, timeZone: string): Wall & { s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

/** Zone offset (ms, local minus UTC) at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallAt(ms, timeZone);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const DAY_MS = 86_400_000;

// The same opening times are looked up on every request: remembered (a zone's rules do not change while running).
const instants = new Map<string, number>();

/** The instant a local wall-clock time occurs (see the file comment for the gap and the overlap). */
export function instantOf(w: Wall, timeZone: string): number {
  const key = `${timeZone} ${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}`;
  let t = instants.get(key);
  if (t === undefined) {
    if (instants.size >= 8192) instants.clear();
    t = computeInstant(w, timeZone);
    instants.set(key, t);
  }
  return t;
}

function computeInstant(w: Wall, timeZone: string): number {
  const naive = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi);
  // Offsets a day either side: DST transitions are months apart, so these are the two the day can have.
  const before = offsetAt(naive - DAY_MS, timeZone);
  const after = offsetAt(naive + DAY_MS, timeZone);
  const candidates = [...new Set([naive - before, naive - after])].sort((a, b) => a - b);
  for (const t of candidates) {
    const back = wallAt(t, timeZone);
    if (back.y === w.y && back.mo === w.mo && back.d === w.d && back.h === w.h && back.mi === w.mi) return t;
  }
  // In the spring-forward gap: the wall time read with the earlier offset lands just past the jump.
  return naive - before;
}

const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight for `HH:MM` (`24:00` → 1440), or undefined. */
export function minutesOf(hhmm: string): number | undefined {
  const m = HHMM_RE.exec(hhmm);
  if (!m) return undefined;
  return m[1] === undefined ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

/** A real calendar date `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Opening intervals of one local date as instants, holidays and closed days giving none. */
function intervalsOn(hours: BusinessHours, y: number, mo: number, d: number): Array<[number, number]> {
  const date = `${y}-${pad(mo)}-${pad(d)}`;
  if (hours.holidays?.includes(date)) return [];
  const weekday = WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]!;
  const out: Array<[number, number]> = [];
  for (const [from, to] of hours.weekly[weekday] ?? []) {
    const a = minutesOf(from);
    const b = minutesOf(to);
    if (a === undefined || b === undefined || b <= a) continue;
    const start = instantOf({ y, mo, d, h: Math.floor(a / 60), mi: a % 60 }, hours.timeZone);
    // 24:00 is the next day's midnight (which itself may be shifted by DST).
    const next = new Date(Date.UTC(y, mo - 1, d + (b === 1440 ? 1 : 0)));
    const end = instantOf({ y: next.getUTCFullYear(), mo: next.getUTCMonth() + 1, d: next.getUTCDate(), h: Math.floor((b % 1440) / 60), mi: b % 60 }, hours.timeZone);
    if (end > start) out.push([start, end]);
  }
  return out.sort((p, q) => p[0] - q[0]);
}

/** Whether the team is in at `nowMs`, and if not, when it is next. */
export function openState(hours: BusinessHours, nowMs: number): OpenState {
  const today = wallAt(nowMs, hours.timeZone);
  // Yesterday too: its intervals are what matter just after local midnight on a DST night.
  for (let k = -1; k <= 400; k++) {
    const day = new Date(Date.UTC(today.y, today.mo - 1, today.d + k));
    for (const [start, end] of intervalsOn(hours, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate())) {
      if (start <= nowMs && nowMs < end) return { open: true };
      if (start > nowMs) return { open: false, nextOpenAt: start };
    }
  }
  return { open: false };
}
