/**
 * Issue 7, item 7: the signed-URL sidebar. Zendesk POSTs the location's first load with an RS256 `token`
 * naming the user (here: the Zendesk sandbox's app key, served at /api/v2/apps/{id}/public_key.pem); Baton
 * verifies it (RS256 only, iss = a tenant's account, aud = its installation, exp/iat, sub), serves the sidebar
 * with a Baton session for that user, and the sidebar API takes the agent ONLY from the session, then checks
 * with Zendesk that this agent may see the route's ticket. Real HTTP server, real sandbox, real helmet headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import pino from 'pino';
import type { Store } from '../../server/store/store.ts';
import { openSuiteStore } from '../helpers/test-store.ts';
import type { Config, TenantConfig } from '../../server/config.ts';
import { sidebarRouter } from '../../server/helpdesks/zendesk/sidebar/sidebar-routes.ts';
import { zendeskHostedRouter } from '../../server/helpdesks/zendesk/sidebar/zendesk-hosted-routes.ts';
import { issueSession, randomSessionKey, SESSION_MAX_AGE_SEC } from '../../server/helpdesks/zendesk/sidebar/sidebar-session.ts';
import { createPublicKeySource, signedUrlTenants, verifyZafToken } from '../../server/helpdesks/zendesk/sidebar/zaf-signed-token.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { securityHeaders } from '../../server/http/security-headers.ts';
import { startZendeskSandbox, createSandboxAppKeys, signZafToken, zafAudience } from '../../sandbox/zendesk/index.ts';
import type { RunningZendeskSandbox } from '../../sandbox/zendesk/types.ts';
import { sampleReport } from '../../app/src/demo/sample-report.ts';
import { seedHandoff } from '../e2e/seed.ts';
import { listen } from '../helpers/listen.ts';
import { zendeskConfigOf } from '../../server/helpdesks/zendesk/zendesk-config.ts';

const SECRET = 'acme_app_secret_123';
const APP_ID = 777;
const INSTALLATION = 31337;
const UNRESTRICTED = 4242;
const ASSIGNED_ONLY = 4243;
const T_PLAIN = 35436; // unassigned, no group
const T_ASSIGNED = 35437; // assigned to ASSIGNED_ONLY in beforeAll
const T_GROUP = 35438;

const keys = createSandboxAppKeys(APP_ID, INSTALLATION);
const otherKeys = createSandboxAppKeys(APP_ID, INSTALLATION);
const sessionKey = randomSessionKey();

const acme = {
  id: 'acme',
  webhookSecrets: ['whsec_test_1234'],
  appSecret: SECRET,
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
const handoffs = new Map<number, string>();

const now = () => Math.floor(Date.now() / 1000);
const signed = (over: { userId?: number; subdomain?: string; k?: typeof keys; lifetimeSec?: number; now?: number } = {}) =>
  signZafToken(over.k ?? keys, { subdomain: over.subdomain ?? 'acme', userId: over.userId ?? UNRESTRICTED, lifetimeSec: over.lifetimeSec ?? 300, now: over.now ?? now() });

const postSidebar = (token: string | undefined, accept = 'text/html') =>
  fetch(`${base}/zendesk/sidebar?origin=https%3A%2F%2Facme.zendesk.com&app_guid=g1`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: token === undefined ? '' : new URLSearchParams({ token }).toString(),
  });

/** The session the sidebar page embeds. */
async function sessionFrom(token: string): Promise<string> {
  const res = await postSidebar(token);
  expect(res.status).toBe(200);
  const html = await res.text();
  const m = /<script type="application\/json" id="baton-session">([^<]+)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return (JSON.parse(m![1]!) as { token: string }).token;
}

beforeAll(async () => {
  zendesk = await startZendeskSandbox({ appKeys: keys });
  (zendeskConfigOf(acme) as { baseUrl: string }).baseUrl = zendesk.url;
  zendesk.state.tickets.get(T_ASSIGNED)!.assignee_id = ASSIGNED_ONLY;
  dir = mkdtempSync(join(tmpdir(), 'baton-signed-url-'));
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'assets', 'iframe.html'), '<!doctype html><html><head><title>Baton</title></head><body><div id="root"></div><script type="module" src="./sidebar-abc.js"></script></body></html>');
  writeFileSync(join(dir, 'dist', 'assets', 'sidebar-abcdefgh.js'), 'console.log(1)');
  store = await openSuiteStore(join(dir, 'db.sqlite'));
  for (const t of [T_PLAIN, T_ASSIGNED, T_GROUP]) handoffs.set(t, await seedHandoff(store, 'acme', t, sampleReport()));
  const logger = pino({ level: 'silent' });
  const app = express();
  app.use(securityHeaders());
  app.use(zendeskHostedRouter({ config, logger, distDir: join(dir, 'dist'), sessionKey }));
  app.use(sidebarRouter({ config, store, logger, sessionKey }));
  app.use(errorHandler(logger));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await zendesk.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /zendesk/sidebar: the Zendesk-signed token', () => {
  it('a valid token → the sidebar page with a Baton session for the user Zendesk named, frameable by Zendesk only', async () => {
    const res = await postSidebar(await signed({ userId: ASSIGNED_ONLY }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https:\/\/\*\.zendesk\.com(;|$)/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<base href="/zendesk/assets/">');
    const session = JSON.parse(/id="baton-session">([^<]+)</.exec(html)![1]!) as { token: string; expiresAt: number };
    const claims = decodeJwt(session.token);
    expect(claims).toMatchObject({ sub: String(ASSIGNED_ONLY), tid: 'acme', iss: 'baton', aud: 'baton-sidebar' });
    expect(session.expiresAt - now()).toBeGreaterThan(3500);
    // The assets are served under /zendesk/assets/, iframe.html only through the POST.
    expect((await fetch(`${base}/zendesk/assets/sidebar-abcdefgh.js`)).status).toBe(200);
    expect((await fetch(`${base}/zendesk/assets/iframe.html`)).status).toBe(404);
  });

  it('refuses every bad token with the same 401 (nothing tells which accounts are tenants)', async () => {
    const t = now();
    const hs256 = await new SignJWT({ sub: String(UNRESTRICTED) })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer('acme.zendesk.com').setAudience(zafAudience('acme', INSTALLATION)).setIssuedAt(t).setExpirationTime(t + 300)
      .sign(new TextEncoder().encode(SECRET));
    const none = new UnsecuredJWT({ sub: String(UNRESTRICTED) }).setIssuer('acme.zendesk.com').setAudience(zafAudience('acme', INSTALLATION)).setIssuedAt(t).setExpirationTime(t + 300).encode();
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer('acme.zendesk.com').setAudience(zafAudience('acme', INSTALLATION)).setIssuedAt(t).setExpirationTime(t + 300).sign(keys.privateKey);
    const wrongAud = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer('acme.zendesk.com').setAudience(zafAudience('acme', INSTALLATION + 1)).setSubject('4242').setIssuedAt(t).setExpirationTime(t + 300).sign(keys.privateKey);
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer('acme.zendesk.com').setAudience(zafAudience('acme', INSTALLATION)).setSubject('4242').setIssuedAt(t).sign(keys.privateKey);
    const cases: Array<[string, string | undefined]> = [
      ['signed with another key', await signed({ k: otherKeys })],
      ['HS256 with the app secret', hs256],
      ['alg none', none],
      ['wrong aud (another installation)', wrongAud],
      ['wrong iss (an account that is not a tenant)', await signed({ subdomain: 'globex' })],
      ['expired', await signed({ now: t - 3600, lifetimeSec: 300 })],
      ['lives 2 days', await signed({ lifetimeSec: 2 * 86400 })],
      ['no user (sub)', noSub],
      ['no exp', noExp],
      ['no token', undefined],
      ['garbage', 'not.a.jwt'],
    ];
    const bodies = new Set<string>();
    for (const [name, token] of cases) {
      const res = await postSidebar(token);
      expect(res.status, name).toBe(401);
      expect(await res.text(), name).not.toContain('baton-session');
      const json = await postSidebar(token, 'application/json');
      expect(json.status, name).toBe(401);
      bodies.add(JSON.stringify(await json.json()));
    }
    expect(JSON.parse([...bodies][0]!)).toEqual({ error: { code: 'invalid_token', message: expect.any(String) } });
    expect(bodies.size).toBe(1);
    expect((await fetch(`${base}/zendesk/sidebar`)).status).toBe(401);
  });

  it('uses a configured public key without asking Zendesk; 503 when the key cannot be fetched', async () => {
    const pemTenant = { ...acme, helpdesks: { zendesk: { ...zendeskConfigOf(acme)!, baseUrl: 'http://127.0.0.1:1', appPublicKey: keys.publicKeyPem } } } as TenantConfig;
    // One key source per case: the cache is per tenant id.
    const noFetchSource = () => createPublicKeySource({ fetchImpl: (() => Promise.reject(new Error('no network'))) as unknown as typeof fetch });
    const ok = await verifyZafToken(signedUrlTenants({ tenants: [pemTenant] } as unknown as Config), noFetchSource(), await signed());
    expect(ok).toMatchObject({ ok: true, userId: String(UNRESTRICTED) });
    const down = { ...acme, helpdesks: { zendesk: { ...zendeskConfigOf(acme)!, baseUrl: 'http://127.0.0.1:1' } } } as TenantConfig;
    const r = await verifyZafToken(signedUrlTenants({ tenants: [down] } as unknown as Config), noFetchSource(), await signed());
    expect(r).toMatchObject({ ok: false, status: 503 });
    const wrongPem = { ...pemTenant, helpdesks: { zendesk: { ...zendeskConfigOf(pemTenant)!, appPublicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString() } } } as TenantConfig;
    expect(await verifyZafToken(signedUrlTenants({ tenants: [wrongPem] } as unknown as Config), noFetchSource(), await signed())).toMatchObject({ ok: false, status: 401 });
  });
});

describe('the sidebar API with a Baton session: the agent comes only from the session', () => {
  const get = (ticket: number, session: string, extra: { query?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${base}/v1/tickets/${ticket}/handoff${extra.query ?? ''}`, { headers: { authorization: `Bearer ${session}`, ...extra.headers } });

  it('an unrestricted agent reads any ticket; the session is not bound to one ticket', async () => {
    const s = await sessionFrom(await signed({ userId: UNRESTRICTED }));
    for (const t of [T_PLAIN, T_GROUP]) expect((await get(t, s)).status).toBe(200);
  });

  it("a restricted agent's session cannot read a ticket they may not see, whichever agent the browser names", async () => {
    const s = await sessionFrom(await signed({ userId: ASSIGNED_ONLY }));
    expect((await get(T_ASSIGNED, s)).status).toBe(200);
    const spoof = String(UNRESTRICTED);
    const attempts = [
      get(T_PLAIN, s),
      get(T_PLAIN, s, { query: `?sub=${spoof}&user_id=${spoof}&agent=${spoof}` }),
      get(T_PLAIN, s, { headers: { 'x-zendesk-user-id': spoof, 'x-agent-id': spoof, 'x-on-behalf-of': spoof } }),
      fetch(`${base}/v1/tickets/${T_PLAIN}/handoff/feedback?sub=${spoof}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s}`, 'content-type': 'application/json' },
        body: JSON.stringify({ handoffId: handoffs.get(T_PLAIN), accurate: true, agentId: spoof, sub: spoof }),
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ticket_forbidden');
    }
    expect(await store.listFeedback('acme', { helpdesk: 'zendesk', id: String(T_PLAIN) })).toHaveLength(0);
  });

  it('feedback records the user Zendesk vouched for, not one the browser names', async () => {
    const s = await sessionFrom(await signed({ userId: ASSIGNED_ONLY }));
    const res = await fetch(`${base}/v1/tickets/${T_ASSIGNED}/handoff/feedback?sub=${UNRESTRICTED}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s}`, 'content-type': 'application/json', 'x-zendesk-user-id': String(UNRESTRICTED) },
      body: JSON.stringify({ handoffId: handoffs.get(T_ASSIGNED), accurate: false, comment: 'wrong order id' }),
    });
    expect(res.status).toBe(201);
    expect((await store.listFeedback('acme', { helpdesk: 'zendesk', id: String(T_ASSIGNED) })).map((f) => f.agentId)).toEqual([String(ASSIGNED_ONLY)]);
  });

  it('refuses a forged, expired or other-key session with 401, with no fallback to the proxy-token rules', async () => {
    const t = now();
    const forged = await issueSession(randomSessionKey(), { tenantId: 'acme', userId: String(UNRESTRICTED), authTime: t });
    const expired = await issueSession(sessionKey, { tenantId: 'acme', userId: String(UNRESTRICTED), authTime: t - 7200 }, t - 7200);
    // A session signed with the tenant's app secret (what a browser could get Zendesk's proxy to sign) is not a session.
    const withAppSecret = await new SignJWT({ tid: 'acme', auth_time: t, ticket_id: T_PLAIN })
      .setProtectedHeader({ alg: 'HS256', typ: 'baton-session+jwt' }).setIssuer('baton').setAudience('baton-sidebar').setSubject(String(UNRESTRICTED)).setIssuedAt(t).setExpirationTime(t + 300)
      .sign(new TextEncoder().encode(SECRET));
    for (const s of [forged.token, expired.token, withAppSecret]) expect((await get(T_PLAIN, s)).status).toBe(401);
  });

  it('POST /zendesk/session renews a valid session (same user), not a proxy token, not past the maximum age', async () => {
    const s = await sessionFrom(await signed({ userId: ASSIGNED_ONLY }));
    const res = await fetch(`${base}/zendesk/session`, { method: 'POST', headers: { authorization: `Bearer ${s}` } });
    expect(res.status).toBe(200);
    const renewed = (await res.json()) as { token: string; expiresAt: number };
    expect(decodeJwt(renewed.token)).toMatchObject({ sub: String(ASSIGNED_ONLY), tid: 'acme' });
    const t = now();
    const proxy = await new SignJWT({ sub: String(UNRESTRICTED), ticket_id: T_PLAIN }).setProtectedHeader({ alg: 'HS256' }).setIssuer('acme').setIssuedAt(t).setExpirationTime(t + 300).sign(new TextEncoder().encode(SECRET));
    expect((await fetch(`${base}/zendesk/session`, { method: 'POST', headers: { authorization: `Bearer ${proxy}` } })).status).toBe(401);
    const old = await issueSession(sessionKey, { tenantId: 'acme', userId: String(UNRESTRICTED), authTime: t - SESSION_MAX_AGE_SEC - 60 }, t - 60);
    expect((await fetch(`${base}/zendesk/session`, { method: 'POST', headers: { authorization: `Bearer ${old.token}` } })).status).toBe(401);
  });

  it('the proxy-token mode keeps working beside sessions', async () => {
    const t = now();
    const proxy = await new SignJWT({ sub: String(UNRESTRICTED), ticket_id: T_PLAIN }).setProtectedHeader({ alg: 'HS256' }).setIssuer('acme').setIssuedAt(t).setExpirationTime(t + 300).sign(new TextEncoder().encode(SECRET));
    expect((await get(T_PLAIN, proxy)).status).toBe(200);
    expect((await get(T_GROUP, proxy)).status).toBe(403); // still bound to its ticket
  });
});

describe('the Zendesk sandbox serves the app public key', () => {
  it('GET /api/v2/apps/{id}/public_key.pem: the PEM with credentials, 401 without, 404 for another app', async () => {
    const auth = `Basic ${Buffer.from('demo@baton.local/token:sandbox').toString('base64')}`;
    const res = await fetch(`${zendesk.url}/api/v2/apps/${APP_ID}/public_key.pem`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(keys.publicKeyPem);
    expect((await fetch(`${zendesk.url}/api/v2/apps/${APP_ID}/public_key.pem`)).status).toBe(401);
    expect((await fetch(`${zendesk.url}/api/v2/apps/1/public_key.pem`, { headers: { authorization: auth } })).status).toBe(404);
  });
});
