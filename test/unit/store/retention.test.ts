/** The retention schedule: hourly (and soon after start-up), cut-off = clock − retentionDays, from the config. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, RETENTION_INTERVAL_MS, startRetention } from '../../../server/store/retention.ts';
import { openSqliteStore } from '../../../server/store/store.ts';
import { emptyCounts } from '../../../server/store/deletions.ts';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import { normalizeGenericHandoff } from '../../../server/bots/generic/normalize.ts';

const silent = { info: () => {}, error: () => {} };

afterEach(() => {
  vi.useRealTimers();
});

describe('retention schedule', () => {
  it('purges every hour with the cut-off retentionDays before the injected clock', () => {
    vi.useFakeTimers();
    const now = Date.parse('2026-06-01T00:00:00Z');
    const purgeBefore = vi.fn(() => emptyCounts());
    const r = startRetention({ store: { purgeBefore }, retentionDays: 90, logger: silent, clock: () => now });
    vi.advanceTimersByTime(RETENTION_INTERVAL_MS);
    // Once soon after start-up, once at the hour.
    expect(purgeBefore).toHaveBeenCalledTimes(2);
    expect(purgeBefore).toHaveBeenLastCalledWith(now - 90 * DAY_MS);
    r.stop();
    vi.advanceTimersByTime(10 * RETENTION_INTERVAL_MS);
    expect(purgeBefore).toHaveBeenCalledTimes(2);
  });

  it('on a real store: a handoff finished 91 days ago goes, one from 89 days ago stays', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-ret-')), 'baton.sqlite'), () => now);
    const deliver = (id: string) => {
      const { handoffId } = store.accept(normalizeGenericHandoff({ id, conversation: { id: 'c' }, messages: [{ role: 'customer', text: 'hi' }] }, 'acme', new Date(now).toISOString()));
      store.claim(now, 5000, 1);
      store.complete({ handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'updated' }, { version: 1 } as never);
      return handoffId;
    };
    const start = now;
    const old = deliver('e_old');
    now = start + 2 * DAY_MS;
    const recent = deliver('e_recent');
    now = start + 91 * DAY_MS;
    const r = startRetention({ store, retentionDays: 90, logger: silent, clock: () => now });
    expect(r.runOnce()).toMatchObject({ events: 1, jobs: 1, reports: 1, deliveries: 1 });
    r.stop();
    expect(store.getJob(old)).toBeUndefined();
    expect(store.getJob(recent)?.state).toBe('done');
    await store.close();
  });

  it('a failing purge is logged and retried next hour, never thrown into the timer', () => {
    const error = vi.fn();
    const r = startRetention({ store: { purgeBefore: () => { throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' }); } }, retentionDays: 1, logger: { info: () => {}, error } });
    expect(r.runOnce()).toBeUndefined();
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
