/**
 * The sandboxes' OAuth server (sandbox/kit/oauth-server.ts) refuses what a real authorization server refuses:
 * a wrong client secret, a code used twice, a PKCE verifier that does not match, a redirect_uri that differs
 * from the authorization request, an unregistered redirect, an unknown client.
 */
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../helpers/listen.ts';
import { createOAuthServer, s256 } from '../../../sandbox/kit/oauth-server.ts';

const client = { clientId: 'c1', clientSecret: 'secret-1', redirectUris: ['http://127.0.0.1:1/cb'] };
const oauth = createOAuthServer({
  platform: 'Test',
  clients: [client],
  users: [{ id: '1', name: 'Ada', role: 'admin' }],
  authorizePath: '/authorize',
  tokenPath: '/token',
  pkce: true,
  tokenBody: (token) => ({ access_token: token }),
});
let server: Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.use(oauth.router);
  ({ server, base } = await listen(app));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const VERIFIER = 'v'.repeat(50);

async function code(extra: Record<string, string> = {}): Promise<string> {
  const form = new URLSearchParams({ client_id: 'c1', redirect_uri: client.redirectUris[0] as string, response_type: 'code', state: 's', code_challenge: s256(VERIFIER), code_challenge_method: 'S256', decision: 'allow', ...extra });
  const res = await fetch(`${base}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string).searchParams.get('code') as string;
}

const token = (body: Record<string, string>): Promise<Response> =>
  fetch(`${base}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', client_id: 'c1', client_secret: 'secret-1', redirect_uri: client.redirectUris[0], code_verifier: VERIFIER, ...body }) });

describe('sandbox OAuth server', () => {
  it('issues a token once per code, and the token is accepted until revoked', async () => {
    const c = await code();
    const ok = await token({ code: c });
    expect(ok.status).toBe(200);
    const t = ((await ok.json()) as { access_token: string }).access_token;
    expect(oauth.grantOf(`Bearer ${t}`)?.user.role).toBe('admin');
    expect((await token({ code: c })).status).toBe(400);
    oauth.revoke(t);
    expect(oauth.grantOf(`Bearer ${t}`)).toBeUndefined();
  });

  it('refuses a wrong secret (401), a wrong PKCE verifier, another redirect_uri (400)', async () => {
    expect((await token({ code: await code(), client_secret: 'nope' })).status).toBe(401);
    const wrongVerifier = await token({ code: await code(), code_verifier: 'w'.repeat(50) });
    expect(wrongVerifier.status).toBe(400);
    expect(((await wrongVerifier.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await token({ code: await code(), redirect_uri: 'http://127.0.0.1:1/other' })).status).toBe(400);
  });

  it('never redirects to an unregistered redirect_uri or for an unknown client', async () => {
    const q = new URLSearchParams({ client_id: 'c1', redirect_uri: 'https://evil.example/cb', response_type: 'code' });
    const page = await fetch(`${base}/authorize?${q}`, { redirect: 'manual' });
    expect(page.status).toBe(400);
    const unknown = await fetch(`${base}/authorize?${new URLSearchParams({ client_id: 'zz', redirect_uri: client.redirectUris[0] as string, response_type: 'code' })}`, { redirect: 'manual' });
    expect(unknown.status).toBe(400);
  });
});
