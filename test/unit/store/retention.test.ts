/**
 * The retention schedule: hourly (and soon after start-up), cut-off = clock − retentionDays, from the config.
 * Purging on a real store, on every store, is in the contract suite (test/contract/store-contract.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS, RETENTION_INTERVAL_MS, startRetention } from '../../../server/store/retention.ts';
import { emptyCounts } from '../../../server/store/deletions.ts';
import { ConfigError, loadConfig } from '../../../server/config.ts';

const silent = { info: () => {}, error: () => {} };

afterEach(() => {
  vi.useRealTimers();
});

describe('retention schedule', () => {
  it('purges every hour with the cut-off retentionDays before the injected clock', () => {
    vi.useFakeTimers();
    const now = Date.parse('2026-06-01T00:00:00Z');
    const purgeBefore = vi.fn(async () => emptyCounts());
    const r = startRetention({ store: { purgeBefore }, retentionDays: 90, logger: silent, clock: () => now });
    vi.advanceTimersByTime(RETENTION_INTERVAL_MS);
    // Once soon after start-up, once at the hour.
    expect(purgeBefore).toHaveBeenCalledTimes(2);
    expect(purgeBefore).toHaveBeenLastCalledWith(now - 90 * DAY_MS);
    r.stop();
    vi.advanceTimersByTime(10 * RETENTION_INTERVAL_MS);
    expect(purgeBefore).toHaveBeenCalledTimes(2);
  });

  it('a failing purge is logged and retried next hour, never thrown into the timer', async () => {
    const error = vi.fn();
    const r = startRetention({ store: { purgeBefore: async () => { throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' }); } }, retentionDays: 1, logger: { info: () => {}, error } });
    expect(await r.runOnce()).toBeUndefined();
    expect(error).toHaveBeenCalledOnce();
    r.stop();
  });

  it('retentionDays: 90 by default, BATON_RETENTION_DAYS overrides, a bad value names the key', () => {
    expect(loadConfig({}).retentionDays).toBe(90);
    expect(loadConfig({ BATON_RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(() => loadConfig({ BATON_RETENTION_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ BATON_RETENTION_DAYS: 'soon' })).toThrow(/BATON_RETENTION_DAYS/);
  });
});
