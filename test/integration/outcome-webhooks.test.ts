/**
 * Outcome webhooks (issue 11) on a real server and a real SQLite file: Zendesk's signed trigger calls and
 * Intercom's signed notification_events (copied from Intercom's own samples, test/fixtures/outcomes/intercom).
 * Signatures, replays, duplicates, events before the handoff row, repeat-yourself, re-escalation, tenants.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers and fixtures are read loosely in assertions */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config, type TenantConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { SqliteStore, Store } from '../../server/store/store.ts';
import type { PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import { openTestStore, testDatabase, type TestDatabase } from '../helpers/test-store.ts';
import { outcomeWebhookRouter } from '../../server/helpdesks/zendesk/outcome-webhook.ts';
import { intercomOutcomeRouter } from '../../server/helpdesks/intercom/outcome-webhook.ts';
import { signZendeskWebhook } from '../../server/helpdesks/zendesk/webhook-signature.ts';
import { signHubPayload } from '../../server/bots/intercom/verify.ts';
import { outcomesFor } from '../../server/outcomes/outcomes-service.ts';
import type { HandoffFacts } from '../../server/outcomes/handoff-facts.ts';
import { listen } from '../helpers/listen.ts';

const ZD_SECRET = { acme: 'zd_signing_acme_123', beta: 'zd_signing_beta_456' };
const IC_SECRET = 'ic_client_secret_acme';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'outcomes', 'intercom');

let dir: string;
let store: Store;
let db: TestDatabase;
let server: Server;
let base: string;
let config: Readonly<Config>;
const NOW = Date.now();
const HOUR = 3600_000;

function facts(over: Partial<HandoffFacts>): HandoffFacts {
  return {
    tenantId: 'acme', handoffId: 'ho_x', helpdesk: 'zendesk', refId: '101', customerKey: 'k1', acceptedAt: NOW - 2 * HOUR,
    reason: 'customer_requested_human', topic: 'billing_dispute', bot: 'Halo', source: 'generic', channel: 'web', priority: 'high',
    group: '360001', sentiment: 'negative', reasonText: 'I want a human', rejected: [],
    customerText: 'I was charged twice for my subscription renewal on 14 May, $89.90 each time.\nPlease refund the second charge on my card.',
    ...over,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-outcome-wh-'));
  const file = join(dir, 'baton.json');
  writeFileSync(file, JSON.stringify({
    tenants: [
      { id: 'acme', webhookSecrets: ['whsec_acme_1'], zendesk: { subdomain: 'acme', email: 'a@acme.test', apiToken: 't', webhookSigningSecret: ZD_SECRET.acme },
        intercom: { accessToken: 'tok', adminId: '1', clientSecret: IC_SECRET } },
      { id: 'beta', webhookSecrets: ['whsec_beta_1'], zendesk: { subdomain: 'beta', email: 'b@beta.test', apiToken: 't', webhookSigningSecret: ZD_SECRET.beta } },
      { id: 'nosecret', webhookSecrets: ['whsec_ns_1'], zendesk: { subdomain: 'nosecret', email: 'n@ns.test', apiToken: 't' } },
    ],
  }));
  config = loadConfig({ BATON_CONFIG: file, PORT: '0', BATON_DATA_DIR: dir });
  // The run's store: SQLite in dir, or a fresh Postgres database in the Postgres pass (test-store.ts).
  db = await testDatabase();
  store = await openTestStore(db, join(dir, 'baton.db'));
  const tenants = new Map<string, TenantConfig>(config.tenants.map((t) => [t.id, t]));
  const logger = createLogger('silent');
  const app = express();
  app.use(outcomeWebhookRouter({ config, store, logger, tenants }));
  app.use(intercomOutcomeRouter({ config, store, logger, tenants }));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function zd(tenant: string, body: unknown, opts: { secret?: string; timestamp?: string; raw?: string; contentType?: string } = {}): Promise<{ status: number; json: Record<string, any> }> {
  const raw = opts.raw ?? JSON.stringify(body);
  const timestamp = opts.timestamp ?? new Date().toISOString();
  const headers = { 'content-type': opts.contentType ?? 'application/json', ...signZendeskWebhook(opts.secret ?? ZD_SECRET[tenant as 'acme'] ?? 'x'.repeat(12), timestamp, raw) };
  const res = await fetch(`${base}/v1/tenants/${tenant}/zendesk/outcomes`, { method: 'POST', headers, body: raw });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function ic(body: unknown, opts: { secret?: string; tenant?: string } = {}): Promise<{ status: number; json: Record<string, any> }> {
  const raw = JSON.stringify(body);
  const res = await fetch(`${base}/v1/tenants/${opts.tenant ?? 'acme'}/intercom/outcomes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature': signHubPayload(opts.secret ?? IC_SECRET, raw) },
    body: raw,
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('Zendesk outcome webhook', () => {
  it('records the first agent reply once, whatever arrives twice', async () => {
    const o = outcomesFor(store);
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_zd_1', refId: '101' }));
    const body = { event: 'agent_reply', ticket_id: '101', comment_id: '9001', at: iso(NOW - 2 * HOUR + 240_000) };
    const first = await zd('acme', body);
    expect(first).toEqual({ status: 200, json: { status: 'recorded', ticketId: '101', kind: 'agent_reply', handoffs: 1 } });
    // A redelivery (a new signature, same comment) changes nothing.
    const again = await zd('acme', body, { timestamp: new Date(Date.now() + 1000).toISOString() });
    expect(again.json.status).toBe('duplicate');
    // A later agent comment does not move the first reply.
    await zd('acme', { event: 'agent_reply', ticket_id: '101', comment_id: '9002', at: iso(NOW - HOUR) });
    const row = await o.outcomes.get('acme', 'ho_zd_1');
    expect(row?.firstHumanReplyAt).toBe(Date.parse(body.at));
  });

  it('refuses the same signed delivery twice, bad and stale signatures, unknown tenants and tenants without a signing secret', async () => {
    const raw = JSON.stringify({ event: 'solved', ticket_id: '555', at: iso(NOW) });
    const timestamp = new Date().toISOString();
    expect((await zd('acme', null, { raw, timestamp })).status).toBe(200);
    const replay = await zd('acme', null, { raw, timestamp });
    expect(replay).toMatchObject({ status: 401, json: { error: { code: 'webhook_replayed' } } });
    expect((await zd('acme', { event: 'solved', ticket_id: '556' }, { secret: ZD_SECRET.beta })).json.error.code).toBe('invalid_webhook_signature');
    expect((await zd('acme', { event: 'solved', ticket_id: '557' }, { timestamp: new Date(Date.now() - 3600_000).toISOString() })).status).toBe(401);
    expect((await zd('nobody', { event: 'solved', ticket_id: '558' }, { secret: ZD_SECRET.acme })).status).toBe(401);
    expect((await zd('nosecret', { event: 'solved', ticket_id: '559' }, { secret: ZD_SECRET.acme })).status).toBe(401);
    const unsigned = await fetch(`${base}/v1/tenants/acme/zendesk/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
  });

  it('answers hostile bodies with 4xx JSON', async () => {
    expect(await zd('acme', null, { raw: '{"event": "solved", ' })).toMatchObject({ status: 400, json: { error: { code: 'malformed_json' } } });
    const bad = await zd('acme', { event: 'deleted', ticket_id: 'abc', comment_id: '-1', at: 'yesterday' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['at', 'comment_id', 'event', 'ticket_id']);
    expect((await zd('acme', { event: 'solved', ticket_id: '1', at: iso(NOW + 24 * HOUR) })).status).toBe(422);
    expect((await zd('acme', [1, 2])).status).toBe(422);
    expect((await zd('acme', { event: 'solved' }, { contentType: 'text/plain' })).status).toBe(415);
  });

  it('applies events that arrive before the handoff row (out of order), and flags repeat-yourself', async () => {
    const t0 = NOW - 3 * HOUR;
    await zd('acme', { event: 'customer_message', ticket_id: '202', comment_id: '7001', at: iso(t0 + 60_000),
      comment: 'As I said to the bot, I was charged twice. Card number 4111 1111 1111 1111.' });
    await zd('acme', { event: 'solved', ticket_id: '202', at: iso(t0 + 2 * HOUR) });
    await zd('acme', { event: 'agent_reply', ticket_id: '202', comment_id: '7002', at: iso(t0 + 300_000) });
    const o = outcomesFor(store);
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_zd_2', refId: '202', acceptedAt: t0, customerKey: 'k2' }));
    const row = await o.outcomes.get('acme', 'ho_zd_2');
    expect(row).toMatchObject({ firstHumanReplyAt: t0 + 300_000, solvedAt: t0 + 2 * HOUR, reopenedCount: 0, repeatYourself: true, repeatScore: 1 });
    expect(row?.repeatEvidence).toContain('phrase: As I said');
    // The card number was redacted before it was stored.
    const sql = "SELECT text FROM outcome_events WHERE ref_id = '202' AND kind = 'customer_message'";
    const stored = (store.kind === 'postgres' ? (await (store as PostgresStore).pool.query(sql)).rows[0] : (store as SqliteStore).connection.prepare(sql).get()) as { text: string };
    expect(stored.text).not.toContain('4111 1111 1111 1111');
    await zd('acme', { event: 'reopened', ticket_id: '202', at: iso(t0 + 3 * HOUR - 60_000) });
    expect((await o.outcomes.get('acme', 'ho_zd_2'))?.reopenedCount).toBe(1);
  });

  it("keeps tenants apart: another tenant's ticket with the same id changes nothing", async () => {
    const o = outcomesFor(store);
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_zd_3', refId: '303', acceptedAt: NOW - HOUR }));
    const r = await zd('beta', { event: 'agent_reply', ticket_id: '303', comment_id: '8001', at: iso(NOW - HOUR + 1000) });
    expect(r.json).toMatchObject({ status: 'recorded', handoffs: 0 });
    expect((await o.outcomes.get('acme', 'ho_zd_3'))?.firstHumanReplyAt).toBeNull();
  });

  it('links a re-escalation of the same customer within 7 days, in either order of arrival', async () => {
    const o = outcomesFor(store);
    const day = 24 * HOUR;
    // The later handoff is recorded first.
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_re_b', refId: '402', customerKey: 'cust-re', acceptedAt: NOW - 2 * day }));
    expect((await o.outcomes.get('acme', 'ho_re_b'))?.reEscalationOf).toBeNull();
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_re_a', refId: '401', customerKey: 'cust-re', acceptedAt: NOW - 5 * day }));
    expect((await o.outcomes.get('acme', 'ho_re_b'))?.reEscalationOf).toBe('ho_re_a');
    expect((await o.outcomes.get('acme', 'ho_re_a'))?.reEscalationOf).toBeNull();
    // Eight days later is not a re-escalation; another tenant's customer with the same key never is.
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_re_c', refId: '403', customerKey: 'cust-re', acceptedAt: NOW - 2 * day + 8 * day }));
    expect((await o.outcomes.get('acme', 'ho_re_c'))?.reEscalationOf).toBeNull();
    await o.outcomes.recordHandoff(facts({ tenantId: 'beta', handoffId: 'ho_re_d', refId: '404', customerKey: 'cust-re', acceptedAt: NOW - day }));
    expect((await o.outcomes.get('beta', 'ho_re_d'))?.reEscalationOf).toBeNull();
    // Recording a handoff again (a replayed delivery) keeps its outcomes.
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_re_b', refId: '402', customerKey: 'cust-re', acceptedAt: NOW - 2 * day }));
    expect((await o.outcomes.get('acme', 'ho_re_b'))?.reEscalationOf).toBe('ho_re_a');
  });
});

describe('Intercom outcome webhook', () => {
  const fixture = (name: string, conversationId: string, partId: string, createdAtSec: number, body?: string): Record<string, any> => {
    const f = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, any>;
    f.data.item.id = conversationId;
    const part = f.data.item.conversation_parts.conversation_parts[0];
    part.id = partId;
    part.created_at = createdAtSec;
    if (body !== undefined) part.body = body;
    f.id = `notif_${partId}`;
    return f;
  };

  it('records replies, closes and reopens of a handed-off conversation, once each', async () => {
    const t0 = NOW - 4 * HOUR;
    const s = (ms: number): number => Math.floor(ms / 1000);
    const o = outcomesFor(store);
    await o.outcomes.recordHandoff(facts({ handoffId: 'ho_ic_1', helpdesk: 'intercom', refId: '215468352873095', acceptedAt: t0, customerKey: 'k-ic' }));
    const reply = fixture('conversation.admin.replied', '215468352873095', '500001', s(t0) + 180);
    expect(await ic(reply)).toEqual({ status: 200, json: { status: 'recorded', conversationId: '215468352873095', kind: 'agent_reply', handoffs: 1 } });
    expect((await ic(reply)).json.status).toBe('duplicate');
    const user = fixture('conversation.user.replied', '215468352873095', '500002', s(t0) + 240,
      '<p>I was charged twice for my subscription renewal, $89.90 on 14 May, please refund the second charge on my card</p>');
    expect((await ic(user)).json.kind).toBe('customer_message');
    expect((await ic(fixture('conversation.admin.closed', '215468352873095', '500003', s(t0) + 3600))).json.kind).toBe('solved');
    expect((await ic(fixture('conversation.admin.opened', '215468352873095', '500004', s(t0) + 7200))).json.kind).toBe('reopened');
    const row = await o.outcomes.get('acme', 'ho_ic_1');
    expect(row).toMatchObject({ firstHumanReplyAt: (s(t0) + 180) * 1000, solvedAt: (s(t0) + 3600) * 1000, reopenedCount: 1, repeatYourself: true });
    expect(row?.repeatEvidence).toMatch(/^restated: /);
  });

  it('ignores other topics and parts, refuses bad signatures and non-events', async () => {
    const noted = fixture('conversation.admin.replied', '999', '600001', Math.floor(NOW / 1000));
    noted.topic = 'conversation.admin.noted';
    expect((await ic(noted)).json.status).toBe('ignored');
    const note = fixture('conversation.admin.replied', '999', '600002', Math.floor(NOW / 1000));
    note.data.item.conversation_parts.conversation_parts[0].part_type = 'note';
    expect((await ic(note)).json.status).toBe('ignored');
    expect((await ic(noted, { secret: 'wrong_secret_123' })).status).toBe(401);
    expect((await ic(noted, { tenant: 'beta' })).status).toBe(401);
    expect((await ic({ type: 'conversation' })).status).toBe(422);
    const badId = fixture('conversation.admin.replied', 'not-a-number', '600003', Math.floor(NOW / 1000));
    expect((await ic(badId)).status).toBe(422);
  });
});
