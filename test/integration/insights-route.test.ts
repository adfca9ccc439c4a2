/**
 * GET /v1/tenants/{tenantId}/insights (issue 11) on a real server over a seeded SQLite store: who may read it
 * (admin token; a Zendesk admin's signed session; not an agent, not another tenant, not a browser-written proxy
 * token), hostile parameters (400 JSON), and the CSV export (RFC 4180 quoting, formula-injection guard).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely in assertions */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config, type TenantConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { Store } from '../../server/store/store.ts';
import { openTestStore, testDatabase, type TestDatabase } from '../helpers/test-store.ts';
import { insightsRouter } from '../../server/outcomes/insights-routes.ts';
import { zendeskInsightsAuthorizer, type RoleAnswer } from '../../server/helpdesks/zendesk/sidebar/insights-auth.ts';
import { issueSession, randomSessionKey } from '../../server/helpdesks/zendesk/sidebar/sidebar-session.ts';
import { outcomesFor } from '../../server/outcomes/outcomes-service.ts';
import type { SeededOutcome } from '../../server/outcomes/outcome-store.ts';
import { csvCell } from '../../server/outcomes/insights-csv.ts';
import { listen } from '../helpers/listen.ts';

const ADMIN_TOKEN = 'admin_token_for_insights_tests_0123';
const APP_SECRET = { acme: 'acme_app_secret_0123456789', beta: 'beta_app_secret_0123456789' };
const sessionKey = randomSessionKey();
/** What Zendesk's Users API says each user is (the role check is asked of Zendesk, never of the browser). */
const ROLES: Record<string, RoleAnswer> = { '1001': 'admin', '1002': 'agent', '2001': 'admin', '1003': 'unavailable' };

let dir: string;
let store: Store;
let db: TestDatabase;
let server: Server;
let base: string;
let config: Readonly<Config>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-insights-route-'));
  const file = join(dir, 'baton.json');
  writeFileSync(file, JSON.stringify({
    adminToken: ADMIN_TOKEN,
    tenants: [
      { id: 'acme', webhookSecrets: ['whsec_acme_1'], appSecret: APP_SECRET.acme, zendesk: { subdomain: 'acme', email: 'a@acme.test', apiToken: 't' } },
      { id: 'beta', webhookSecrets: ['whsec_beta_1'], appSecret: APP_SECRET.beta, zendesk: { subdomain: 'beta', email: 'b@beta.test', apiToken: 't' } },
    ],
  }));
  config = loadConfig({ BATON_CONFIG: file, PORT: '0', BATON_DATA_DIR: dir });
  // The run's store: SQLite in dir, or a fresh Postgres database in the Postgres pass (test-store.ts).
  db = await testDatabase();
  store = await openTestStore(db, join(dir, 'baton.db'));
  const o = outcomesFor(store);
  await o.seed({ tenantId: 'acme', count: 300, from: '2026-11-01', days: 28, seed: 3 });
  const hostile: SeededOutcome = {
    tenantId: 'acme', handoffId: 'ho_hostile', helpdesk: 'zendesk', refId: '1', customerKey: null, acceptedAt: Date.UTC(2026, 10, 10, 12),
    reason: 'repeated_failure', topic: 'other', bot: '=cmd|calc', source: 'generic', channel: 'web', priority: 'normal', group: 'none',
    sentiment: 'neutral', reasonText: '+SUM(A1:A2), "quoted"', customerText: '',
    rejected: Array.from({ length: 1 }, () => ({ kind: 'answer', text: '=HYPERLINK("http://evil.example","click"), then\nretry' })),
    firstHumanReplyAt: null, solvedAt: null, reopenedCount: 0, repeatYourself: null, repeatScore: null, reEscalationOf: null,
  };
  await o.outcomes.insertMany([hostile]);
  const tenants = new Map<string, TenantConfig>(config.tenants.map((t) => [t.id, t]));
  const app = express();
  app.use(insightsRouter({
    config, store, logger: createLogger('silent'), tenants,
    authorizers: [zendeskInsightsAuthorizer({ config, sessionKey, roleOf: (_t, id) => Promise.resolve(ROLES[id] ?? 'none') })],
    clock: () => Date.UTC(2026, 10, 29, 12),
  }));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string, token?: string, accept?: string): Promise<{ status: number; type: string; body: any; text: string }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (accept) headers.accept = accept;
  const res = await fetch(`${base}${path}`, { headers });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, text, body: type.includes('json') ? JSON.parse(text) : undefined };
}

const session = async (tenantId: string, userId: string): Promise<string> =>
  (await issueSession(sessionKey, { tenantId, userId, authTime: Math.floor(Date.now() / 1000) })).token;

const RANGE = '?from=2026-11-01&to=2026-11-28';

describe('who may read insights', () => {
  it('the admin token, for any configured tenant', async () => {
    const r = await get(`/v1/tenants/acme/insights${RANGE}`, ADMIN_TOKEN);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tenantId: 'acme', from: '2026-11-01', to: '2026-11-28', groupBy: 'day', filters: {} });
    expect(r.body.totals.handoffs).toBe(301);
    expect(r.body.series).toHaveLength(28);
    expect((await get(`/v1/tenants/nobody/insights${RANGE}`, ADMIN_TOKEN)).status).toBe(404);
  });

  it('a Zendesk admin of that tenant, by a Zendesk-signed session; not an agent, not another tenant', async () => {
    expect((await get(`/v1/tenants/acme/insights${RANGE}`, await session('acme', '1001'))).status).toBe(200);
    const agent = await get(`/v1/tenants/acme/insights${RANGE}`, await session('acme', '1002'));
    expect(agent).toMatchObject({ status: 403, body: { error: { code: 'insights_forbidden' } } });
    const other = await get(`/v1/tenants/acme/insights${RANGE}`, await session('beta', '2001'));
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'insights_forbidden' } } });
    expect((await get(`/v1/tenants/acme/insights${RANGE}`, await session('acme', '1003'))).status).toBe(503);
  });

  it("not the request-proxy token, whose user is the browser's claim, even for an admin's id", async () => {
    const now = Math.floor(Date.now() / 1000);
    const proxy = await new SignJWT({ ticket_id: 5 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('acme.zendesk.com')
      .setSubject('1001')
      .setIssuedAt(now)
      .setExpirationTime(now + 120)
      .sign(new TextEncoder().encode(APP_SECRET.acme));
    expect(await get(`/v1/tenants/acme/insights${RANGE}`, proxy)).toMatchObject({ status: 403, body: { error: { code: 'insights_forbidden' } } });
  });

  it('nobody without credentials or with wrong ones', async () => {
    expect((await get(`/v1/tenants/acme/insights${RANGE}`)).status).toBe(401);
    expect((await get(`/v1/tenants/acme/insights${RANGE}`, 'not-the-admin-token')).body.error.code).toBe('unauthorized');
    const forged = (await session('acme', '1001')).slice(0, -4) + 'AAAA';
    expect((await get(`/v1/tenants/acme/insights${RANGE}`, forged)).status).toBe(401);
  });
});

describe('parameters', () => {
  it.each([
    ['?from=2026-02-30', 'from'],
    ['?from=2026-11-28&to=2026-11-01', 'from'],
    ['?from=2025-01-01&to=2026-11-28', 'to'],
    ['?groupBy=month', 'groupBy'],
    ['?format=xml', 'format'],
    ['?from=2026-11-01&from=2026-11-02', 'from'],
    ['?limit=5', 'limit'],
    ['?bot=' + 'x'.repeat(101), 'bot'],
    ['?topic=%00', 'topic'],
    ['?to=%27%20OR%201%3D1', 'to'],
  ])('%s is refused with 400 naming %s', async (qs, field) => {
    const r = await get(`/v1/tenants/acme/insights${qs}`, ADMIN_TOKEN);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_query');
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('defaults to the last 30 days by day, and filters', async () => {
    const r = await get('/v1/tenants/acme/insights', ADMIN_TOKEN);
    expect(r.body).toMatchObject({ from: '2026-10-31', to: '2026-11-29', groupBy: 'day' });
    const f = await get(`/v1/tenants/acme/insights${RANGE}&groupBy=week&bot=Fin&priority=urgent`, ADMIN_TOKEN);
    expect(f.body.filters).toEqual({ bot: 'Fin', priority: 'urgent' });
    expect(f.body.breakdown.bot.every((k: { key: string }) => k.key === 'Fin')).toBe(true);
    expect(f.body.firstReply.byPriority.every((k: { key: string }) => k.key === 'urgent')).toBe(true);
  });
});

describe('CSV export', () => {
  it('by Accept or ?format=csv, quoted per RFC 4180 and guarded against formulas', async () => {
    const byAccept = await get(`/v1/tenants/acme/insights${RANGE}`, ADMIN_TOKEN, 'text/csv');
    const byParam = await get(`/v1/tenants/acme/insights${RANGE}&format=csv`, ADMIN_TOKEN);
    expect(byAccept.type).toMatch(/^text\/csv/);
    expect(byParam.text).toBe(byAccept.text);
    const lines = byAccept.text.split('\r\n');
    expect(lines[0]).toBe('section,dimension,key,metric,value,detail');
    expect(lines).toContain('totals,,,handoffs,301,');
    // The hostile bot name and the rejected answer (spaces tidied when stored): apostrophe first, quotes doubled.
    expect(byAccept.text).toContain("breakdown,bot,'=cmd|calc,handoffs,1,");
    expect(byAccept.text).toContain('rejected,answer,"\'=HYPERLINK(""http://evil.example"",""click""), then retry",count,1,');
    const cluster = await get(`/v1/tenants/acme/insights${RANGE}&format=csv&topic=other&reason=repeated_failure&bot=%3Dcmd%7Ccalc`, ADMIN_TOKEN);
    expect(cluster.text).toContain('reasonClusters,reason,repeated_failure: quoted,count,1,"\'+SUM(A1:A2), ""quoted"""\r\n');
    expect(byAccept.text.endsWith('\r\n')).toBe(true);
  });

  it('csvCell', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line one\r\nline "two"')).toBe('"line one\r\nline ""two"""');
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});
