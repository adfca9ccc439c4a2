import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import pino from 'pino';
import type { Store } from '../../server/store/store.ts';
import { openSuiteStore } from '../helpers/test-store.ts';
import type { Config, TenantConfig } from '../../server/config.ts';
import { sidebarRouter } from '../../server/helpdesks/zendesk/sidebar/sidebar-routes.ts';
import { sampleReport } from '../../app/src/demo/sample-report.ts';
import { seedHandoff } from '../e2e/seed.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { startZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import type { RunningZendeskSandbox } from '../../sandbox/zendesk/types.ts';
import { listen } from '../helpers/listen.ts';
import { zendeskConfigOf, type ZendeskConfig } from '../../server/helpdesks/zendesk/zendesk-config.ts';

const tenant = (id: string, subdomain: string, appSecret: string): TenantConfig =>
  ({
    id,
    webhookSecrets: ['whsec_test_1234'],
    appSecret,
    helpdesks: {
      zendesk: {
        subdomain,
        // Set in beforeAll to the Zendesk sandbox, which the access check asks about the agent.
        baseUrl: `https://${subdomain}.zendesk.com`,
        email: 'demo@baton.local',
        apiToken: 'sandbox',
        maxRequestsPerMinute: 100,
        customFields: {},
        setPriority: true,
        setGroup: true,
      },
    },
    analysis: {} as TenantConfig['analysis'],
  }) as TenantConfig;

const ACME = tenant('acme', 'acme', 'acme_app_secret_123');
const GLOBEX = tenant('globex', 'globex', 'globex_app_secret_456');
const config = { tenants: [ACME, GLOBEX] } as unknown as Config;

/** 4242: an unrestricted agent of the Zendesk sandbox (sandbox-agents.ts). */
const AGENT = '4242';

async function token(
  opts: { iss?: string; secret?: string; exp?: number | null; iat?: number | null; sub?: string | null; ticket?: number | string | null } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const sub = opts.sub === undefined ? AGENT : opts.sub;
  const ticket = opts.ticket === undefined ? 101 : opts.ticket;
  const jwt = new SignJWT({ ...(ticket !== null ? { ticket_id: ticket } : {}) }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' });
  if (sub !== null) jwt.setSubject(sub);
  if (opts.iat !== null) jwt.setIssuedAt(opts.iat ?? now);
  if (opts.iss !== '') jwt.setIssuer(opts.iss ?? 'acme');
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now + 300);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? ACME.appSecret));
}

let dir: string;
let store: Store;
let server: Server;
let base: string;
let acmeHandoff: string;
let globexHandoff: string;
let zendesk: RunningZendeskSandbox;

beforeAll(async () => {
  zendesk = await startZendeskSandbox();
  for (const t of [ACME, GLOBEX]) (zendeskConfigOf(t) as ZendeskConfig).baseUrl = zendesk.url;
  dir = mkdtempSync(join(tmpdir(), 'baton-sidebar-'));
  store = await openSuiteStore(join(dir, 'db.sqlite'));
  acmeHandoff = await seedHandoff(store, 'acme', 101, sampleReport());
  globexHandoff = await seedHandoff(store, 'globex', 202, sampleReport({ summary: { text: 'globex secret' } }));
  const app = express();
  app.use(sidebarRouter({ config, store, logger: pino({ level: 'silent' }) }));
  app.use((_req, res) => void res.status(404).json({ error: { code: 'not_found', message: 'no route' } }));
  app.use(errorHandler(pino({ level: 'silent' })));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await store.close();
  await zendesk.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string, tok?: string) =>
  fetch(base + path, { headers: tok ? { authorization: `Bearer ${tok}` } : {} });
const post = async (path: string, body: unknown, tok?: string, contentType = 'application/json') =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('GET /v1/tickets/:id/handoff', () => {
  it('returns the stored report for the tenant named by a valid token', async () => {
    const res = await get('/v1/tickets/101/handoff', await token());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { handoffId: string; createdAt: string; report: { summary: { text: string } } };
    expect(body.handoffId).toBe(acmeHandoff);
    expect(new Date(body.createdAt).toString()).not.toBe('Invalid Date');
    expect(body.report.summary.text).toContain('charged twice');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('accepts iss given as a full Zendesk URL', async () => {
    const res = await get('/v1/tickets/101/handoff', await token({ iss: 'https://acme.zendesk.com' }));
    expect(res.status).toBe(200);
  });

  it('401 without a token', async () => {
    const res = await get('/v1/tickets/101/handoff');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_token');
  });

  it('401 for an expired token', async () => {
    const res = await get('/v1/tickets/101/handoff', await token({ exp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('token_expired');
  });

  it('401 for a token without exp', async () => {
    const res = await get('/v1/tickets/101/handoff', await token({ exp: null }));
    expect(res.status).toBe(401);
  });

  it('401 with the same body for a bad signature and an unknown account', async () => {
    const bad = await get('/v1/tickets/101/handoff', await token({ secret: 'wrong_secret_123' }));
    const foreign = await get('/v1/tickets/101/handoff', await token({ iss: 'initech', secret: 'whatever_123' }));
    const garbage = await get('/v1/tickets/101/handoff', 'not.a.jwt');
    expect([bad.status, foreign.status, garbage.status]).toEqual([401, 401, 401]);
    const [a, b, c] = await Promise.all([bad.json(), foreign.json(), garbage.json()]);
    expect(a).toEqual(b);
    expect(a).toEqual(c);
    expect(a).toEqual({ error: { code: 'invalid_token', message: expect.any(String) } });
  });

  it("401 for a token signed with another tenant's secret but claiming this tenant", async () => {
    const res = await get('/v1/tickets/202/handoff', await token({ iss: 'globex', secret: ACME.appSecret, ticket: 202 }));
    expect(res.status).toBe(401);
  });

  it("404 for another tenant's ticket (never leaks it)", async () => {
    const res = await get('/v1/tickets/202/handoff', await token({ ticket: 202 }));
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('globex secret');
    expect(JSON.parse(text)).toEqual({ error: { code: 'handoff_not_found', message: expect.any(String) } });
  });

  it('404 for an unknown ticket, 400 for a non-numeric id', async () => {
    expect((await get('/v1/tickets/999/handoff', await token({ ticket: 999 }))).status).toBe(404);
    const bad = await get('/v1/tickets/abc/handoff', await token());
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_ticket_id');
    expect((await get('/v1/tickets/0/handoff', await token())).status).toBe(400);
  });
});

describe('POST /v1/tickets/:id/handoff/feedback', () => {
  it('stores feedback (201) with the agent from the token once Zendesk vouched for them', async () => {
    const res = await post('/v1/tickets/101/handoff/feedback', { handoffId: acmeHandoff, accurate: false, comment: ' wrong order ' }, await token());
    expect(res.status).toBe(201);
    const fb = await store.listFeedback('acme', { helpdesk: 'zendesk', id: '101' });
    expect(fb.at(-1)).toMatchObject({ handoffId: acmeHandoff, accurate: false, comment: 'wrong order', agentId: AGENT });
  });

  it("404 for another tenant's handoff id or a mismatched ticket", async () => {
    expect((await post('/v1/tickets/202/handoff/feedback', { handoffId: globexHandoff, accurate: true }, await token({ ticket: 202 }))).status).toBe(404);
    expect((await post('/v1/tickets/999/handoff/feedback', { handoffId: acmeHandoff, accurate: true }, await token({ ticket: 999 }))).status).toBe(404);
    expect(await store.listFeedback('globex', { helpdesk: 'zendesk', id: '202' })).toHaveLength(0);
  });

  it('400 JSON (not 500) for malformed JSON', async () => {
    const res = await post('/v1/tickets/101/handoff/feedback', '{"handoffId": ', await token());
    expect(res.status).toBe(400);
    // The same code as the webhook: one table of error codes (server/http/errors.ts).
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
  });

  it('400 for invalid bodies', async () => {
    const tok = await token();
    for (const body of [{ accurate: true }, { handoffId: acmeHandoff, accurate: 'yes' }, { handoffId: acmeHandoff, accurate: true, comment: 'x'.repeat(2001) }, { handoffId: acmeHandoff, accurate: true, extra: 1 }, [1]]) {
      const res = await post('/v1/tickets/101/handoff/feedback', body, tok);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
  });

  it('415 for a non-JSON content type, 413 for a huge body, 401 before anything else', async () => {
    expect((await post('/v1/tickets/101/handoff/feedback', 'a=b', await token(), 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('/v1/tickets/101/handoff/feedback', { handoffId: acmeHandoff, accurate: true, comment: 'x'.repeat(20_000) }, await token())).status).toBe(413);
    expect((await post('/v1/tickets/101/handoff/feedback', '{bad', undefined)).status).toBe(401);
  });
});

describe('preview host (server side)', () => {
  it('answers a clear page telling to run npm run build when dist/ is missing', async () => {
    const { previewRouter } = await import('../../app/preview/preview-routes.ts');
    const app = express();
    const demo = tenant('demo', 'baton-demo', 'demo_app_secret_123');
    app.use(previewRouter({ config: { tenants: [demo], port: 0 } as unknown as Config, store, logger: pino({ level: 'silent' }), distDir: join(dir, 'no-dist') }));
    const srv = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/preview`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('proxies like Zendesk: settings substitution, secure settings only when secure, HS256 JWT, 502 when unreachable', async () => {
    const { proxyRequest } = await import('../../app/preview/preview-routes.ts');
    const { jwtVerify } = await import('jose');
    const seen: Array<{ url: string; headers: Record<string, string>; body?: string }> = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, headers: init.headers as Record<string, string>, ...(typeof init.body === 'string' ? { body: init.body } : {}) });
      return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const settings = { server_url: 'https://baton.test' };
    const secure = { shared_secret: 's3cret_value_123' };
    const res = await proxyRequest(
      {
        url: '{{setting.server_url}}/v1/x',
        type: 'POST',
        contentType: 'application/json',
        data: '{"a":1}',
        secure: true,
        headers: { Authorization: 'Bearer {{jwt.token}}' },
        jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', expiry: 60, claims: { iss: 'acme' } },
      },
      settings,
      secure,
      fakeFetch,
    );
    expect(res.status).toBe(200);
    expect(seen[0]!.url).toBe('https://baton.test/v1/x');
    expect(seen[0]!.body).toBe('{"a":1}');
    const token = seen[0]!.headers.Authorization!.replace('Bearer ', '');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secure.shared_secret), { algorithms: ['HS256'] });
    expect(payload.iss).toBe('acme');
    expect(payload.exp! - payload.iat!).toBe(60);

    // Not secure: the secure setting is not substituted (and so no JWT can be signed).
    const insecure = await proxyRequest({ url: 'https://baton.test/x', headers: { X: '{{setting.shared_secret}}' } }, settings, secure, fakeFetch);
    expect(insecure.status).toBe(200);
    expect(seen[1]!.headers.X).toBe('{{setting.shared_secret}}');
    const noJwt = await proxyRequest({ url: 'https://baton.test/x', jwt: { secret_key: '{{setting.shared_secret}}' } }, settings, secure, fakeFetch);
    expect(noJwt.status).toBe(400);

    const down = await proxyRequest({ url: 'http://127.0.0.1:1/v1/x' }, settings, secure);
    expect(down.status).toBe(502);
  });
});
