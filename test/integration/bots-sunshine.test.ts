/**
 * Sunshine Conversations end to end (issue 9, platform 1): a real Baton, the sandbox Sunshine and the sandbox
 * Zendesk. Note mode: the bot passes control to the agent workspace itself; Zendesk creates the messaging ticket;
 * Baton writes exactly one private note to THAT ticket, whichever of the two webhooks comes first. Relay mode:
 * control comes to Baton, which analyses and passes it on with metadata that fills the ticket, then notes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { batonNotes, startSunshineHarness, HANDOFF_FIELD_ID, ZD_SIGNING_SECRET, type SunshineHarness } from './bots-sunshine-harness.ts';
import { waitFor } from './intercom-harness.ts';
import { signTicketCreated } from '../../sandbox/sunshine/index.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/bot-platforms/sunshine-conversations/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

let h: SunshineHarness;
beforeAll(async () => {
  h = await startSunshineHarness();
}, 30_000);
afterAll(async () => {
  await h?.close();
});

function newConversation(name = 'Dana') {
  return h.sunshine.addConversation({
    user: { givenName: name, surname: 'Whitfield', email: `${name.toLowerCase()}@example.com`, externalId: `cust-${name}` },
    messages: [
      { from: 'user', text: 'I was charged twice for order #A-20931.' },
      { from: 'bot', text: 'Duplicate charges usually drop off in 3-5 days:', links: [{ text: 'Duplicate charges', uri: 'https://help.example.com/dup' }] },
      { from: 'user', text: 'Both charges posted! I want to talk to a real person.' },
    ],
  });
}

const handoffIdOf = async (res: Response): Promise<string> => {
  expect(res.status).toBe(202);
  return ((await res.json()) as { handoffId: string }).handoffId;
};

describe('Sunshine note mode', () => {
  it('writes one note to the messaging ticket when the passControl webhook comes before the ticket', async () => {
    const c = newConversation('Ada');
    h.sunshine.setActive(c.id, 'zd-agentWorkspace');
    const handoffId = await handoffIdOf(await h.postWebhook('noteco', h.sunshine.passControlEvent(c.id)));
    // The job waits for the ticket: not dead, not written, no ticket created by Baton.
    await waitFor(async () => (await h.baton.store.getJob(handoffId))?.lastError?.startsWith('waiting for the zendesk object'), 'the job to wait');
    expect(h.zendesk.writes().filter((w) => w.method === 'POST')).toEqual([]);
    h.agentWorkspaceTenant.id = 'noteco';
    h.bridges.noteco!.onAgentWorkspace(c, { at: Date.now(), to: c.active, metadata: {} });
    await h.bridges.noteco!.idle();
    await waitFor(async () => (await h.baton.store.getJob(handoffId))?.state === 'done', 'the note');
    const ref = (await h.baton.store.getReport(handoffId))!.ref!;
    const ticketId = Number(ref.id);
    expect(ref.helpdesk).toBe('zendesk');
    expect(batonNotes(h.zendesk, ticketId)).toHaveLength(1);
    expect(batonNotes(h.zendesk, ticketId)[0]).toContain(`baton-handoff:${handoffId}`);
    expect(h.zendesk.state.tickets.get(ticketId)!.tags).toContain('baton_handoff');
  });

  it('writes one note when the ticket comes first, and a retried webhook is a duplicate', async () => {
    const c = newConversation('Grace');
    h.sunshine.setActive(c.id, 'zd-agentWorkspace');
    h.bridges.noteco!.onAgentWorkspace(c, { at: Date.now(), to: c.active, metadata: {} });
    await h.bridges.noteco!.idle();
    const body = h.sunshine.passControlEvent(c.id);
    const handoffId = await handoffIdOf(await h.postWebhook('noteco', body));
    // Sunshine retries the same delivery (up to 5 times over 15 minutes): same handoff, nothing twice.
    const again = await h.postWebhook('noteco', body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ handoffId, status: 'duplicate' });
    await waitFor(async () => (await h.baton.store.getJob(handoffId))?.state === 'done', 'the note');
    const ticketId = Number((await h.baton.store.getReport(handoffId))!.ref!.id);
    expect(batonNotes(h.zendesk, ticketId)).toHaveLength(1);
    // The transcript was fetched: customer, bot turns and the customer's name from the user record.
    const report = (await h.baton.store.getReport(handoffId))!.report;
    expect(report.transcript.map((m) => m.role)).toEqual(['customer', 'bot', 'customer']);
    expect(report.context.customerName).toBe('Grace Whitfield');
    expect(h.sunshine.calls.filter((x) => !x.valid)).toEqual([]);
    expect(h.sunshine.calls.some((x) => x.operation === 'ListMessages')).toBe(true);
    expect(h.zendesk.calls.filter((x) => !x.valid).map((x) => x.path)).toEqual([]);
  });

  it('ignores control passed anywhere but the agent workspace, and other events, with the reason', async () => {
    const res = await h.postWebhook('noteco', { ...fixture('webhook-switchboard-passControl.json'), app: { id: h.sunshine.state.appId } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ignored', reason: expect.stringContaining('not to zd:agentWorkspace') });
    for (const name of ['webhook-switchboard-offerControl.json', 'webhook-switchboard-acceptControl.json', 'webhook-switchboard-releaseControl.json', 'webhook-conversation-message.json']) {
      const r = await h.postWebhook('noteco', { ...fixture(name), app: { id: h.sunshine.state.appId } });
      expect(r.status, name).toBe(200);
      expect(((await r.json()) as { status: string }).status, name).toBe('ignored');
    }
  });

  it('handles each event of a POST carrying several', async () => {
    const a = newConversation('Alan');
    const b = newConversation('Barbara');
    h.sunshine.setActive(a.id, 'zd-agentWorkspace');
    h.sunshine.setActive(b.id, 'zd-agentWorkspace');
    const ea = h.sunshine.passControlEvent(a.id) as { events: unknown[] };
    const eb = h.sunshine.passControlEvent(b.id) as { events: unknown[] };
    const offer = fixture('webhook-switchboard-offerControl.json') as { events: unknown[] };
    const res = await h.postWebhook('noteco', { app: { id: h.sunshine.state.appId }, webhook: { id: 'w', version: 'v2' }, events: [...ea.events, ...offer.events, ...eb.events] });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { handoffs: Array<{ handoffId: string; status: string }> };
    expect(body.handoffs.map((x) => x.status)).toEqual(['queued', 'queued']);
    for (const c of [a, b]) h.bridges.noteco!.onAgentWorkspace(c, { at: Date.now(), to: c.active, metadata: {} });
    await h.bridges.noteco!.idle();
    for (const { handoffId } of body.handoffs) await waitFor(async () => (await h.baton.store.getJob(handoffId))?.state === 'done', 'both notes');
    const tickets = await Promise.all(body.handoffs.map(async ({ handoffId }) => Number((await h.baton.store.getReport(handoffId))!.ref!.id)));
    expect(new Set(tickets).size).toBe(2);
    for (const t of tickets) expect(batonNotes(h.zendesk, t)).toHaveLength(1);
  });
});

describe('Sunshine relay mode', () => {
  it('analyses, passes control to the agent workspace with ticket metadata once, then notes the ticket Zendesk created', async () => {
    const c = newConversation('Linus');
    h.sunshine.setActive(c.id, 'baton');
    h.agentWorkspaceTenant.id = 'relayco';
    const handoffId = await handoffIdOf(await h.postWebhook('relayco', h.sunshine.passControlEvent(c.id)));
    await waitFor(async () => (await h.baton.store.getJob(handoffId))?.state === 'done', 'the note', 30_000);
    await h.bridges.relayco!.idle();
    const passes = h.sunshine.state.conversations.get(c.id)!.passes;
    expect(passes).toHaveLength(1);
    const meta = passes[0]!.metadata;
    expect(passes[0]!.to.integrationType).toBe('zd:agentWorkspace');
    expect(meta[`dataCapture.ticketField.${HANDOFF_FIELD_ID}`]).toBe(handoffId);
    expect(String(meta['dataCapture.systemField.tags'])).toContain('baton_handoff');
    expect(meta['dataCapture.systemField.requester.email']).toBe('linus@example.com');
    expect(meta.first_message_id).toBe(c.messages[0]!.id);
    expect(Buffer.byteLength(JSON.stringify(meta))).toBeLessThanOrEqual(4096);
    const ticketId = Number((await h.baton.store.getReport(handoffId))!.ref!.id);
    const ticket = h.zendesk.state.tickets.get(ticketId)!;
    // The ticket was filled at creation from the metadata (handoff id field, tags), then noted once.
    expect(ticket.custom_fields.find((f) => f.id === HANDOFF_FIELD_ID)?.value).toBe(handoffId);
    expect(batonNotes(h.zendesk, ticketId)).toHaveLength(1);
    const passCalls = h.sunshine.calls.filter((x) => x.operation === 'PassControl');
    expect(passCalls.every((x) => x.valid)).toBe(true);
  });

  it('does not pass control again when Baton is no longer in control (a retried job)', async () => {
    const c = newConversation('Edsger');
    // Control already moved on (an earlier try passed it, or an agent took it): relay must not pass again.
    h.sunshine.setActive(c.id, 'baton');
    const event = h.sunshine.passControlEvent(c.id);
    h.sunshine.setActive(c.id, 'zd-agentWorkspace');
    const handoffId = await handoffIdOf(await h.postWebhook('relayco', event));
    await waitFor(async () => (await h.baton.store.getJob(handoffId))?.lastError?.startsWith('waiting for the zendesk object'), 'the job to wait');
    expect(h.sunshine.state.conversations.get(c.id)!.passes).toEqual([]);
    h.bridges.relayco!.onAgentWorkspace(c, { at: Date.now(), to: c.active, metadata: {} });
    await h.bridges.relayco!.idle();
    await waitFor(async () => (await h.baton.store.getJob(handoffId))?.state === 'done', 'the note');
    expect(batonNotes(h.zendesk, Number((await h.baton.store.getReport(handoffId))!.ref!.id))).toHaveLength(1);
  });
});

describe('Sunshine webhook authentication', () => {
  it('answers 401 for a missing or wrong X-API-Key, an unknown tenant and a tenant without Sunshine, with one body', async () => {
    const body = h.sunshine.passControlEvent(newConversation('Mallory').id);
    const answers = await Promise.all([
      h.postWebhook('noteco', body, { apiKey: null }),
      h.postWebhook('noteco', body, { apiKey: 'sc_webhook_secret_2' }),
      h.postWebhook('nobody', body),
      h.postWebhook('plain', body),
    ]);
    const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, body: await r.json() })));
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(bodies[0]!.status).toBe(401);
  });

  it('answers 422 naming the field for a body of another app or without events, 400 for broken JSON', async () => {
    const other = await h.postWebhook('noteco', { app: { id: '000000000000000000000000' }, events: [] });
    expect(other.status).toBe(422);
    expect(JSON.stringify(await other.json())).toContain('app.id');
    expect((await h.postWebhook('noteco', '{"app":')).status).toBe(400);
  });
});

describe('Zendesk ticket-created webhook', () => {
  const post = (body: string, headers: Record<string, string>, tenant = 'noteco') =>
    fetch(`${h.baton.url}/v1/tenants/${tenant}/zendesk/ticket-created`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

  it('refuses a bad signature, a stale timestamp, an unknown tenant and a replay with 401; binds a good one', async () => {
    const body = JSON.stringify({ ticket_id: '99999', baton_handoff_id: '', sunshine_conversation_id: 'c0ffee00000000000000dead' });
    const now = new Date().toISOString();
    const good = signTicketCreated(ZD_SIGNING_SECRET, now, body);
    const bad = signTicketCreated('another_secret_1', now, body);
    const staleAt = new Date(Date.now() - 3600_000).toISOString();
    const stale = signTicketCreated(ZD_SIGNING_SECRET, staleAt, body);
    const r1 = await post(body, bad);
    expect(r1.status).toBe(401);
    expect(((await r1.json()) as { error: { code: string } }).error.code).toBe('invalid_webhook_signature');
    expect((await post(body, stale)).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, good, 'nobody')).status).toBe(401);
    expect((await post(body, good, 'plain')).status).toBe(401);
    const ok = await post(body, good);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'bound', ticketId: '99999' });
    const replay = await post(body, good);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('webhook_replayed');
  });

  it('answers 422 for a ticket id that is not one, 200 ignored when the ticket names no handoff or conversation', async () => {
    const send = (b: unknown) => {
      const raw = JSON.stringify(b);
      return post(raw, signTicketCreated(ZD_SIGNING_SECRET, new Date().toISOString(), raw));
    };
    const bad = await send({ ticket_id: '12ab' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('ticket_id');
    const none = await send({ ticket_id: '123', baton_handoff_id: '', sunshine_conversation_id: '' });
    expect(none.status).toBe(200);
    expect(((await none.json()) as { status: string }).status).toBe('ignored');
  });
});
