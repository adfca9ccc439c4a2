/**
 * The nav_bar "Baton insights" page in a signed-URL install: Zendesk POSTs the location's load with its RS256
 * `token` (here: the Zendesk sandbox's app key) to /zendesk/insights; Baton serves the built insights.html with a
 * session for the user Zendesk vouched for and the tenant's insights endpoint; the page's calls with that session
 * get figures only for a Zendesk ADMIN (asked of the sandbox's Users API), never for an agent. Real HTTP server,
 * real Zendesk sandbox, real helmet headers, a real SQLite store seeded with the insights data set.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config, TenantConfig } from '../../server/config.ts';
import { zendeskHostedRouter, HOSTED_PAGES } from '../../server/helpdesks/zendesk/sidebar/zendesk-hosted-routes.ts';
import { randomSessionKey } from '../../server/helpdesks/zendesk/sidebar/sidebar-session.ts';
import { zendeskInsightsAuthorizer, zendeskRoleOf } from '../../server/helpdesks/zendesk/sidebar/insights-auth.ts';
import { zendeskConfigOf } from '../../server/helpdesks/zendesk/zendesk-config.ts';
import { insightsRouter } from '../../server/outcomes/insights-routes.ts';
import { outcomesFor } from '../../server/outcomes/outcomes-service.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { securityHeaders } from '../../server/http/security-headers.ts';
import type { Store } from '../../server/store/store.ts';
import { openSuiteStore } from '../helpers/test-store.ts';
import type { Insights } from '../../server/types/insights.ts';
import { createSandboxAppKeys, signZafToken, startZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import type { RunningZendeskSandbox } from '../../sandbox/zendesk/types.ts';
import { listen } from '../helpers/listen.ts';

const APP_ID = 778;
const INSTALLATION = 31338;
const ADMIN = 9100;
const AGENT = 4242; // a seeded sandbox agent
const keys = createSandboxAppKeys(APP_ID, INSTALLATION);
const sessionKey = randomSessionKey();

const acme = {
  id: 'acme',
  webhookSecrets: ['whsec_test_1234'],
  appSecret: 'acme_app_secret_123',
  helpdesks: {
    zendesk: {
      subdomain: 'acme', baseUrl: '', email: 'demo@baton.local', apiToken: 'sandbox', maxRequestsPerMinute: 100, customFields: {}, setPriority: true, setGroup: true,
      appId: APP_ID, appInstallationId: INSTALLATION,
    },
  },
  analysis: {},
} as unknown as TenantConfig;
const config = { tenants: [acme] } as unknown as Config;

let dir: string;
let store: Store;
let server: Server;
let base: string;
let zendesk: RunningZendeskSandbox;

const signed = (userId: number) => signZafToken(keys, { subdomain: 'acme', userId, lifetimeSec: 300, now: Math.floor(Date.now() / 1000) });

async function openInsights(userId: number): Promise<{ html: string; session: string; endpoint: string }> {
  const res = await fetch(`${base}/zendesk/insights?origin=https%3A%2F%2Facme.zendesk.com&app_guid=g1`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ token: await signed(userId) }).toString(),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain('frame-ancestors');
  const html = await res.text();
  const session = /<script type="application\/json" id="baton-session">([^<]+)<\/script>/.exec(html)?.[1];
  const cfg = /<script type="application\/json" id="baton-insights-config">([^<]+)<\/script>/.exec(html)?.[1];
  expect(session && cfg).toBeTruthy();
  return { html, session: (JSON.parse(session as string) as { token: string }).token, endpoint: (JSON.parse(cfg as string) as { endpoint: string }).endpoint };
}

beforeAll(async () => {
  zendesk = await startZendeskSandbox({ appKeys: keys });
  (zendeskConfigOf(acme) as { baseUrl: string }).baseUrl = zendesk.url;
  zendesk.state.users.set(ADMIN, { id: ADMIN, name: 'Ada Admin', email: 'ada@baton.local', role: 'admin' });
  dir = mkdtempSync(join(tmpdir(), 'baton-insights-signed-'));
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'assets', 'iframe.html'), '<!doctype html><html><head><title>Baton</title></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dir, 'dist', 'assets', 'insights.html'), '<!doctype html><html><head><title>Baton insights</title></head><body><div id="root"></div><script type="module" src="./insights-abc.js"></script></body></html>');
  store = await openSuiteStore(join(dir, 'db.sqlite'));
  await outcomesFor(store).seed({ tenantId: 'acme', count: 120, from: '2026-11-02', days: 14 });
  const logger = pino({ level: 'silent' });
  const app = express();
  app.use(securityHeaders());
  app.use(zendeskHostedRouter({ config, logger, distDir: join(dir, 'dist'), sessionKey }));
  app.use(insightsRouter({ config, store, logger, tenants: new Map([['acme', acme]]), authorizers: [zendeskInsightsAuthorizer({ config, sessionKey, roleOf: zendeskRoleOf() })] }));
  app.use(errorHandler(logger));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await zendesk.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /zendesk/insights (nav_bar, signed URL)', () => {
  it('serves insights.html (not the sidebar) with a session and the tenant insights endpoint, assets under /zendesk/assets/', async () => {
    expect(HOSTED_PAGES['/zendesk/insights']).toBe('insights.html');
    const { html, endpoint } = await openInsights(ADMIN);
    expect(html).toContain('<title>Baton insights</title>');
    expect(html).toContain('<base href="/zendesk/assets/">');
    expect(endpoint).toBe('/v1/tenants/acme/insights');
  });

  it("an admin's session gets the figures (JSON and CSV)", async () => {
    const { session, endpoint } = await openInsights(ADMIN);
    const res = await fetch(`${base}${endpoint}?from=2026-11-02&to=2026-11-15&groupBy=week`, { headers: { Authorization: `Bearer ${session}` } });
    expect(res.status).toBe(200);
    const d = (await res.json()) as Insights;
    expect(d.totals.handoffs).toBe(120);
    const csv = await fetch(`${base}${endpoint}?from=2026-11-02&to=2026-11-15&format=csv`, { headers: { Authorization: `Bearer ${session}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it("an agent's session is refused with 403 JSON naming the problem", async () => {
    const { session, endpoint } = await openInsights(AGENT);
    const res = await fetch(`${base}${endpoint}?from=2026-11-02&to=2026-11-15`, { headers: { Authorization: `Bearer ${session}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('insights_forbidden');
  });

  it('a bad or missing token gets the 401 page; GET is 401', async () => {
    const bad = await fetch(`${base}/zendesk/insights`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'token=not.a.jwt' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
    expect((await fetch(`${base}/zendesk/insights`)).status).toBe(401);
    // The page itself never leaves as an asset.
    expect((await fetch(`${base}/zendesk/assets/insights.html`)).status).toBe(404);
  });
});
