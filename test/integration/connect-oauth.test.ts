/**
 * "Connect Zendesk" / "Connect Intercom" end to end against the sandboxes' OAuth servers, with the real tenant
 * registry on a real SQLite file: one-time link → consent page → Allow/Deny → callback → tenant. Also the
 * refusals: no link, a used link, a tampered state, denied consent, a non-admin consenting, a bad code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listen } from '../helpers/listen.ts';
import { startZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { startIntercomSandbox } from '../../sandbox/intercom/index.ts';
import type { RunningZendeskSandbox } from '../../sandbox/zendesk/types.ts';
import { connectRouter, CONNECT_COOKIE } from '../../server/connect/connect-routes.ts';
import { zendeskOAuth, ZENDESK_SANDBOX_OAUTH_CLIENT } from '../../server/helpdesks/zendesk/oauth.ts';
import { intercomOAuth, INTERCOM_SANDBOX_OAUTH_CLIENT } from '../../server/helpdesks/intercom/oauth.ts';
import type { Store } from '../../server/store/store.ts';
import { openSuiteStore } from '../helpers/test-store.ts';
import { openTenantRegistry } from '../../server/tenants/open-tenant-registry.ts';
import type { TenantRegistry } from '../../server/tenants/tenant-registry.ts';
import type { Config } from '../../server/config.ts';

const ADMIN = 'admin-token-for-connect-tests-0123456789';
const MASTER = 'a'.repeat(64);

let dir: string;
let zd: RunningZendeskSandbox;
let ic: Awaited<ReturnType<typeof startIntercomSandbox>>;
let registry: TenantRegistry;
let store: Store;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-connect-'));
  zd = await startZendeskSandbox();
  ic = await startIntercomSandbox();
  const config = { tenants: [], sandbox: false, dataDir: dir, adminToken: ADMIN, dbFile: join(dir, 'baton.db') } as unknown as Config;
  store = await openSuiteStore(join(dir, 'baton.db'));
  registry = await openTenantRegistry({ config, store, env: { BATON_MASTER_KEY: MASTER }, pollMs: 0 });
  const app = express();
  const urls: Record<string, string> = { zendesk: zd.url, intercom: ic.url };
  app.use(
    connectRouter({
      config: { adminToken: ADMIN, sandbox: false },
      tenants: registry,
      providers: new Map([
        ['zendesk', zendeskOAuth],
        ['intercom', intercomOAuth],
      ]),
      logger: pino({ level: 'silent' }),
      ownBaseUrl: () => base,
      helpdeskBaseUrl: (h) => urls[h],
      env: {
        BATON_ZENDESK_CLIENT_ID: ZENDESK_SANDBOX_OAUTH_CLIENT.clientId,
        BATON_ZENDESK_CLIENT_SECRET: ZENDESK_SANDBOX_OAUTH_CLIENT.clientSecret,
        BATON_INTERCOM_CLIENT_ID: INTERCOM_SANDBOX_OAUTH_CLIENT.clientId,
        BATON_INTERCOM_CLIENT_SECRET: INTERCOM_SANDBOX_OAUTH_CLIENT.clientSecret,
      },
    }),
  );
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  registry.close();
  await zd.close();
  await ic.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function mintLink(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${base}/v1/admin/connect-links`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { url: string }).url;
}

/** Starts the flow: Baton's 302 to the consent page, and the session cookie. */
async function start(url: string): Promise<{ authorize: URL; cookie: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const setCookie = res.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  return { authorize: new URL(res.headers.get('location') as string), cookie: setCookie.split(';')[0] as string };
}

/** The consent page (real HTML form) and the admin's decision; returns where the helpdesk sends the browser back. */
async function decide(authorize: URL, decision: 'allow' | 'deny', userId?: string): Promise<URL> {
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) form.set(m[1] as string, (m[2] as string).replaceAll('&amp;', '&'));
  form.set('decision', decision);
  if (userId) form.set('user_id', userId);
  const res = await fetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

async function callback(url: URL, cookie: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers: { cookie, accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const errorCode = (body: Record<string, unknown>): unknown => (body.error as { code?: string } | undefined)?.code;

describe('Connect Zendesk (sandbox OAuth, PKCE)', () => {
  beforeEach(() => zd.reset());

  it('happy path: link → consent → callback creates the tenant with its OAuth token; the token works until revoked', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'zendesk', account: 'initech' }));
    expect(authorize.pathname).toBe('/oauth/authorizations/new');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('tickets:read tickets:write users:read webhooks:write triggers:write');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/connect/zendesk/callback`);
    const back = await decide(authorize, 'allow', '4200');
    expect(back.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    const { status, body } = await callback(back, cookie);
    expect(status).toBe(201);
    expect(body).toMatchObject({ tenantId: 'initech', helpdesk: 'zendesk', account: 'initech', created: true, webhookUrl: `${base}/v1/tenants/initech/handoffs` });
    expect((body.secrets as { webhookSecret: string }).webhookSecret).toMatch(/^whsec_/);

    const tenant = registry.get('initech');
    const token = (tenant?.helpdesks.zendesk as { oauthToken?: string }).oauthToken as string;
    expect(token).toMatch(/^[a-f0-9]{64}$/);
    const api = (): Promise<Response> => fetch(`${zd.url}/api/v2/ticket_fields.json`, { headers: { authorization: `Bearer ${token}` } });
    expect((await api()).status).toBe(200);
    const revoked = await fetch(`${zd.url}/api/v2/oauth/tokens/current.json`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(204);
    expect((await api()).status).toBe(401);
  });

  it('a second link for the same account re-connects the same tenant (new token, secrets not shown again)', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'zendesk', account: 'globex' }));
    expect((await callback(await decide(authorize, 'allow', '4200'), cookie)).status).toBe(201);
    const first = (registry.get('globex')?.helpdesks.zendesk as { oauthToken: string }).oauthToken;
    const again = await start(await mintLink({ helpdesk: 'zendesk', account: 'globex' }));
    const { status, body } = await callback(await decide(again.authorize, 'allow', '4200'), again.cookie);
    expect(status).toBe(200);
    expect(body).toMatchObject({ tenantId: 'globex', created: false });
    expect(body.secrets).toBeUndefined();
    expect((registry.get('globex')?.helpdesks.zendesk as { oauthToken: string }).oauthToken).not.toBe(first);
  });

  it('state mismatch → 403 connect_state_mismatch, no tenant', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'zendesk', account: 'hooli' }));
    const back = await decide(authorize, 'allow', '4200');
    back.searchParams.set('state', 'x'.repeat(43));
    const { status, body } = await callback(back, cookie);
    expect(status).toBe(403);
    expect(errorCode(body)).toBe('connect_state_mismatch');
    expect(registry.get('hooli')).toBeUndefined();
  });

  it('a callback without the browser session (another browser, or replayed) → 400, no tenant', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'zendesk', account: 'hooli' }));
    const back = await decide(authorize, 'allow', '4200');
    expect(errorCode((await callback(back, `${CONNECT_COOKIE}=someone-else`)).body)).toBe('connect_session_missing');
    // The real session was not consumed by the stranger's try, but is single use once taken:
    expect((await callback(back, cookie)).status).toBe(201);
    expect((await callback(back, cookie)).status).toBe(400);
  });

  it('denied consent → 403 connect_denied, no tenant', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'zendesk', account: 'umbrella' }));
    const back = await decide(authorize, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    const { status, body } = await callback(back, cookie);
    expect(status).toBe(403);
    expect(errorCode(body)).toBe('connect_denied');
    expect(registry.get('umbrella')).toBeUndefined();
  });

  it('an agent (not an admin) consenting → 403 connect_not_admin, no tenant', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'zendesk', account: 'vandelay' }));
    const { status, body } = await callback(await decide(authorize, 'allow', '4242'), cookie);
    expect(status).toBe(403);
    expect(errorCode(body)).toBe('connect_not_admin');
    expect(registry.get('vandelay')).toBeUndefined();
  });

  it('a forged code → 400 oauth_exchange_failed, no tenant', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'zendesk', account: 'wonka' }));
    const back = await decide(authorize, 'allow', '4200');
    back.searchParams.set('code', 'forged-code');
    const { status, body } = await callback(back, cookie);
    expect(status).toBe(400);
    expect(errorCode(body)).toBe('oauth_exchange_failed');
    expect(registry.get('wonka')).toBeUndefined();
  });

  it('a stranger cannot start a flow: no link, a forged link, a used link, a bad subdomain', async () => {
    const noLink = await fetch(`${base}/connect/zendesk?subdomain=evil`, { redirect: 'manual', headers: { accept: 'application/json' } });
    expect(noLink.status).toBe(403);
    const forged = await fetch(`${base}/connect/zendesk?subdomain=evil&link=eyJoIjoiemVuZGVzayJ9.AAAA`, { redirect: 'manual' });
    expect(forged.status).toBe(403);
    const url = await mintLink({ helpdesk: 'zendesk' });
    const bad = await fetch(`${url}&subdomain=${encodeURIComponent('evil.com/x')}`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    const okUrl = `${url}&subdomain=stark`;
    expect((await fetch(okUrl, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(okUrl, { redirect: 'manual' })).status).toBe(403);
    const wrongAdmin = await fetch(`${base}/v1/admin/connect-links`, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body: '{"helpdesk":"zendesk"}' });
    expect(wrongAdmin.status).toBe(401);
  });
});

describe('Connect Intercom (sandbox OAuth)', () => {
  it('happy path: consent → callback creates the tenant with the token, the admin id and the app client secret', async () => {
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'intercom' }));
    expect(authorize.pathname).toBe('/oauth');
    expect(authorize.searchParams.get('code_challenge')).toBeNull();
    const { status, body } = await callback(await decide(authorize, 'allow'), cookie);
    expect(body.error).toBeUndefined();
    expect(status).toBe(201);
    const tenantId = body.tenantId as string;
    const section = registry.get(tenantId)?.helpdesks.intercom as { accessToken: string; adminId: string; clientSecret: string };
    expect(section).toMatchObject({ adminId: '814860', clientSecret: INTERCOM_SANDBOX_OAUTH_CLIENT.clientSecret });
    const me = (): Promise<Response> => fetch(`${ic.url}/me`, { headers: { authorization: `Bearer ${section.accessToken}`, 'Intercom-Version': '2.16' } });
    expect((await me()).status).toBe(200);
    ic.oauth.revokeAll();
    expect((await me()).status).toBe(401);
  });

  it('denied consent → 403, no tenant', async () => {
    const before = registry.list().length;
    const { authorize, cookie } = await start(await mintLink({ helpdesk: 'intercom' }));
    const { status, body } = await callback(await decide(authorize, 'deny'), cookie);
    expect(status).toBe(403);
    expect(errorCode(body)).toBe('connect_denied');
    expect(registry.list().length).toBe(before);
  });
});

describe('Connect behind an https public URL', () => {
  it('the session cookie is Secure, HttpOnly, SameSite=Lax, scoped to /connect; the redirect_uri is the public one', async () => {
    const app = express();
    app.use(
      connectRouter({
        config: { adminToken: ADMIN, sandbox: false },
        tenants: registry,
        providers: new Map([['zendesk', zendeskOAuth]]),
        logger: pino({ level: 'silent' }),
        ownBaseUrl: () => 'http://127.0.0.1:1',
        publicUrl: 'https://baton.example.com',
        env: { BATON_ZENDESK_CLIENT_ID: 'global', BATON_ZENDESK_CLIENT_SECRET: 'global-secret' },
      }),
    );
    const { server: s, base: b } = await listen(app);
    try {
      const link = await fetch(`${b}/v1/admin/connect-links`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{"helpdesk":"zendesk","account":"initrode"}' });
      const url = new URL(((await link.json()) as { url: string }).url);
      expect(url.origin).toBe('https://baton.example.com');
      const res = await fetch(`${b}${url.pathname}${url.search}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const cookie = res.headers.get('set-cookie') ?? '';
      for (const attr of [/; Secure/i, /; HttpOnly/i, /SameSite=Lax/i, /Path=\/connect/i]) expect(cookie).toMatch(attr);
      const authorize = new URL(res.headers.get('location') as string);
      expect(authorize.origin).toBe('https://initrode.zendesk.com');
      expect(authorize.searchParams.get('redirect_uri')).toBe('https://baton.example.com/connect/zendesk/callback');
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});
