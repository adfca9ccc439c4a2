/** BATON_DATABASE_URL and BATON_DATABASE_POOL_MAX in the loaded config (issue 10). */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.ts';

describe('database settings', () => {
  it('unset: SQLite (no databaseUrl) with a pool size of 10 for when Postgres is chosen', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.databasePoolMax).toBe(10);
  });

  it('a postgres:// or postgresql:// URL selects Postgres; the pool size is configurable', () => {
    expect(loadConfig({ BATON_DATABASE_URL: 'postgres://baton:pw@db.internal:5433/baton' }).databaseUrl).toBe('postgres://baton:pw@db.internal:5433/baton');
    expect(loadConfig({ BATON_DATABASE_URL: ' postgresql://db/baton ', BATON_DATABASE_POOL_MAX: '25' })).toMatchObject({ databaseUrl: 'postgresql://db/baton', databasePoolMax: 25 });
  });

  it('another scheme or a bad pool size names the key and never echoes the URL (it may hold a password)', () => {
    let err: unknown;
    try {
      loadConfig({ BATON_DATABASE_URL: 'mysql://root:hunter2@db/baton' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/BATON_DATABASE_URL/);
    expect((err as Error).message).not.toContain('hunter2');
    expect(() => loadConfig({ BATON_DATABASE_POOL_MAX: '0' })).toThrow(/BATON_DATABASE_POOL_MAX/);
  });
});
