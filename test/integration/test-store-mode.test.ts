/**
 * The suite's store switch (test/helpers/test-store.ts) does what the Postgres pass relies on: with
 * BATON_TEST_STORE=postgres a harness Baton really runs on Postgres, in a database of its own that is gone after
 * close; `store: 'sqlite'` keeps a test on SQLite; without the variable everything stays on SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { pgMode, testStoreKind } from '../helpers/test-store.ts';
import { postgresUrl } from '../helpers/postgres.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function databaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: postgresUrl() });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await c.end();
  }
}

describe('the test store switch', () => {
  it(`starts harness Batons on the run's store (${testStoreKind()})`, async () => {
    expect(pgMode).toBe(process.env.BATON_TEST_STORE === 'postgres');
    h = await startHarness({ worker: false });
    expect(h.baton.store.kind).toBe(testStoreKind());
    if (!pgMode) return;
    const store = h.baton.store as typeof h.baton.store & { pool: pg.Pool };
    const name = ((await store.pool.query('SELECT current_database() AS name')).rows[0] as { name: string }).name;
    expect(await databaseExists(name)).toBe(true);
    await h.close();
    h = undefined;
    expect(await databaseExists(name)).toBe(false);
  });

  it("keeps a harness that asks for SQLite on SQLite, whatever the run's store", async () => {
    h = await startHarness({ worker: false, store: 'sqlite' });
    expect(h.baton.store.kind).toBe('sqlite');
  });
});
