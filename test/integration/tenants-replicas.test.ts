/**
 * Tenants at run time across replicas (issue 13): two Batons on one Postgres database (run when BATON_DATABASE_URL
 * is set). A tenant created through one replica's admin API is accepted by the other within its tenant poll;
 * removed or rotated on one, the other follows; the Postgres rows hold no secret in clear.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startBaton, type BatonInstance } from '../../server/start.ts';
import { postHandoff } from '../helpers/harness.ts';
import { describeIfPostgres, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';

const ADMIN = `admin_${randomBytes(12).toString('hex')}`;
const body = (id: string): string =>
  JSON.stringify({ id, conversation: { id: 'c1' }, customer: { email: 'c@example.com' }, messages: [{ role: 'customer', text: 'I need a human' }] });

async function until(fn: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeIfPostgres('tenants across two replicas on Postgres', () => {
  let db: FreshDatabase;
  const replicas: BatonInstance[] = [];
  const env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    db = await freshDatabase('baton_tenants_replicas');
    env.BATON_MASTER_KEY = randomBytes(32).toString('base64');
    process.env.BATON_MASTER_KEY = env.BATON_MASTER_KEY;
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), `baton-tenants-replica-${i}-`));
      const file = join(dir, 'baton.json');
      writeFileSync(file, JSON.stringify({ adminToken: ADMIN, tenants: [{ id: 'acme', webhookSecrets: ['whsec_acme_file_1'], zendesk: { subdomain: 'acme', email: 'a@acme.test', apiToken: 'tok_acme' } }] }));
      const config = loadConfig({ BATON_CONFIG: file, BATON_DATA_DIR: dir, PORT: '0', BATON_DATABASE_URL: db.url });
      replicas.push(await startBaton(config, { logger: createLogger('silent'), worker: false }));
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.close();
    await db?.drop();
  });

  const admin = (r: BatonInstance, path: string, init: RequestInit = {}) =>
    fetch(`${r.url}${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });

  it('create on one, accepted by the other; rotate and remove follow; no secret in the rows', async () => {
    const [a, b] = replicas as [BatonInstance, BatonInstance];
    expect(a.store.kind).toBe('postgres');
    const res = await admin(a, '/v1/admin/tenants', { method: 'POST', body: JSON.stringify({ id: 'initech', zendesk: { subdomain: 'initech', email: 'bot@initech.test', apiToken: 'tok_9_pg' } }) });
    expect(res.status).toBe(201);
    const { webhookSecret, appSecret } = (await res.json()) as { webhookSecret: string; appSecret: string };
    expect((await postHandoff(a.url, 'initech', body('evt_a_1'), { secret: webhookSecret })).status).toBe(202);
    await until(async () => (await postHandoff(b.url, 'initech', body('evt_b_1'), { secret: webhookSecret })).status === 202, 'replica B to accept the new tenant');

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const dump = JSON.stringify((await client.query('SELECT * FROM tenants')).rows);
      for (const secret of [webhookSecret, appSecret, 'tok_9_pg', 'bot@initech.test']) expect(dump).not.toContain(secret);
    } finally {
      await client.end();
    }

    const rotated = await admin(b, '/v1/admin/tenants/initech/rotate-secret', { method: 'POST', body: JSON.stringify({ which: 'webhook' }) });
    const next = ((await rotated.json()) as { webhookSecret: string }).webhookSecret;
    expect((await postHandoff(b.url, 'initech', body('evt_b_2'), { secret: webhookSecret })).status).toBe(401);
    await until(async () => (await postHandoff(a.url, 'initech', body('evt_a_2'), { secret: webhookSecret })).status === 401, 'replica A to drop the old secret');
    expect((await postHandoff(a.url, 'initech', body('evt_a_3'), { secret: next })).status).toBe(202);

    expect((await admin(b, '/v1/admin/tenants/initech', { method: 'DELETE' })).status).toBe(204);
    expect((await postHandoff(b.url, 'initech', body('evt_b_3'), { secret: next })).status).toBe(401);
    await until(async () => (await postHandoff(a.url, 'initech', body('evt_a_4'), { secret: next })).status === 401, 'replica A to refuse the removed tenant');
    // The file tenant is there on both, read-only on both.
    expect((await admin(a, '/v1/admin/tenants/acme', { method: 'DELETE' })).status).toBe(409);
  });
});
