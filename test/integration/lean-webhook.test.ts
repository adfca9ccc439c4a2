/**
 * The lean node:http path of the generic webhook (server/http/lean-webhook.ts) answers exactly as the Express
 * route does. One Baton (real server, real SQLite, Zendesk sandbox); the same requests go to its own port (lean
 * path in front of Express) and to a second server that serves the same Express app alone (same store, same
 * inbox). Express puts an ETag on every JSON answer and the lean path does not, which tells which one answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ACME, startHarness, type Harness } from '../helpers/harness.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { genericWebhookTenant } from '../../server/http/lean-webhook.ts';

const MAX_BODY = 64 * 1024;
const sample = JSON.parse(readFileSync(fileURLToPath(new URL('../../samples/01-lost-cancellation.json', import.meta.url)), 'utf8')) as Record<string, unknown>;

interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}
interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  json: unknown;
}

function send(port: number, s: Sent): Promise<Got> {
  return new Promise((resolve, reject) => {
    const body = s.body === undefined ? undefined : Buffer.from(s.body);
    const headers: Record<string, string | number> = { ...s.headers };
    if (body && !s.chunked) headers['content-length'] = body.length;
    const req = request({ host: '127.0.0.1', port, method: s.method ?? 'POST', path: s.path ?? '/v1/tenants/acme/handoffs', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = text;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON: compared as text */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    if (body && s.chunked) {
      req.write(body.subarray(0, 10));
      req.write(body.subarray(10));
    } else if (body) req.write(body);
    req.end();
  });
}

const event = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ...sample, id, ...extra });
const signed = (body: string, headers: Record<string, string> = {}): Sent => ({
  body,
  headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(ACME.secrets[0]!, body), ...headers },
});

let h: Harness;
let expressOnly: Server;
let leanPort: number;
let expressPort: number;

beforeAll(async () => {
  h = await startHarness({ worker: false, maxBodyBytes: MAX_BODY });
  leanPort = h.baton.port;
  expressOnly = createServer(h.baton.app);
  await new Promise<void>((r) => expressOnly.listen(0, '127.0.0.1', () => r()));
  expressPort = (expressOnly.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => expressOnly?.close(() => r()));
  await h?.close();
});

/** Sends `make(tag)` to both servers (tag: 'lean' | 'express', for unique event ids) and returns both answers. */
async function both(make: (tag: string) => Sent): Promise<{ lean: Got; express: Got }> {
  const lean = await send(leanPort, make('lean'));
  const express = await send(expressPort, make('express'));
  return { lean, express };
}

/** Handoff ids differ between the two (different events): compared by shape. */
function shape(json: unknown): unknown {
  return JSON.parse(JSON.stringify(json).replace(/"ho_[0-9a-f]+"/g, '"ho_…"'));
}

const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'strict-transport-security', 'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy'];

function expectSameAnswer(r: { lean: Got; express: Got }, status: number): void {
  expect(r.lean.status).toBe(status);
  expect(r.express.status).toBe(status);
  expect(shape(r.lean.json)).toEqual(shape(r.express.json));
  expect(r.lean.headers['content-type']).toBe(r.express.headers['content-type']);
  for (const name of SECURITY_HEADERS) expect(r.lean.headers[name], name).toBe(r.express.headers[name]);
  expect(r.express.headers.etag).toBeDefined();
}

describe('the lean generic webhook answers as the Express route', () => {
  it('202 queued, then 200 duplicate, from the lean path', async () => {
    const first = await both((tag) => signed(event(`evt_lean_${tag}_1`)));
    expectSameAnswer(first, 202);
    expect(first.lean.json).toMatchObject({ status: 'queued' });
    expect(first.lean.headers.etag).toBeUndefined(); // answered by the lean path
    const again = await both((tag) => signed(event(`evt_lean_${tag}_1`)));
    expectSameAnswer(again, 200);
    expect(again.lean.json).toMatchObject({ status: 'duplicate', handoffId: (first.lean.json as { handoffId: string }).handoffId });
    expect(again.lean.headers.etag).toBeUndefined();
    // Stored and queued in the one store, as by Express.
    expect(await h.baton.store.jobCounts()).toMatchObject({ queued: 2 });
  });

  it.each([
    ['a wrong signature → 401', 401, (tag: string) => ({ ...signed(event(`evt_sig_${tag}`)), headers: { 'content-type': 'application/json', 'baton-signature': 't=1,v1=00' } })],
    ['an unknown tenant → 401 (same body)', 401, (tag: string) => ({ ...signed(event(`evt_unk_${tag}`)), path: '/v1/tenants/nobody/handoffs' })],
    ['a signed body that is not JSON → 400', 400, () => signed('{"id": ')],
    ['a body nested too deep → 422', 422, () => signed(`${'['.repeat(40)}${']'.repeat(40)}`)],
    ['a body that is not a handoff event → 422 with details', 422, (tag: string) => signed(JSON.stringify({ id: `evt_bad_${tag}`, messages: [] }))],
    ['a target helpdesk the tenant does not connect → 422 no_helpdesk', 422, (tag: string) => signed(event(`evt_ic_${tag}`, { ticket: undefined, intercom: { conversationId: '123' } }))],
    ['a query string → the same route', 202, (tag: string) => ({ ...signed(event(`evt_q_${tag}`)), path: '/v1/tenants/acme/handoffs?via=bot' })],
  ])('%s, from the lean path', async (_name, status, make) => {
    const r = await both(make);
    expectSameAnswer(r, status);
    expect(r.lean.headers.etag).toBeUndefined();
  });

  it.each([
    ['Content-Type text/plain → 415', 415, (tag: string) => signed(event(`evt_ct_${tag}`), { 'content-type': 'text/plain' })],
    ['charset=latin1 → 415 unsupported_charset', 415, (tag: string) => signed(event(`evt_cs_${tag}`), { 'content-type': 'application/json; charset=latin1' })],
    ['a body over maxBodyBytes → 413', 413, (tag: string) => signed(event(`evt_big_${tag}`, { pad: 'x'.repeat(MAX_BODY) }))],
    ['Content-Encoding: gzip → 415 unsupported_encoding', 415, (tag: string) => ({ ...signed(event(`evt_gz_${tag}`), { 'content-encoding': 'gzip' }), body: gzipSync(event(`evt_gz_${tag}`)) })],
    ['a chunked body → accepted', 202, (tag: string) => ({ ...signed(event(`evt_ch_${tag}`)), chunked: true })],
    ['a trailing slash → accepted', 202, (tag: string) => ({ ...signed(event(`evt_sl_${tag}`)), path: '/v1/tenants/acme/handoffs/' })],
    ['a percent-encoded tenant id → accepted', 202, (tag: string) => ({ ...signed(event(`evt_pc_${tag}`)), path: '/v1/tenants/%61cme/handoffs' })],
    ['GET → 404', 404, () => ({ method: 'GET' })],
  ])('%s, by Express behind the lean path', async (_name, status, make) => {
    const r = await both(make);
    expectSameAnswer(r, status);
    expect(r.lean.headers.etag).toBeDefined(); // Express answered on the lean port too
  });

  it('every other route is Express, on the same port', async () => {
    const health = await send(leanPort, { method: 'GET', path: '/healthz' });
    expect(health).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(health.headers.etag).toBeDefined();
  });
});

describe('genericWebhookTenant', () => {
  it('takes only the plain generic path', () => {
    expect(genericWebhookTenant('/v1/tenants/acme/handoffs')).toBe('acme');
    expect(genericWebhookTenant('/v1/tenants/acme/handoffs?x=1')).toBe('acme');
    for (const url of ['/v1/tenants//handoffs', '/v1/tenants/handoffs', '/v1/tenants/a/b/handoffs', '/v1/tenants/%61/handoffs', '/v1/tenants/acme/handoffs/', '/v1/tenants/acme/bots/rasa', '/V1/tenants/acme/handoffs']) {
      expect(genericWebhookTenant(url), url).toBeUndefined();
    }
  });
});
