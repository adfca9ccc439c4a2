/**
 * GET /v1/zendesk/connection, the app's Connect state, on a real Baton (file tenants acme and globex, admin token):
 * "connected" only for a token that verifies for the account's tenant; a known account without one reads
 * "unverified"; an unknown account "not_connected" with no link (production: no self-service); a tenant whose Zendesk
 * was marked disconnected gets a one-time connect link bound to it, which starts the flow (once) at its Zendesk.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, startHarness, type Harness } from '../helpers/harness.ts';

const ADMIN = 'admin-token-connection-test-0123456789';
let h: Harness;

beforeAll(async () => {
  // A global OAuth client as production configures it (this test file runs in its own worker).
  process.env.BATON_ZENDESK_CLIENT_ID = 'baton_global';
  process.env.BATON_ZENDESK_CLIENT_SECRET = 'global-client-secret';
  h = await startHarness({ worker: false, extra: { adminToken: ADMIN } });
});
afterAll(async () => {
  delete process.env.BATON_ZENDESK_CLIENT_ID;
  delete process.env.BATON_ZENDESK_CLIENT_SECRET;
  await h?.close();
});

async function proxyToken(secret: string, subdomain = 'acme'): Promise<string> {
  const t = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: '4242', ticket_id: 35436 }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(subdomain).setIssuedAt(t).setExpirationTime(t + 300).sign(new TextEncoder().encode(secret));
}

async function connection(token?: string, subdomain = 'acme'): Promise<Record<string, unknown>> {
  const res = await fetch(`${h.baton.url}/v1/zendesk/connection?subdomain=${subdomain}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as Record<string, unknown>;
}

describe('GET /v1/zendesk/connection', () => {
  it('connected for a token of the account; unverified without one; an unknown account not_connected with no link (production)', async () => {
    expect(await connection(await proxyToken(ACME.appSecret))).toEqual({ connected: true });
    // A known account without a verifying token (e.g. a wrong shared secret) is "unverified", not a Connect case.
    expect(await connection()).toEqual({ connected: false, reason: 'unverified' });
    expect(await connection(await proxyToken('forged-secret-xxxxxxxx'))).toEqual({ connected: false, reason: 'unverified' });
    expect(await connection(undefined, 'somebody-else')).toEqual({ connected: false, reason: 'not_connected' });
  });

  it('a disconnected tenant gets a one-time connect link bound to it, which starts the flow', async () => {
    await h.baton.tenants.markDisconnected('acme', 'zendesk', "Zendesk refused Baton's credentials (401)");
    const body = await connection(await proxyToken(ACME.appSecret));
    expect(body).toMatchObject({ connected: false, reason: 'disconnected' });
    const url = new URL(body.connectUrl as string);
    expect(url.pathname).toBe('/connect/zendesk');
    expect(url.searchParams.get('subdomain')).toBe('acme');
    // The link starts the flow at the account's own Zendesk (global client, PKCE), once.
    const start = await fetch(url, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') as string);
    expect(authorize.origin).toBe('https://acme.zendesk.com');
    expect(authorize.pathname).toBe('/oauth/authorizations/new');
    expect(authorize.searchParams.get('client_id')).toBe('baton_global');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(403);
    // The operator's way to the same: POST /v1/admin/connect-links on the full app (behind the admin token).
    const minted = await fetch(`${h.baton.url}/v1/admin/connect-links`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ helpdesk: 'zendesk', tenantId: 'acme', account: 'acme' }) });
    expect(minted.status).toBe(201);
    expect((await fetch(((await minted.json()) as { url: string }).url, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(`${h.baton.url}/v1/admin/connect-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"helpdesk":"zendesk"}' })).status).toBe(401);
    // Without the link, production refuses to start.
    expect((await fetch(`${h.baton.url}/connect/zendesk?subdomain=acme`, { redirect: 'manual' })).status).toBe(403);
  });
});
