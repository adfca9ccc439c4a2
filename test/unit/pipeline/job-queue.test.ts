/**
 * The worker and a real store together, on SQLite and (when BATON_DATABASE_URL is set) on Postgres: analysis tries
 * end in a dead letter while other handoffs are delivered. The store's own claim, budget, deferral and analysis-try
 * cases are in the contract suite (test/contract/store-contract.ts), on every store.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openSqliteStore, type Store } from '../../../server/store/store.ts';
import { openPostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { AccountRateLimiter } from '../../../server/pipeline/rate-limiter.ts';
import { Worker } from '../../../server/pipeline/worker.ts';
import type { Config, TenantConfig } from '../../../server/config.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';
import { testEvent } from '../../helpers/handoff-event.ts';
import { freshDatabase, postgresUrl } from '../../helpers/postgres.ts';

const event = (tenantId: string, id: string): HandoffEvent => testEvent(tenantId, id);

type Opened = { store: Store; cleanup(): Promise<void> };
const stores: Array<[string, (clock: () => number) => Promise<Opened>]> = [
  ['SQLite', async (clock) => {
    const store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-jq-')), 'baton.sqlite'), clock);
    return { store, cleanup: () => store.close() };
  }],
];
if (postgresUrl())
  stores.push(['Postgres', async (clock) => {
    const db = await freshDatabase('baton_worker');
    const store = await openPostgresStore(db.url, { clock, poolMax: 4 });
    return { store, cleanup: async () => { await store.close(); await db.drop(); } };
  }]);

describe.each(stores)('analysis tries with the worker on %s', (_name, open) => {
  it('a job whose analysis rejects 3 times is dead-lettered with the last reason; others are delivered', async () => {
    let now = 1_000;
    const { store, cleanup } = await open(() => now);
    const bad = (await store.accept(event('acme', 'bad'))).handoffId;
    const good = (await store.accept(event('globex', 'good'))).handoffId;
    const config = { worker: { concurrency: 2, pollMs: 10, leaseMs: 60_000, retry: { maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 10 } } } as unknown as Config;
    const tenants = new Map(['acme', 'globex'].map((t) => [t, { id: t, analysis: {} } as unknown as TenantConfig]));
    const worker = new Worker({
      config,
      store,
      logger: pino({ level: 'silent' }),
      tenants,
      limiter: new AccountRateLimiter(() => 100, () => now),
      writerFor: () => ({ helpdesk: 'zendesk', write: async () => ({ ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'created' as const }) }),
      // Like the pool when its worker thread crashes.
      analyze: async (e) => (e.id === 'generic:bad' ? Promise.reject(new Error('worker thread exited with code 1')) : ({ transcript: [] }) as never),
      clock: () => now,
      random: () => 0,
    });
    for (let round = 0; round < 6; round++) {
      await worker.claimRound();
      await worker.idle();
      now += 1_000;
    }
    expect((await store.getJob(good))?.state).toBe('done');
    expect(await store.getJob(bad)).toMatchObject({ state: 'dead', lastError: 'analysis failed 3 times: worker thread exited with code 1' });
    expect(await store.getReport(good)).toMatchObject({ ref: { helpdesk: 'zendesk', id: '1' } });
    await cleanup();
  });
});
