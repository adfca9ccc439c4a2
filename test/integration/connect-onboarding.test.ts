/**
 * Issue 13's "npm start → connected sandbox tenant" path, on a real sandbox-mode Baton (startBaton, as `npm start`
 * runs it): the same Connect flow an admin uses (consent page → Allow → callback), no file edited; the new tenant's
 * signed webhook is accepted at once and its handoff written to the sandbox Zendesk with the OAuth token. Then the
 * token is revoked: the next handoff is not dead-lettered, the tenant's Zendesk is marked disconnected, and the
 * tenant's alert destination (a local HTTP receiver) is told. Connect Intercom works the same way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { freePort } from '../helpers/child-server.ts';
import { waitFor } from '../helpers/harness.ts';

const ADMIN = 'admin-token-onboarding-test-0123456789';
let baton: BatonInstance;
let dir: string;
let receiver: Server;
let receiverUrl: string;
const alerts: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-onboarding-'));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      alerts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  const config = loadConfig({ PORT: String(await freePort()), HOST: '127.0.0.1', BATON_DATA_DIR: dir, BATON_ADMIN_TOKEN: ADMIN });
  baton = await startTestBaton(config, { logger: createLogger('silent'), distDir: join(dir, 'no-dist') });
});

afterAll(async () => {
  await baton?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** Walks the Connect flow like a browser: start → consent page → Allow → callback (JSON answer). */
async function connect(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const start = await fetch(`${baton.url}${path}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const authorize = new URL(start.headers.get('location') as string);
  expect(authorize.origin).toBe(baton.url);
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) form.set(m[1] as string, (m[2] as string).replaceAll('&amp;', '&'));
  form.set('decision', 'allow');
  const decided = await fetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
  expect(decided.status).toBe(302);
  const res = await fetch(decided.headers.get('location') as string, { headers: { cookie, accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function handoffBody(id: string): string {
  const sample = JSON.parse(readFileSync(join(import.meta.dirname, '../../samples/01-lost-cancellation.json'), 'utf8')) as Record<string, unknown>;
  return JSON.stringify({ ...sample, id });
}

async function post(tenantId: string, secret: string, body: string): Promise<string> {
  const res = await fetch(`${baton.url}/v1/tenants/${tenantId}/handoffs`, { method: 'POST', headers: { 'content-type': 'application/json', 'Baton-Signature': signBatonPayload(secret, body) }, body });
  expect(res.status).toBe(202);
  return ((await res.json()) as { handoffId: string }).handoffId;
}

describe('onboarding from npm start (sandbox mode)', () => {
  it('Connect Zendesk → tenant → signed webhook accepted and delivered; revoked token → disconnected, alert sent, job not dead', async () => {
    const { status, body } = await connect('/connect/zendesk?subdomain=acme');
    expect(status).toBe(201);
    expect(body.tenantId).toBe('acme');
    const secret = (body.secrets as { webhookSecret: string }).webhookSecret;
    expect(body.webhookUrl).toBe(`${baton.url}/v1/tenants/acme/handoffs`);

    const put = await fetch(`${baton.url}/v1/admin/tenants/acme/alerts`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: receiverUrl, format: 'json' }) });
    expect(put.status).toBe(204);

    const first = await post('acme', secret, handoffBody('evt_onboard_1'));
    await waitFor(async () => (await baton.store.getJob(first))?.state === 'done', 'the first handoff delivered with the OAuth token');

    const token = (baton.tenants.get('acme')?.helpdesks.zendesk as { oauthToken: string }).oauthToken;
    const revoke = await fetch(`${baton.url}/sandbox/zendesk/api/v2/oauth/tokens/current.json`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(revoke.status).toBe(204);

    const second = await post('acme', secret, handoffBody('evt_onboard_2'));
    await waitFor(() => baton.tenants.isDisconnected('acme', 'zendesk'), 'the tenant marked disconnected');
    await waitFor(() => alerts.some((a) => a.kind === 'helpdesk_disconnected' && a.tenantId === 'acme'), 'the disconnected alert');
    const job = await baton.store.getJob(second);
    expect(job?.state).not.toBe('dead');
    expect(job?.lastError).toMatch(/401/);

    // The admin re-connects through the same flow: same tenant, disconnected state cleared.
    const again = await connect('/connect/zendesk?subdomain=acme');
    expect(again.status).toBe(200);
    expect(baton.tenants.isDisconnected('acme', 'zendesk')).toBe(false);

    // A handoff for a ticket Zendesk does not have is dead-lettered, and the tenant's admins are told.
    const sample = JSON.parse(handoffBody('evt_onboard_3')) as { ticket: { id: number } };
    const dead = await post('acme', secret, JSON.stringify({ ...sample, ticket: { id: 999999 } }));
    await waitFor(async () => (await baton.store.getJob(dead))?.state === 'dead', 'the dead letter').catch(async (err: unknown) => {
      throw new Error(`${String(err)}: ${JSON.stringify(await baton.store.getJob(dead))}`);
    });
    await waitFor(() => alerts.find((a) => a.kind === 'dead_letter' && String(a.message).includes(dead)), 'the dead-letter alert');
  });

  it('Connect Intercom → a tenant with the sandbox workspace', async () => {
    const { status, body } = await connect('/connect/intercom');
    expect(status).toBe(201);
    const section = baton.tenants.get(body.tenantId as string)?.helpdesks.intercom as { accessToken: string; adminId: string };
    expect(section.adminId).toBe('814860');
  });

  it('a malformed subdomain is refused with 400 before any redirect', async () => {
    // Sandbox mode lets this machine start without a link; production needs one (connect-oauth.test.ts).
    const res = await fetch(`${baton.url}/connect/zendesk?subdomain=${encodeURIComponent('bad name')}`, { redirect: 'manual', headers: { accept: 'application/json' } });
    expect(res.status).toBe(400);
  });
});
