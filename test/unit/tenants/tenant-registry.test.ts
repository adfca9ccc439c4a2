import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../server/config.ts';
import { openTenantRegistry } from '../../../server/tenants/open-tenant-registry.ts';
import { openSqliteTenantStore } from '../../../server/tenants/sqlite-tenant-store.ts';
import { ensurePostgresTenantTables, openPostgresTenantStore } from '../../../server/tenants/postgres-tenant-store.ts';
import { TenantError, type TenantChange, type TenantRegistry } from '../../../server/tenants/tenant-registry.ts';
import type { TenantStore } from '../../../server/tenants/tenant-store.ts';
import { reencryptTenants } from '../../../server/tenants/reencrypt-tenants.ts';
import { createSecretBox, parseMasterKey } from '../../../server/tenants/secret-box.ts';
import { filesContaining } from '../../helpers/raw-store-bytes.ts';
import { tenantsBySubdomain } from '../../../server/helpdesks/zendesk/sidebar/sidebar-auth.ts';
import { describeIfPostgres, freshDatabase, type FreshDatabase } from '../../helpers/postgres.ts';

const MASTER = randomBytes(32).toString('base64');

function fileConfig(dir: string): Readonly<Config> {
  const file = join(dir, 'baton.json');
  writeFileSync(
    file,
    JSON.stringify({
      tenants: [{ id: 'acme', webhookSecrets: ['whsec_file_acme'], zendesk: { subdomain: 'acme', email: 'bot@acme.test', apiToken: 'tok_acme' } }],
    }),
  );
  return loadConfig({ BATON_CONFIG: file, BATON_DATA_DIR: dir });
}

const initech = (apiToken = 'tok_9_secret_initech') => ({
  id: 'initech',
  zendesk: { subdomain: 'initech', baseUrl: 'http://127.0.0.1:9100', email: 'bot@initech.test', apiToken },
});

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof TenantError ? err.kind : `other: ${(err as Error).message}`;
  }
}

/** The next change a registry reports that matches. */
function nextChange(r: TenantRegistry, match: (c: TenantChange) => boolean): Promise<TenantChange> {
  return new Promise((resolve) => {
    const off = r.onChange((c) => {
      if (match(c)) {
        off();
        resolve(c);
      }
    });
  });
}

describe('tenant registry on SQLite', () => {
  const opened: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const o of opened.splice(0)) o.close();
  });

  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-tenants-'));
    const dbFile = join(dir, 'baton.sqlite');
    const config = fileConfig(dir);
    const connect = (): TenantStore => {
      const db = new Database(dbFile);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      opened.push({ close: () => db.close() });
      return openSqliteTenantStore(db);
    };
    const open = async (pollMs = 0, env: NodeJS.ProcessEnv = { BATON_MASTER_KEY: MASTER }) => {
      const r = await openTenantRegistry({ config, store: { tenantStore: connect() }, env, pollMs });
      opened.unshift(r);
      return r;
    };
    return { dir, dbFile, config, open, connect };
  };

  it('creates a tenant with strong secrets, serves it from the cache at once, and keeps no secret in clear in the file', async () => {
    const { dbFile, open } = setup();
    const r = await open();
    expect(r.get('initech')).toBeUndefined();
    const { tenant, secrets } = await r.create(initech());
    expect(secrets.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(secrets.appSecret).toMatch(/^appsec_[A-Za-z0-9_-]{43}$/);
    expect(tenant.webhookSecrets).toEqual([secrets.webhookSecret]);
    expect(r.get('initech')?.helpdesks.zendesk).toMatchObject({ subdomain: 'initech', apiToken: 'tok_9_secret_initech' });
    expect(r.has('initech') && r.has('acme')).toBe(true);
    expect([...r.keys()]).toEqual(['acme', 'initech']);
    const summary = r.summary('initech');
    expect(summary).toMatchObject({ source: 'store', helpdesks: ['zendesk'], webhookSecretCount: 1, hasAppSecret: true });
    expect(JSON.stringify(r.list())).not.toMatch(/tok_9|whsec_|appsec_/);
    expect((summary?.sections.zendesk as Record<string, unknown>).apiToken).toBe('(set)');
    for (const needle of [secrets.webhookSecret, secrets.appSecret, 'tok_9_secret_initech', 'bot@initech.test']) expect(filesContaining(dbFile, needle)).toEqual([]);
  });

  it('a second registry on the same database sees creates, updates and removes after a refresh, and by polling', async () => {
    const { open } = setup();
    const a = await open();
    const b = await open(20);
    const seen = nextChange(b, (c) => c.type === 'created' && c.tenantId === 'initech');
    const { secrets } = await a.create(initech());
    await seen; // by b's own poll, no refresh called
    expect(b.get('initech')?.webhookSecrets).toEqual([secrets.webhookSecret]);

    const updated = nextChange(b, (c) => c.type === 'updated');
    await a.update('initech', { knowledgeBaseHosts: ['help.initech.test'] });
    await updated;
    expect(b.get('initech')?.knowledgeBaseHosts).toEqual(['help.initech.test']);

    const removed = nextChange(b, (c) => c.type === 'removed');
    expect(await a.remove('initech')).toBe(true);
    expect(a.get('initech')).toBeUndefined();
    await removed;
    expect(b.get('initech')).toBeUndefined();
    expect(await a.remove('initech')).toBe(false);
  });

  it('derived lookups (the sidebar’s by-subdomain map) follow tenants added and removed at run time', async () => {
    const { open } = setup();
    const r = await open();
    const bySubdomain = tenantsBySubdomain(r);
    // acme has no appSecret in this config: it cannot sign in to the sidebar.
    expect([...bySubdomain.keys()]).toEqual([]);
    await r.create(initech());
    expect(bySubdomain.get('initech')?.id).toBe('initech');
    await r.update('initech', { zendesk: { subdomain: 'initech-eu', email: 'bot@initech.test', apiToken: 't' } });
    expect(bySubdomain.has('initech')).toBe(false);
    expect(bySubdomain.get('initech-eu')?.id).toBe('initech');
    await r.remove('initech');
    expect(bySubdomain.size).toBe(0);
  });

  it('file tenants win and are read-only', async () => {
    const { open } = setup();
    const r = await open();
    expect(r.source('acme')).toBe('file');
    expect(await kindOf(r.create({ id: 'acme', zendesk: { subdomain: 'acme2', email: 'a@b.c', apiToken: 't' } }))).toBe('exists');
    expect(await kindOf(r.update('acme', { knowledgeBaseHosts: [] }))).toBe('read_only');
    expect(await kindOf(r.remove('acme'))).toBe('read_only');
    expect(await kindOf(r.rotateSecret('acme', 'webhook'))).toBe('read_only');
    expect(r.get('acme')?.webhookSecrets).toEqual(['whsec_file_acme']);
  });

  it('a file tenant declared later wins over the stored one with the same id (and comes back when the file drops it)', async () => {
    const { dir, open } = setup();
    const stored = await open();
    await stored.create(initech());
    const file = join(dir, 'later.json');
    writeFileSync(file, JSON.stringify({ tenants: [{ id: 'initech', webhookSecrets: ['whsec_file_initech'], zendesk: { subdomain: 'initech', email: 'f@initech.test', apiToken: 'tok_file' } }] }));
    const db = new Database(join(dir, 'baton.sqlite'));
    opened.push({ close: () => db.close() });
    const withFile = await openTenantRegistry({
      config: loadConfig({ BATON_CONFIG: file, BATON_DATA_DIR: dir }),
      store: { tenantStore: openSqliteTenantStore(db) },
      env: { BATON_MASTER_KEY: MASTER },
      pollMs: 0,
    });
    opened.unshift(withFile);
    expect(withFile.source('initech')).toBe('file');
    expect(withFile.get('initech')?.webhookSecrets).toEqual(['whsec_file_initech']);
    expect(await kindOf(withFile.remove('initech'))).toBe('read_only');
    expect(stored.get('initech')?.webhookSecrets[0]).toMatch(/^whsec_/);
  });

  it('refuses bad ids, unknown sections, wrong types, given secrets and a subdomain another tenant connects', async () => {
    const { open } = setup();
    const r = await open();
    for (const id of ['', 'A', 'x', '-x', 'has space', 'a'.repeat(64), 'under_score', 7]) expect(await kindOf(r.create({ ...initech(), id: id as string }))).toBe('invalid');
    expect(await kindOf(r.create({ ...initech(), freshdesk: {} }))).toBe('invalid');
    expect(await kindOf(r.create({ id: 'initech', zendesk: { subdomain: 42 } }))).toBe('invalid');
    expect(await kindOf(r.create({ ...initech(), webhookSecrets: ['whsec_mine_mine'] }))).toBe('invalid');
    expect(await kindOf(r.create({ id: 'initech2', zendesk: { subdomain: 'acme', email: 'x@y.z', apiToken: 't' } }))).toBe('conflict');
    const err = await r.create({ ...initech(), zendesk: { subdomain: 'initech', email: 'x@y.z', apiToken: 't', nope: 1 } }).catch((e: unknown) => e as TenantError);
    expect(err).toBeInstanceOf(TenantError);
    expect((err as TenantError).details).toContainEqual({ field: 'zendesk.nope', problem: 'is not a known key' });
    expect([...r.keys()]).toEqual(['acme']);
    await r.create(initech());
    expect(await kindOf(r.create(initech()))).toBe('exists');
    expect(await kindOf(r.update('initech', { id: 'other' }))).toBe('invalid');
    expect(await kindOf(r.update('initech', { zendesk: { subdomain: 'BAD' } }))).toBe('invalid');
    expect(await kindOf(r.update('nobody', {}))).toBe('not_found');
    expect(await kindOf(r.update('initech', JSON.parse('{"__proto__":{"webhookSecrets":["x"]}}') as Record<string, unknown>))).toBe('invalid');
    expect(await kindOf(r.update('initech', { typo: 1 }))).toBe('invalid');
    expect(Object.getPrototypeOf(r.get('initech'))).toBe(Object.prototype);
  });

  it('rotates secrets: the old one stops at once, or stays beside the new one when asked', async () => {
    const { open } = setup();
    const r = await open();
    const { secrets } = await r.create(initech());
    const next = await r.rotateSecret('initech', 'webhook');
    expect(r.get('initech')?.webhookSecrets).toEqual([next]);
    const third = await r.rotateSecret('initech', 'webhook', { keepPrevious: true });
    expect(r.get('initech')?.webhookSecrets).toEqual([third, next]);
    expect(r.get('initech')?.webhookSecrets).not.toContain(secrets.webhookSecret);
    const app = await r.rotateSecret('initech', 'app');
    expect(r.get('initech')?.appSecret).toBe(app);
  });

  it('marks a helpdesk disconnected (file tenants too) and connectHelpdesk clears it', async () => {
    const { open } = setup();
    const a = await open();
    const b = await open();
    await a.create(initech());
    await a.markDisconnected('acme', 'zendesk', 'Zendesk answered 401 to the API token');
    await a.markDisconnected('initech', 'zendesk', 'OAuth token revoked');
    expect(a.isDisconnected('initech', 'zendesk')).toBe(true);
    expect(a.disconnection('acme', 'zendesk')?.reason).toMatch(/401/);
    const again: TenantChange[] = [];
    const off = a.onChange((c) => again.push(c));
    await a.markDisconnected('acme', 'zendesk', 'a later 401');
    off();
    expect(again).toEqual([]);
    expect(a.disconnection('acme', 'zendesk')?.reason).toMatch(/API token/);
    const changes: TenantChange[] = [];
    b.onChange((c) => changes.push(c));
    await b.refresh();
    expect(b.isDisconnected('acme', 'zendesk') && b.isDisconnected('initech', 'zendesk')).toBe(true);
    expect(changes.filter((c) => c.type === 'disconnected').map((c) => c.tenantId).sort()).toEqual(['acme', 'initech']);
    expect(await kindOf(a.markDisconnected('initech', 'intercom', 'x'))).toBe('not_found');
    await a.connectHelpdesk('initech', 'zendesk', initech('tok_10_new').zendesk);
    expect(a.isDisconnected('initech', 'zendesk')).toBe(false);
    expect(a.get('initech')?.helpdesks.zendesk).toMatchObject({ apiToken: 'tok_10_new' });
    await b.refresh();
    expect(b.isDisconnected('initech', 'zendesk')).toBe(false);
    expect(changes.some((c) => c.type === 'reconnected' && c.tenantId === 'initech')).toBe(true);
    expect(await kindOf(a.connectHelpdesk('initech', 'freshdesk', {}))).toBe('invalid');
  });

  it('without BATON_MASTER_KEY in production: nothing is stored, the error says why; stored tenants need their key to start; key rotation', async () => {
    const { open, connect } = setup();
    const none = await open(0, {});
    expect(await kindOf(none.create(initech()))).toBe('no_master_key');
    expect(none.get('initech')).toBeUndefined();
    const keyed = await open();
    await keyed.create(initech());
    await expect(open(0, {})).rejects.toThrow(/BATON_MASTER_KEY is not set/);
    // Rotation: the new key with the old as previous still reads them; reencrypt moves them to the new key.
    const next = randomBytes(32).toString('hex');
    const rotated = await open(0, { BATON_MASTER_KEY: next, BATON_MASTER_KEY_PREVIOUS: MASTER });
    expect(rotated.get('initech')?.helpdesks.zendesk).toBeTruthy();
    const box = createSecretBox({ current: parseMasterKey(next, 'new'), previous: parseMasterKey(MASTER, 'old') });
    expect(await reencryptTenants(connect(), box)).toMatchObject({ resealed: ['initech'], current: 0, failed: [] });
    expect(await reencryptTenants(connect(), box)).toMatchObject({ resealed: [], current: 1 });
    const newOnly = await open(0, { BATON_MASTER_KEY: next });
    expect(newOnly.get('initech')?.helpdesks.zendesk).toMatchObject({ apiToken: 'tok_9_secret_initech' });
    // The old key alone no longer opens it: the tenant is left out (logged), the others still serve.
    const oldOnly = await open(0, { BATON_MASTER_KEY: MASTER });
    expect(oldOnly.get('initech')).toBeUndefined();
    expect(oldOnly.get('acme')).toBeTruthy();
  });
});

describeIfPostgres('tenant registry on Postgres', () => {
  let db: FreshDatabase;
  const pools: pg.Pool[] = [];
  const registries: TenantRegistry[] = [];
  beforeAll(async () => {
    db = await freshDatabase('baton_tenants');
  });
  afterAll(async () => {
    for (const r of registries) r.close();
    for (const p of pools) await p.end();
    await db?.drop();
  });

  it('two registries (two replicas) see each other’s changes by polling the revision', async () => {
    const config = fileConfig(mkdtempSync(join(tmpdir(), 'baton-tenants-pg-')));
    const open = async (pollMs: number) => {
      const pool = new pg.Pool({ connectionString: db.url, max: 2 });
      pools.push(pool);
      await ensurePostgresTenantTables(pool);
      const r = await openTenantRegistry({ config, store: { tenantStore: openPostgresTenantStore(pool) }, env: { BATON_MASTER_KEY: MASTER }, pollMs });
      registries.push(r);
      return r;
    };
    const a = await open(0);
    const b = await open(20);
    const seen = nextChange(b, (c) => c.type === 'created');
    const { secrets } = await a.create(initech());
    await seen;
    expect(b.get('initech')?.webhookSecrets).toEqual([secrets.webhookSecret]);
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    const dump = JSON.stringify((await check.query('SELECT * FROM tenants')).rows);
    await check.end();
    expect(dump).not.toContain(secrets.webhookSecret);
    expect(dump).not.toContain('tok_9_secret_initech');
    const removed = nextChange(b, (c) => c.type === 'removed');
    await a.remove('initech');
    await removed;
    expect(b.get('initech')).toBeUndefined();
  });
});
