/**
 * Alerts against a local HTTP receiver: the admin API stores a destination in the (encrypted) tenant
 * document, the test button delivers, alerts are rate-limited per kind per tenant with counts coalesced into
 * one summary, a disconnected helpdesk alerts through the registry, and sustained failures alert once.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listen } from '../helpers/listen.ts';
import type { Store } from '../../server/store/store.ts';
import { openSuiteStore } from '../helpers/test-store.ts';
import { openTenantRegistry } from '../../server/tenants/open-tenant-registry.ts';
import type { TenantRegistry } from '../../server/tenants/tenant-registry.ts';
import type { Config } from '../../server/config.ts';
import { Alerter, DeliveryFailureWatch } from '../../server/alerts/alerter.ts';
import { alertRouter } from '../../server/alerts/alert-routes.ts';
import { alertOnDisconnect } from '../../server/alerts/registry-alerts.ts';

const ADMIN = 'admin-token-for-alert-tests-0123456789';
let dir: string;
let registry: TenantRegistry;
let store: Store;
let receiver: Server;
let receiverUrl: string;
let received: Array<{ path: string; body: Record<string, unknown> }> = [];
let receiverStatus = 200;
let clock = Date.parse('2026-11-29T12:00:00Z');
let alerter: Alerter;
let server: Server;
let base: string;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-alerts-'));
  receiver = createServer((req, res) => {
    void readJson(req).then((body) => {
      received.push({ path: req.url ?? '', body });
      res.statusCode = receiverStatus;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  store = await openSuiteStore(join(dir, 'baton.db'));
  const config = { tenants: [], sandbox: false, dataDir: dir, adminToken: ADMIN, dbFile: join(dir, 'baton.db') } as unknown as Config;
  registry = await openTenantRegistry({ config, store, env: { BATON_MASTER_KEY: 'b'.repeat(64) }, pollMs: 0 });
  await registry.create({ id: 'initech', zendesk: { subdomain: 'initech', baseUrl: 'http://127.0.0.1:9', email: 'bot@initech.test', apiToken: 'tok_9' } });
  alerter = new Alerter({ destinationOf: (id) => registry.get(id)?.alerts, logger: pino({ level: 'silent' }), now: () => clock, timers: false });
  alertOnDisconnect(registry, alerter);
  const app = express();
  app.use(alertRouter({ adminToken: () => ADMIN, tenants: registry, alerter }));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  alerter.close();
  registry.close();
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => receiver.close(() => r()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
  receiverStatus = 200;
});

const admin = (path: string, method: string, body?: unknown): Promise<Response> =>
  fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

describe('alerts', () => {
  it('test button: 409 before a destination is set, then 200 delivered; the URL is not in the database file in clear', async () => {
    expect((await admin('/v1/admin/tenants/initech/alerts/test', 'POST')).status).toBe(409);
    expect((await admin('/v1/admin/tenants/initech/alerts', 'PUT', { url: `${receiverUrl}/hooks/T000/B000/secretpath42`, format: 'slack', minIntervalMinutes: 10 })).status).toBe(204);
    const res = await admin('/v1/admin/tenants/initech/alerts/test', 'POST');
    expect(res.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe('/hooks/T000/B000/secretpath42');
    expect(String(received[0]?.body.text)).toContain('Test alert');
    const files = readdirSync(dir).filter((f) => f.startsWith('baton.db'));
    for (const f of files) expect(readFileSync(join(dir, f)).includes(Buffer.from('secretpath42'))).toBe(false);
  });

  it('refuses: no admin token 401, unknown tenant 404, a non-https URL 400, a failing receiver 502', async () => {
    expect((await fetch(`${base}/v1/admin/tenants/initech/alerts/test`, { method: 'POST' })).status).toBe(401);
    expect((await admin('/v1/admin/tenants/nobody/alerts/test', 'POST')).status).toBe(404);
    expect((await admin('/v1/admin/tenants/initech/alerts', 'PUT', { url: 'http://example.com/hook' })).status).toBe(400);
    receiverStatus = 500;
    const res = await admin('/v1/admin/tenants/initech/alerts/test', 'POST');
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('alert_delivery_failed');
  });

  it('rate limit: one message per kind per window, the rest coalesced into one summary with the count', async () => {
    for (let i = 0; i < 4; i++) alerter.notify({ tenantId: 'initech', kind: 'dead_letter', message: `handoff h${i} dead-lettered` });
    alerter.notify({ tenantId: 'initech', kind: 'delivery_failing', message: 'another kind goes out on its own' });
    await alerter.settle();
    expect(received.map((r) => String(r.body.text))).toEqual([expect.stringContaining('h0'), expect.stringContaining('another kind')]);
    await alerter.flushDue();
    expect(received).toHaveLength(2);
    clock += 10 * 60_000;
    await alerter.flushDue();
    expect(received).toHaveLength(3);
    expect(String(received[2]?.body.text)).toMatch(/3 more since .*h3 dead-lettered.*\(3 alerts of this kind/);
  });

  it('a helpdesk marked disconnected alerts through the registry; sustained failures alert once per streak', async () => {
    clock += 60 * 60_000;
    await registry.markDisconnected('initech', 'zendesk', 'HTTP 401 from Zendesk');
    await alerter.settle();
    expect(received).toHaveLength(1);
    expect(String(received[0]?.body.text)).toContain('Helpdesk disconnected');
    const watch = new DeliveryFailureWatch(alerter, 3);
    watch.failed('initech', 'zendesk', 'HTTP 503');
    watch.failed('initech', 'zendesk', 'HTTP 503');
    watch.succeeded('initech', 'zendesk');
    watch.failed('initech', 'zendesk', 'HTTP 503');
    watch.failed('initech', 'zendesk', 'HTTP 503');
    await alerter.settle();
    expect(received).toHaveLength(1);
    watch.failed('initech', 'zendesk', 'HTTP 503');
    await alerter.settle();
    expect(received).toHaveLength(2);
    expect(String(received[1]?.body.text)).toContain('3 zendesk writes in a row failed');
  });
});
