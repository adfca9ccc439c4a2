/**
 * Intercom end to end: a real Baton receives Intercom webhooks signed as Intercom signs them, fetches the
 * conversation and contact from the sandbox Intercom, and writes exactly one note and the tags per handoff;
 * every call is validated against Intercom's OpenAPI 2.16. Redeliveries, bad signatures, 429, 5xx, a write
 * whose answer was lost, and the generic webhook aimed at an Intercom conversation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { intercomHandoffMarker } from '../../server/helpdesks/intercom/render-note.ts';
import { INTERCOM_VERSION } from '../../server/helpdesks/intercom/client.ts';
import { signCanvasBody } from '../../server/helpdesks/intercom/canvas-signature.ts';
import { SEED_CONVERSATION_ID } from '../../sandbox/intercom/index.ts';
import { assignedWebhook, expectEveryIntercomCallMatchedSpec, GLOBEX_IC, startIntercomHarness, waitFor, type IntercomHarness } from './intercom-harness.ts';

let h: IntercomHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TAG_PATTERNS = [/^baton_handoff$/, /^baton_reason_[a-z0-9_]+$/, /^baton_sentiment_(negative|neutral|positive)$/, /^baton_topic_[a-z0-9_]+$/];

async function accepted(res: Response): Promise<string> {
  expect(res.status).toBe(202);
  const body = (await res.json()) as { handoffId: string; status: string };
  expect(body.status).toBe('queued');
  return body.handoffId;
}

function notesWith(hh: IntercomHarness, conversationId: string, handoffId: string) {
  return hh.sandbox.notes(conversationId).filter((n) => (n.body ?? '').includes(intercomHandoffMarker(handoffId)));
}

function tagNames(hh: IntercomHarness, conversationId: string): string[] {
  return (hh.sandbox.state.conversations.get(conversationId)?.tags ?? []).map((t) => t.name).sort();
}

function expectFourTags(names: string[]): void {
  expect(names).toHaveLength(4);
  for (const p of TAG_PATTERNS) expect(names.filter((n) => p.test(n)), String(p)).toHaveLength(1);
}

describe('Intercom handoff, end to end', () => {
  it('a Fin handoff: transcript fetched, exactly one note with the marker, the four tags, every call per spec', async () => {
    h = await startIntercomHarness();
    const id = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, SEED_CONVERSATION_ID)));
    await waitFor(() => h!.done(id), 'delivery');

    const notes = notesWith(h, SEED_CONVERSATION_ID, id);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.author).toMatchObject({ type: 'admin', id: '814860' });
    expectFourTags(tagNames(h, SEED_CONVERSATION_ID));

    // Order: the conversation and the contact are read before anything is written; the note comes before the tags.
    const ops = h.sandbox.calls.map((c) => c.operation);
    expect(ops.indexOf('retrieveConversation')).toBeLessThan(ops.indexOf('replyConversation'));
    expect(ops).toContain('ShowContact');
    expect(ops.indexOf('replyConversation')).toBeLessThan(ops.lastIndexOf('attachTagToConversation'));
    expect(h.sandbox.calls.filter((c) => c.operation === 'replyConversation')).toHaveLength(1);
    for (const c of h.sandbox.calls) {
      expect(c.headers['intercom-version']).toBe(INTERCOM_VERSION);
      expect(c.headers.authorization).toBe('[redacted]');
    }
    expect(h.sandbox.calls.filter((c) => c.operation === 'replyConversation')[0]?.headers['x-baton-handoff-id']).toBe(id);
    expectEveryIntercomCallMatchedSpec(h.sandbox);

    // The delivery is recorded against the conversation, and the report came from the fetched transcript.
    const report = await h.baton.store.getReportFor('globex', { helpdesk: 'intercom', id: SEED_CONVERSATION_ID });
    expect(report?.handoffId).toBe(id);
    const event = await h.baton.store.getEvent(id);
    expect(event?.transcriptComplete).toBe(true);
    expect(event?.messages.map((m) => m.role)).toEqual(['customer', 'bot', 'customer', 'bot']);

    // The inbox card for that conversation, asked for the way Intercom asks (module routes, X-Body-Signature).
    const initialize = JSON.stringify({ workspace_id: h.sandbox.state.workspaceId, admin: { id: '814860' }, conversation: { id: SEED_CONVERSATION_ID }, context: { location: 'conversation' } });
    const card = await fetch(`${h.baton.url}/v1/tenants/globex/intercom/canvas/initialize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Body-Signature': signCanvasBody(initialize, GLOBEX_IC.clientSecret) },
      body: initialize,
    });
    expect(card.status).toBe(200);
    const canvas = JSON.stringify(await card.json());
    expect(canvas).toContain('"components"');
    expect(canvas).toContain(report!.report.summary.text.slice(0, 40));
    const forged = await fetch(`${h.baton.url}/v1/tenants/globex/intercom/canvas/initialize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Body-Signature': signCanvasBody(initialize, 'not_the_secret') },
      body: initialize,
    });
    expect(forged.status).toBe(401);
  });

  it('a redelivery and a second notification of the same assignment are duplicates; still one note', async () => {
    h = await startIntercomHarness();
    const body = assignedWebhook(h.sandbox, SEED_CONVERSATION_ID, 'notif_1');
    const id = await accepted(await h.postWebhook(body));
    const again = await h.postWebhook(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ handoffId: id, status: 'duplicate' });
    const second = await h.postWebhook(assignedWebhook(h.sandbox, SEED_CONVERSATION_ID, 'notif_2'));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ handoffId: id, status: 'duplicate' });
    await waitFor(() => h!.done(id), 'delivery');
    expect(h.sandbox.notes(SEED_CONVERSATION_ID).filter((n) => (n.body ?? '').includes('baton-handoff:'))).toHaveLength(1);
  });

  it('answers in the fixed order: 415, 413, 401 (same body for bad signature and unknown tenant), 400, 422, then 200 ignored', async () => {
    h = await startIntercomHarness({ extra: { maxBodyBytes: 4096 } });
    const body = JSON.stringify({ type: 'notification_event', topic: 'ping', data: { item: {} } });
    expect((await h.postWebhook(body, { contentType: 'text/plain' })).status).toBe(415);
    expect((await h.postWebhook('x'.repeat(5000), { signature: 'sha1=00' })).status).toBe(413);
    const bad = await h.postWebhook(body, { signature: `sha1=${'0'.repeat(40)}` });
    const missing = await h.postWebhook(body, { signature: null });
    const unknown = await h.postWebhook(body, { tenant: 'nobody' });
    const noIntercom = await h.postWebhook(body, { tenant: 'acme' });
    const generic = await fetch(`${h.baton.url}/v1/tenants/globex/handoffs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const first = await bad.json();
    for (const r of [bad, missing, unknown, noIntercom]) expect(r.status).toBe(401);
    expect(await missing.json()).toEqual(first);
    expect(await unknown.json()).toEqual(first);
    expect(await noIntercom.json()).toEqual(first);
    expect(generic.status).toBe(401);
    expect(await generic.json()).toEqual(first);
    const notJson = '{"type":';
    expect((await h.postWebhook(notJson)).status).toBe(400);
    const wrong = await h.postWebhook(JSON.stringify({ type: 'something_else', topic: 'x' }));
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: { details: Array<{ field: string }> } }).error.details[0]?.field).toBe('type');
    const ping = await h.postWebhook(body);
    expect(ping.status).toBe(200);
    expect(await ping.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/ping/) });
    expect(h.sandbox.calls).toHaveLength(0);
  });

  it('honours a 429: no request before X-RateLimit-Reset, then one note', async () => {
    h = await startIntercomHarness();
    const resetSec = Math.floor(Date.now() / 1000) + 2;
    h.sandbox.script.next({ status: 429, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetSec) }, body: { type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit' }] }, match: { method: 'POST', path: /\/reply$/ } });
    const id = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, SEED_CONVERSATION_ID)));
    await waitFor(() => h!.done(id), 'delivery after the reset', 30_000);
    const limited = h.sandbox.calls.find((c) => c.status === 429);
    expect(limited).toBeDefined();
    const after = h.sandbox.calls.filter((c) => c.seq > limited!.seq);
    expect(after.length).toBeGreaterThan(0);
    for (const c of after) expect(c.at).toBeGreaterThanOrEqual(resetSec * 1000);
    expect(notesWith(h, SEED_CONVERSATION_ID, id)).toHaveLength(1);
    expect((await h.baton.store.getJob(id))?.attempts).toBeGreaterThanOrEqual(2);
  });

  it('honours a 429 on the transcript fetch too, and re-learns tag ids when a cached tag was deleted', async () => {
    h = await startIntercomHarness();
    const first = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, SEED_CONVERSATION_ID)));
    await waitFor(() => h!.done(first), 'first delivery');
    // Someone deletes Baton's tags in the workspace: the cached ids are stale for the next handoff.
    h.sandbox.state.tags.clear();
    const resetSec = Math.floor(Date.now() / 1000) + 2;
    h.sandbox.script.next({ status: 429, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetSec) }, body: { type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit' }] }, match: { method: 'GET', path: /^\/conversations\/215468352873096$/ } });
    const other = '215468352873096';
    const second = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, other)));
    await waitFor(() => h!.done(second), 'second delivery', 30_000);
    const limited = h.sandbox.calls.find((c) => c.status === 429);
    expect(limited?.operation).toBe('retrieveConversation');
    for (const c of h.sandbox.calls.filter((c) => c.seq > limited!.seq)) expect(c.at).toBeGreaterThanOrEqual(resetSec * 1000);
    expect(notesWith(h, other, second)).toHaveLength(1);
    expectFourTags(tagNames(h, other));
    // The stale ids were answered 404 once, then the tags were listed and created again.
    expect(h.sandbox.calls.some((c) => c.operation === 'attachTagToConversation' && c.status === 404)).toBe(true);
    expect(h.sandbox.calls.filter((c) => c.operation === 'listTags')).toHaveLength(2);
  });

  it('retries a 5xx, and a note whose answer was lost is found by its marker, not written again', async () => {
    h = await startIntercomHarness();
    h.sandbox.script.next({ status: 503, body: { type: 'error.list', errors: [{ code: 'service_unavailable', message: 'down' }] }, match: { method: 'POST', path: /\/reply$/ } });
    const a = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, SEED_CONVERSATION_ID)));
    await waitFor(() => h!.done(a), 'delivery after a 503');
    expect(notesWith(h, SEED_CONVERSATION_ID, a)).toHaveLength(1);

    // The note lands, the connection drops before the answer: the retry reads the conversation, sees the
    // marker, writes no second note and still attaches the tags.
    const other = '215468352873096';
    h.sandbox.script.next({ drop: true, passThrough: true, match: { method: 'POST', path: /\/reply$/ } });
    const b = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, other)));
    await waitFor(() => h!.done(b), 'delivery after a lost answer');
    expect(notesWith(h, other, b)).toHaveLength(1);
    const replies = h.sandbox.calls.filter((c) => c.operation === 'replyConversation' && c.params.conversation_id === other);
    expect(replies).toHaveLength(1);
    // The dangerous path really ran: the one reply was dropped, then the retry read the conversation.
    expect(replies[0]?.dropped).toBe(true);
    expect(h.sandbox.calls.some((c) => c.seq > replies[0]!.seq && c.operation === 'retrieveConversation')).toBe(true);
    expect((await h.baton.store.getJob(b))?.attempts).toBeGreaterThanOrEqual(2);
    expectFourTags(tagNames(h, other));
    expect(await h.baton.store.getReport(b)).toBeDefined();
    expectEveryIntercomCallMatchedSpec(h.sandbox);
  });

  it('dead-letters a handoff for a conversation Intercom does not have; one whose token is rejected waits, its Intercom disconnected', async () => {
    h = await startIntercomHarness();
    const body = assignedWebhook(h.sandbox, SEED_CONVERSATION_ID).replaceAll(SEED_CONVERSATION_ID, '999999999');
    const missing = await accepted(await h.postWebhook(body));
    await waitFor(async () => (await h!.baton.store.getJob(missing))?.state === 'dead', 'dead letter');
    expect((await h.baton.store.getJob(missing))?.lastError).toMatch(/404/);
    expect((await h.baton.store.getJob(missing))?.lastError).toMatch(/999999999/);

    // Issue 13: a rejected (revoked) token disconnects the tenant's Intercom; the handoff waits for a re-connect.
    h.sandbox.script.next({ status: 401, body: { type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] }, match: { method: 'POST', path: /\/reply$/ } });
    const rejected = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, '215468352873097')));
    await waitFor(async () => (await h!.baton.store.getJob(rejected))?.lastError?.startsWith('Intercom access token rejected (401'), 'the 401 recorded');
    expect((await h.baton.store.getJob(rejected))?.state).not.toBe('dead');
    expect(h.baton.tenants.isDisconnected('globex', 'intercom')).toBe(true);
  });
});

describe('Workflow handoffs', () => {
  const workflowOnly = {
    contact: { role: 'user' as const, name: 'Ana Ruiz', email: 'ana@example.com' },
    parts: [{ from: 'user' as const, body: '<p>I need to change the billing address on invoice INV-2231.</p>' }, { assignTo: { type: 'team' as const, id: '5017691' }, by: 'bot' as const }],
    ai_agent_participated: false,
    ai_agent: null,
  };

  it('are ignored by default and become handoffs with workflowHandoffs: true', async () => {
    h = await startIntercomHarness();
    const plain = h.sandbox.addConversation(workflowOnly);
    const ignored = await h.postWebhook(assignedWebhook(h.sandbox, plain));
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/workflowHandoffs/) });
    await h.close();

    h = await startIntercomHarness({ intercom: { workflowHandoffs: true } });
    const conversationId = h.sandbox.addConversation(workflowOnly);
    const id = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, conversationId)));
    await waitFor(() => h!.done(id), 'delivery');
    expect(notesWith(h, conversationId, id)).toHaveLength(1);
    expectFourTags(tagNames(h, conversationId));
  });
});

describe('Intercom data attributes', () => {
  it('fills the conversation data attributes the tenant names, with one PUT after the note and tags', async () => {
    h = await startIntercomHarness({ intercom: { attributes: { sentiment: 'Baton sentiment', reason: 'Baton reason', topic: 'Baton topic', handoffId: 'Baton handoff' } } });
    const id = await accepted(await h.postWebhook(assignedWebhook(h.sandbox, SEED_CONVERSATION_ID)));
    await waitFor(() => h!.done(id), 'delivery');
    const attrs = h.sandbox.state.conversations.get(SEED_CONVERSATION_ID)?.custom_attributes ?? {};
    expect(attrs['Baton handoff']).toBe(id);
    expect(attrs['Baton sentiment']).toMatch(/^(negative|neutral|positive)$/);
    expect(typeof attrs['Baton reason']).toBe('string');
    expect(typeof attrs['Baton topic']).toBe('string');
    const puts = h.sandbox.calls.filter((c) => c.operation === 'updateConversation');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.seq).toBeGreaterThan(Math.max(...h.sandbox.calls.filter((c) => c.operation === 'attachTagToConversation').map((c) => c.seq)));
    expectEveryIntercomCallMatchedSpec(h.sandbox);
  });
});

describe('generic webhook → Intercom', () => {
  it('an event with intercom.conversationId writes the note and the tags on that conversation', async () => {
    h = await startIntercomHarness();
    const body = JSON.stringify({
      id: 'evt_generic_ic_1',
      conversation: { id: 'chat_77' },
      customer: { email: 'maria.lopez@example.com', name: 'Maria Lopez' },
      messages: [
        { role: 'customer', text: 'I was charged twice for order #A-10443. I want a refund.' },
        { role: 'bot', text: 'Duplicate charges drop off within 3-5 business days.' },
        { role: 'customer', text: 'It has been 9 days. Get me a human please!' },
      ],
      intercom: { conversationId: SEED_CONVERSATION_ID },
    });
    const res = await h.postGeneric(body);
    const id = await accepted(res);
    await waitFor(() => h!.done(id), 'delivery');
    expect(notesWith(h, SEED_CONVERSATION_ID, id)).toHaveLength(1);
    expectFourTags(tagNames(h, SEED_CONVERSATION_ID));
    // Complete already: nothing to fetch.
    expect(h.sandbox.calls.some((c) => c.operation === 'retrieveConversation')).toBe(false);
    expectEveryIntercomCallMatchedSpec(h.sandbox);
  });

  it('an event naming no conversation, for a tenant with Intercom only, is dead-lettered with the reason', async () => {
    h = await startIntercomHarness();
    const body = JSON.stringify({ id: 'evt_generic_ic_2', conversation: { id: 'chat_78' }, customer: { email: 'a@example.com' }, messages: [{ role: 'customer', text: 'help' }] });
    const res = await h.postGeneric(body);
    const id = await accepted(res);
    await waitFor(async () => (await h!.baton.store.getJob(id))?.state === 'dead', 'dead letter');
    expect((await h.baton.store.getJob(id))?.lastError).toMatch(/names none/);
    expect(h.sandbox.writes()).toHaveLength(0);
  });
});
