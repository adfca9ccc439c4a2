/**
 * Business hours on a scripted clock (server/evaluate/business-hours.ts): open and closed in the tenant's zone
 * when UTC is on another date, a holiday, both DST transitions (Europe/Berlin, America/New_York), 24:00 and
 * the next opening across a weekend.
 */
import { describe, expect, it } from 'vitest';
import { instantOf, isIsoDate, isValidTimeZone, openState, type BusinessHours } from '../../../server/evaluate/business-hours.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

const WEEKDAYS_9_17 = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } as const;

describe('openState across a time-zone boundary', () => {
  // Tokyo is UTC+9 all year: Monday 09:00 in Tokyo is Sunday 24:00 UTC.
  const tokyo: BusinessHours = { timeZone: 'Asia/Tokyo', weekly: WEEKDAYS_9_17 };

  it('is open on Monday morning in Tokyo while it is still Sunday in UTC', () => {
    expect(openState(tokyo, at('2026-11-30T00:30:00Z'))).toEqual({ open: true });
  });

  it('is closed just before, and opens at Monday 09:00 Tokyo = Sunday 24:00 UTC', () => {
    const s = openState(tokyo, at('2026-11-29T23:59:00Z'));
    expect(s.open).toBe(false);
    expect(iso(s.nextOpenAt)).toBe('2026-11-30T00:00:00.000Z');
  });

  it('closes at 17:00 Tokyo (end exclusive) and next opens on Tuesday', () => {
    const s = openState(tokyo, at('2026-11-30T08:00:00Z'));
    expect(s).toEqual({ open: false, nextOpenAt: at('2026-12-01T00:00:00Z') });
    expect(openState(tokyo, at('2026-11-30T07:59:59Z')).open).toBe(true);
  });

  it('Los Angeles on Friday evening is Saturday in UTC: open, then next open on Monday', () => {
    const la: BusinessHours = { timeZone: 'America/Los_Angeles', weekly: WEEKDAYS_9_17 };
    // Friday 4 Dec 2026 16:30 PST = Saturday 00:30 UTC.
    expect(openState(la, at('2026-12-05T00:30:00Z')).open).toBe(true);
    // Friday 17:30 PST: closed; Monday 7 Dec 09:00 PST = 17:00 UTC.
    expect(openState(la, at('2026-12-05T01:30:00Z'))).toEqual({ open: false, nextOpenAt: at('2026-12-07T17:00:00Z') });
  });
});

describe('holidays', () => {
  const berlin: BusinessHours = { timeZone: 'Europe/Berlin', weekly: WEEKDAYS_9_17, holidays: ['2026-12-24', '2026-12-25'] };

  it('is closed all day on a holiday that is a weekday, and next opens after it', () => {
    // Thursday 24 Dec 2026, 11:00 CET.
    const s = openState(berlin, at('2026-12-24T10:00:00Z'));
    expect(s.open).toBe(false);
    // Friday 25th is a holiday too; Monday 28 Dec 09:00 CET = 08:00 UTC.
    expect(iso(s.nextOpenAt)).toBe('2026-12-28T08:00:00.000Z');
  });

  it('the holiday is a local date: 23:30 UTC on the 23rd is already the 24th in Berlin', () => {
    const s = openState({ ...berlin, weekly: { ...WEEKDAYS_9_17, wed: [['00:00', '24:00']], thu: [['00:00', '24:00']] } }, at('2026-12-23T23:30:00Z'));
    expect(s.open).toBe(false);
  });

  it('the day before the holiday is a normal day', () => {
    expect(openState(berlin, at('2026-12-23T10:00:00Z')).open).toBe(true);
  });
});

describe('daylight saving time', () => {
  const berlin: BusinessHours = { timeZone: 'Europe/Berlin', weekly: { sun: [['09:00', '17:00']], mon: [['09:00', '17:00']] } };

  it('opens at 09:00 local on the spring-forward Sunday (29 Mar 2026: 07:00 UTC, not 08:00)', () => {
    const s = openState(berlin, at('2026-03-29T06:00:00Z'));
    expect(s).toEqual({ open: false, nextOpenAt: at('2026-03-29T07:00:00Z') });
  });

  it('the week before (winter time) the same 09:00 is 08:00 UTC', () => {
    expect(openState(berlin, at('2026-03-22T06:00:00Z')).nextOpenAt).toBe(at('2026-03-22T08:00:00Z'));
  });

  it('on the fall-back Sunday (25 Oct 2026) 09:00 local is 08:00 UTC and 17:00 is 16:00 UTC', () => {
    expect(openState(berlin, at('2026-10-25T07:59:00Z')).open).toBe(false);
    expect(openState(berlin, at('2026-10-25T08:00:00Z')).open).toBe(true);
    expect(openState(berlin, at('2026-10-25T15:59:00Z')).open).toBe(true);
    expect(openState(berlin, at('2026-10-25T16:00:00Z')).open).toBe(false);
  });

  it('a night shift across the spring-forward gap: 00:00–24:00 on that Sunday is 23 hours long', () => {
    const allDay: BusinessHours = { timeZone: 'Europe/Berlin', weekly: { sun: [['00:00', '24:00']] } };
    expect(openState(allDay, at('2026-03-28T22:59:00Z')).open).toBe(false);
    expect(openState(allDay, at('2026-03-28T23:00:00Z')).open).toBe(true);
    expect(openState(allDay, at('2026-03-29T21:59:00Z')).open).toBe(true);
    expect(openState(allDay, at('2026-03-29T22:00:00Z')).open).toBe(false);
  });

  it('a wall time inside the gap (02:30 on 29 Mar in Berlin) opens when the clock jumps past it', () => {
    // 02:00 CET → 03:00 CEST at 01:00 UTC; 02:30 does not exist and is read as 03:30 CEST = 01:30 UTC.
    expect(instantOf({ y: 2026, mo: 3, d: 29, h: 2, mi: 30 }, 'Europe/Berlin')).toBe(at('2026-03-29T01:30:00Z'));
  });

  it('a wall time that happens twice (02:30 on 25 Oct in Berlin) is its first occurrence', () => {
    expect(instantOf({ y: 2026, mo: 10, d: 25, h: 2, mi: 30 }, 'Europe/Berlin')).toBe(at('2026-10-25T00:30:00Z'));
  });

  it('New York (8 Mar 2026, spring forward): Monday 09:00 EDT is 13:00 UTC, the Friday before 14:00 UTC', () => {
    const ny: BusinessHours = { timeZone: 'America/New_York', weekly: WEEKDAYS_9_17 };
    expect(openState(ny, at('2026-03-07T12:00:00Z'))).toEqual({ open: false, nextOpenAt: at('2026-03-09T13:00:00Z') });
    expect(openState(ny, at('2026-03-06T13:59:00Z')).open).toBe(false);
    expect(openState(ny, at('2026-03-06T14:00:00Z')).open).toBe(true);
  });
});

describe('edges', () => {
  it('several intervals a day (lunch break)', () => {
    const h: BusinessHours = { timeZone: 'UTC', weekly: { mon: [['13:00', '17:00'], ['08:00', '12:00']] } };
    expect(openState(h, at('2026-11-30T12:30:00Z'))).toEqual({ open: false, nextOpenAt: at('2026-11-30T13:00:00Z') });
    expect(openState(h, at('2026-11-30T08:00:00Z')).open).toBe(true);
  });

  it('no hours at all: closed, no next opening', () => {
    expect(openState({ timeZone: 'UTC', weekly: {} }, at('2026-11-30T12:00:00Z'))).toEqual({ open: false });
  });

  it('validates zones and dates', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
  });
});
