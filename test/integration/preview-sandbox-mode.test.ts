/**
 * Issue 7, item 9: sandbox mode stays on one laptop. A real Baton in sandbox mode (no BATON_CONFIG) on a
 * free loopback port, with a stub dist/ so /preview renders without a Vite build, and a "catcher" HTTP
 * server standing for any other host the proxy could be aimed at.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { createCallLog, CALL_LOG_MAX } from '../../sandbox/kit/call-log.ts';
import { startZendeskSandbox } from '../../sandbox/zendesk/index.ts';

let dir: string;
let baton: BatonInstance;
let catcher: Server;
let catcherUrl: string;
const caught: Array<{ url: string; headers: IncomingMessage['headers'] }> = [];

/** node:http, because fetch() will not let us set Host, Origin or Sec-Fetch-Site freely. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: baton.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const proxy = (options: Record<string, unknown>, headers: Record<string, string> = {}) =>
  raw('POST', '/preview/proxy', { 'content-type': 'application/json', ...headers }, JSON.stringify({ options }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-sandbox-mode-'));
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'assets', 'iframe.html'), '<!doctype html><title>stub</title>');
  writeFileSync(join(dist, 'manifest.json'), '{}');
  baton = await startTestBaton(loadConfig({ PORT: '0', HOST: '127.0.0.1', BATON_DATA_DIR: join(dir, 'data') }), {
    logger: createLogger('silent'),
    distDir: dist,
    worker: false,
  });
  catcher = createServer((req, res) => {
    caught.push({ url: req.url ?? '', headers: req.headers });
    res.end('caught');
  });
  await new Promise<void>((r) => catcher.listen(0, '127.0.0.1', () => r()));
  catcherUrl = `http://127.0.0.1:${(catcher.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await baton?.close();
  await new Promise<void>((r) => catcher.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('HOST', () => {
  it('sandbox mode refuses a non-loopback HOST unless BATON_ALLOW_PUBLIC_SANDBOX=1', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/BATON_ALLOW_PUBLIC_SANDBOX=1/);
    expect(() => loadConfig({ HOST: '192.168.1.20' })).toThrow(ConfigError);
    expect(loadConfig({ HOST: '0.0.0.0', BATON_ALLOW_PUBLIC_SANDBOX: '1' }).allowPublicSandbox).toBe(true);
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(loadConfig({ HOST: h }).host).toBe(h);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('::')).toBe(false);
  });
});

describe('/preview/proxy calls only Baton', () => {
  it('never substitutes the secure setting or the JWT into a URL, and never calls another host', async () => {
    const leak = await proxy({ url: `${catcherUrl}/leak/{{setting.shared_secret}}`, secure: true });
    expect(leak.status).toBe(200);
    expect(JSON.parse(leak.text)).toMatchObject({ status: 400 });
    const jwtLeak = await proxy({
      url: `${catcherUrl}/leak/{{jwt.token}}`,
      secure: true,
      jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', expiry: 3600, claims: { iss: 'baton-demo' } },
    });
    expect(JSON.parse(jwtLeak.text)).toMatchObject({ status: 400 });
    // Even with the placeholder only in a header, another host is not called.
    const elsewhere = await proxy({ url: `${catcherUrl}/v1/tickets/1/handoff`, secure: true, headers: { Authorization: 'Bearer {{setting.shared_secret}}' } });
    expect(JSON.parse(elsewhere.text)).toMatchObject({ status: 400 });
    expect(caught).toEqual([]);
  });

  it('refuses Baton URLs outside the sidebar API (path-prefix checked after normalisation)', async () => {
    for (const url of ['{{setting.server_url}}/v1/admin/jobs', '{{setting.server_url}}/v1/tickets/../admin/jobs', '{{setting.server_url}}/sandbox/zendesk/', '{{setting.server_url}}/v1/tickets/1/handoff?t={{jwt.token}}']) {
      const res = await proxy({ url, secure: true });
      expect(JSON.parse(res.text), url).toMatchObject({ status: 400 });
    }
    const ok = await proxy({ url: '{{setting.server_url}}/v1/tickets/35436/handoff', secure: true });
    expect(JSON.parse(ok.text)).toMatchObject({ status: 401 }); // reached Baton's sidebar API (no token sent)
  });

  it('is refused cross-site (Origin / Sec-Fetch-Site)', async () => {
    const url = '{{setting.server_url}}/v1/tickets/35436/handoff';
    expect((await proxy({ url }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await proxy({ url }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await proxy({ url }, { origin: baton.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });
});

describe('server_url and Host', () => {
  const configOf = (html: string) => JSON.parse(/<script type="application\/json" id="preview-config">(.*?)<\/script>/s.exec(html)![1]!) as { settings: { server_url: string } };

  it('server_url comes from the config and the bound port, not the Host header', async () => {
    const page = await raw('GET', '/preview', { host: `localhost:${baton.port + 1}` });
    expect(page.status).toBe(200);
    expect(configOf(page.text).settings.server_url).toBe(baton.url);
  });

  it('a non-loopback Host (DNS rebinding) gets 403 on /preview and /sandbox/zendesk', async () => {
    for (const path of ['/preview', '/preview/host.js', '/sandbox/zendesk/', '/sandbox/zendesk/tickets/35436']) {
      const res = await raw('GET', path, { host: 'evil.example' });
      expect(res.status, path).toBe(403);
      expect(JSON.parse(res.text)).toEqual({ error: { code: 'host_not_allowed', message: expect.any(String) } });
    }
    expect((await raw('GET', '/sandbox/zendesk/', { host: `127.0.0.1:${baton.port}` })).status).toBe(200);
  });

  it('serves the Intercom sandbox at /sandbox/intercom, behind the same loopback Host guard', async () => {
    for (const path of ['/sandbox/intercom/', '/sandbox/intercom/conversations/215468352873095', '/sandbox/intercom/me']) {
      expect((await raw('GET', path, { host: 'evil.example', authorization: 'Bearer ic_sandbox_token' })).status, path).toBe(403);
    }
    const me = await raw('GET', '/sandbox/intercom/me', { host: `127.0.0.1:${baton.port}`, authorization: 'Bearer ic_sandbox_token' });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ type: 'admin' });
    const page = await raw('GET', '/sandbox/intercom/conversations/215468352873095', { host: `127.0.0.1:${baton.port}`, accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-part-type="assignment"');
  });
});

describe('POST /preview/seed', () => {
  it('403 cross-site, 405 for GET, 303 from this origin', async () => {
    const seeded = () => baton.store.getReportFor('demo', { helpdesk: 'zendesk', id: '35439' });
    expect((await raw('POST', '/preview/seed?ticket=35439', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw('POST', '/preview/seed?ticket=35439', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await raw('POST', '/preview/seed?ticket=35439', { origin: 'null' })).status).toBe(403);
    const get = await raw('GET', '/preview/seed?ticket=35439');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(await seeded()).toBeUndefined();
    expect((await raw('POST', '/preview/seed?ticket=35439', { origin: baton.url, 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    expect(await seeded()).toBeDefined();
  });
});

describe("the sandbox's call log", () => {
  it('is a ring of the last calls', () => {
    const log = createCallLog(3);
    for (let i = 0; i < 5; i++) log.record({ seq: log.nextSeq() } as never);
    expect(log.calls.map((c) => c.seq)).toEqual([3, 4, 5]);
  });

  it(`keeps at most ${CALL_LOG_MAX} calls and no credential`, async () => {
    const sb = await startZendeskSandbox({ rateLimitPerMinute: 5000, specPath: false });
    try {
      const auth = `Basic ${Buffer.from('demo@baton.local/token:sandbox').toString('base64')}`;
      for (let i = 0; i < CALL_LOG_MAX + 20; i++) {
        const res = await fetch(`${sb.url}/api/v2/ticket_fields.json`, { headers: { authorization: auth, cookie: 'session=abc' } });
        await res.arrayBuffer();
      }
      expect(sb.calls).toHaveLength(CALL_LOG_MAX);
      expect(sb.calls[0]!.seq).toBe(21);
      const dump = JSON.stringify(sb.calls);
      expect(dump).not.toContain(auth.split(' ')[1]);
      expect(dump).not.toContain('session=abc');
      expect(sb.calls.at(-1)!.headers.authorization).toBe('[redacted]');
      expect(sb.calls.at(-1)!.credential).toBe(sb.credentialFingerprint(auth));
    } finally {
      await sb.close();
    }
  });
});
