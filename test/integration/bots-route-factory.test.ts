/**
 * The route factory with an adapter of its own (not a registered platform), on a real HTTP server: the order of
 * checks, several events per request, an adapter that throws (still a 4xx), and an adapter's own answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { botRoute } from '../../server/bots/route-factory.ts';
import type { BotAdapter } from '../../server/bots/bot-adapter.ts';
import { Inbox } from '../../server/pipeline/inbox.ts';
import type { Store } from '../../server/store/store.ts';
import { openSuiteStore } from '../helpers/test-store.ts';
import { createLogger } from '../../server/logger.ts';
import { errorHandler } from '../../server/http/errors.ts';
import type { Config, TenantConfig } from '../../server/config.ts';
import type { HandoffEvent } from '../../server/types/handoff-event.ts';

const tenant = { id: 'acme', webhookSecrets: ['whsec_x_123'], helpdesks: { zendesk: {} }, defaultHelpdesk: 'zendesk', analysis: {} } as unknown as TenantConfig;
const event = (id: string): HandoffEvent => ({
  id: `generic:${id}`,
  tenantId: 'acme',
  source: 'generic',
  receivedAt: '2026-11-29T00:00:00.000Z',
  trigger: { kind: 'unknown', nativeType: 'test' },
  conversation: { nativeId: id },
  customer: {},
  messages: [{ role: 'customer', text: 'hi' }],
  transcriptComplete: true,
  target: { helpdesk: 'zendesk', id: '1' },
  raw: {},
});

/** Header `x-key: good` authenticates; body `{ids: [...]}` → one event per id; `{boom: true}` throws; `{skip: true}` is ignored. */
const adapter: BotAdapter<{ ok: true }> = {
  name: 'test',
  path: '/v1/tenants/:tenantId/bots/test',
  source: 'generic',
  settingsOf: (t) => (t.id === 'acme' ? { ok: true } : undefined),
  verify: ({ header }) => (header('x-key') === 'good' ? { ok: true } : { ok: false, reason: 'bad' }),
  parse: (body) => {
    const b = body as { ids?: string[]; boom?: boolean; skip?: boolean };
    if (b.boom) throw new Error('adapter bug');
    if (b.skip) return { kind: 'ignored', reason: 'skipped' };
    if (!Array.isArray(b.ids)) return { kind: 'invalid', message: 'no ids', errors: [{ field: 'ids', problem: 'must be a list' }] };
    return { kind: 'handoffs', events: b.ids.map(event) };
  },
};

let server: Server;
let store: Store;
let url: string;
let dir: string;
let woken = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-factory-'));
  store = await openSuiteStore(join(dir, 'b.sqlite'));
  const config = { maxBodyBytes: 2048, signatureToleranceSec: 300 } as Config;
  const logger = createLogger('silent');
  // The app's error middleware answers body-parser failures (413, aborted) with the same table as every route.
  const app = express()
    .use(botRoute(adapter, { config, inbox: new Inbox(store), logger, tenants: new Map([['acme', tenant]]), onAccepted: () => woken++ }))
    .use(errorHandler(logger));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/tenants`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (tenantId: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json', 'x-key': 'good' }) => fetch(`${url}/${tenantId}/bots/test`, { method: 'POST', headers, body });

describe('bot route factory', () => {
  it('checks in order: 415, 413, 401 (unknown tenant, no settings, bad credential alike), 400, 422 depth, 422 adapter', async () => {
    const big = JSON.stringify({ ids: ['x'.repeat(3000)] });
    const cases: Array<[Promise<Response>, number, string]> = [
      [post('acme', '{}', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type'],
      [post('acme', big, { 'content-type': 'application/json' }), 413, 'payload_too_large'],
      [post('acme', '{', { 'content-type': 'application/json', 'x-key': 'bad' }), 401, 'invalid_signature'],
      [post('globex', '{}'), 401, 'invalid_signature'],
      [post('acme', '{'), 400, 'malformed_json'],
      [post('acme', `${'['.repeat(40)}${']'.repeat(40)}`), 422, 'invalid_handoff'],
      [post('acme', '{"ids":3}'), 422, 'invalid_handoff'],
    ];
    for (const [p, status, code] of cases) {
      const r = await p;
      expect([r.status, ((await r.json()) as { error: { code: string } }).error.code]).toEqual([status, code]);
    }
  });

  it('an adapter that throws on a body still gets the sender a 422, never a 5xx', async () => {
    const r = await post('acme', '{"boom":true}');
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ error: { code: 'invalid_handoff', message: 'Body could not be read as a test handoff' } });
  });

  it('stores every event of a request; answers 202 with each, then 200 duplicate; ignored is 200 and wakes nobody', async () => {
    const before = woken;
    const first = await post('acme', '{"ids":["a","b"]}');
    expect(first.status).toBe(202);
    const b1 = (await first.json()) as { status: string; handoffs: Array<{ handoffId: string; status: string }> };
    expect(b1.status).toBe('queued');
    expect(b1.handoffs.map((h) => h.status)).toEqual(['queued', 'queued']);
    expect(woken).toBe(before + 1);
    const again = await post('acme', '{"ids":["a","b"]}');
    expect(again.status).toBe(200);
    expect(((await again.json()) as typeof b1).handoffs.map((h) => [h.handoffId, h.status])).toEqual(b1.handoffs.map((h) => [h.handoffId, 'duplicate']));
    const one = await post('acme', '{"ids":["a"]}');
    expect([one.status, await one.json()]).toEqual([200, { handoffId: b1.handoffs[0]!.handoffId, status: 'duplicate' }]);
    const skip = await post('acme', '{"skip":true}');
    expect([skip.status, await skip.json()]).toEqual([200, { status: 'ignored', reason: 'skipped' }]);
    const none = await post('acme', '{"ids":[]}');
    expect([none.status, await none.json()]).toEqual([200, { status: 'ignored', reason: 'no handoff in this request' }]);
    expect(woken).toBe(before + 1);
  });
});
