/**
 * Dialogflow CX, Rasa, Bot Framework and Fin (Fin Agent API escalations) end to end (issue 9): a real Baton on a free port, a real SQLite file,
 * the sandbox Zendesk validating every call against Zendesk's OpenAPI spec. Each platform's real payload lands
 * one briefing; a retry is a duplicate; Bearer and Baton-Signature both authenticate; everything else gets the
 * same 401; bad input gets a clear 4xx in the fixed order of checks, never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, ACME, type Harness } from '../helpers/harness.ts';
import { expectEveryCallMatchedSpec } from '../helpers/spec.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { handoffMarker } from '../../server/helpdesks/zendesk/render-note.ts';
import { transitionMessage } from '../../server/bots/dialogflow-cx/transition-message.ts';

const fixture = (p: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/bot-platforms/${p}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const TOKENS = { dialogflowCx: 'df_token_1', rasa: 'rasa_token_1', botFramework: 'bf_token_1', fin: 'fin_token_1' };

type Platform = 'dialogflow-cx' | 'rasa' | 'botframework' | 'fin';
const TOKEN_OF: Record<Platform, string> = { 'dialogflow-cx': TOKENS.dialogflowCx, rasa: TOKENS.rasa, botframework: TOKENS.botFramework, fin: TOKENS.fin };

/** Each platform's real payload, addressed to `ticket` and made unique by `n`. */
function payload(platform: Platform, n: string, ticket: number): Record<string, unknown> {
  if (platform === 'dialogflow-cx') {
    const b = fixture('dialogflow-cx/webhook-request-handoff.assembled.json');
    b.detectIntentResponseId = `resp-${n}`;
    (b.payload as Record<string, unknown>).ticket = { id: ticket };
    return b;
  }
  if (platform === 'rasa') {
    const b = fixture('rasa/tracker-moodbot-with-bot-events.assembled.json');
    b.sender_id = `sender-${n}`;
    b.baton = { ticket: { id: ticket } };
    return b;
  }
  if (platform === 'fin') {
    const start = fixture('fin/fin-agent-start-request-with-history.json') as { message: unknown; user: unknown; conversation_metadata: { history: unknown[] } };
    return { ...fixture('fin/fin-agent-status-updated-escalated.assembled-from-schema-examples.json'), conversation_id: `fin-${n}`, history: [...start.conversation_metadata.history, start.message], user: start.user, baton: { ticket: { id: ticket } } };
  }
  const b = fixture('microsoft-bot-framework/copilot-studio-directline-handoff-initiate.json') as { activities: Array<Record<string, unknown>> };
  const a = b.activities[0]!;
  a.id = `conv|${n}`;
  (a.value as Record<string, unknown>).ticket = { id: ticket };
  return b;
}

interface PostOpts {
  bearer?: string | null;
  sign?: string;
  contentType?: string;
  tenant?: string;
  raw?: string;
}

let h: Harness;

function post(platform: string, body: unknown, o: PostOpts = {}): Promise<Response> {
  const text = o.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': o.contentType ?? 'application/json' };
  if (o.sign) headers['Baton-Signature'] = signBatonPayload(o.sign, text);
  else if (o.bearer !== null) headers.Authorization = `Bearer ${o.bearer ?? TOKEN_OF[platform as Platform] ?? 'x'}`;
  return fetch(`${h.baton.url}/v1/tenants/${o.tenant ?? 'acme'}/bots/${platform}`, { method: 'POST', headers, body: text });
}

const notesFor = (ticket: number, handoffId: string) => (h.sandbox.state.tickets.get(ticket)?.comments ?? []).filter((c) => c.html_body.includes(handoffMarker(handoffId)));

beforeAll(async () => {
  h = await startHarness({ acmeTenant: { bots: { dialogflowCx: { token: TOKENS.dialogflowCx }, rasa: { token: TOKENS.rasa }, botFramework: { token: TOKENS.botFramework }, fin: { token: TOKENS.fin } } } });
});
afterAll(async () => {
  await h?.close();
});

async function handoffIdOf(platform: Platform, res: Response): Promise<string> {
  const body = (await res.json()) as Record<string, unknown>;
  if (platform === 'dialogflow-cx') return ((body.sessionInfo as { parameters: { baton_handoff_id: string } }).parameters.baton_handoff_id);
  return body.handoffId as string;
}

describe.each([
  ['dialogflow-cx', 35436],
  ['rasa', 35437],
  ['botframework', 35438],
  ['fin', 35440],
] as const)('%s end to end', (platform, ticket) => {
  it('Bearer token: accepted, one briefing on the ticket, and a retry is a duplicate with the same handoff id', async () => {
    const body = payload(platform, `e2e-${platform}`, ticket);
    const first = await post(platform, body);
    expect(first.status).toBe(platform === 'dialogflow-cx' ? 200 : 202);
    const firstBody = (await first.clone().json()) as Record<string, unknown>;
    const id = await handoffIdOf(platform, first);
    expect(id).toMatch(/\S/);
    await h.waitFor(async () => (await h.baton.store.getJob(id))?.state === 'done', `delivery of ${platform}`);
    expect(notesFor(ticket, id)).toHaveLength(1);
    const report = await h.baton.store.getReportFor('acme', { helpdesk: 'zendesk', id: String(ticket) });
    expect(report?.handoffId).toBe(id);

    const again = await post(platform, body);
    expect(again.status).toBe(200);
    const againBody = (await again.clone().json()) as Record<string, unknown>;
    expect(await handoffIdOf(platform, again)).toBe(id);
    if (platform === 'dialogflow-cx') {
      // Dialogflow gets the same fulfillmentResponse on a duplicate.
      expect(againBody).toEqual(firstBody);
      expect(firstBody.fulfillmentResponse).toEqual({ messages: [{ text: { text: [transitionMessage('en')] } }], mergeBehavior: 'APPEND' });
    } else expect(againBody).toEqual({ handoffId: id, status: 'duplicate' });
    expect(notesFor(ticket, id)).toHaveLength(1);
    expectEveryCallMatchedSpec(h.sandbox);
  });

  it("Baton-Signature with the tenant's webhook secret is accepted too", async () => {
    const res = await post(platform, payload(platform, `signed-${platform}`, ticket), { sign: ACME.secrets[1] });
    expect(res.status).toBe(platform === 'dialogflow-cx' ? 200 : 202);
    const id = await handoffIdOf(platform, res);
    await h.waitFor(async () => (await h.baton.store.getJob(id))?.state === 'done', 'delivery');
    expect(notesFor(ticket, id)).toHaveLength(1);
  });

  it('one 401 body for a wrong, missing or other platform token, a bad signature, an unknown tenant, a tenant without the platform', async () => {
    const body = payload(platform, `401-${platform}`, ticket);
    const other = platform === 'rasa' ? TOKENS.botFramework : TOKENS.rasa;
    const answers = await Promise.all([
      post(platform, body, { bearer: 'wrong_token_123' }),
      post(platform, body, { bearer: null }),
      post(platform, body, { bearer: other }),
      post(platform, body, { sign: 'whsec_not_ours_1' }),
      post(platform, body, { tenant: 'nobody' }),
      post(platform, body, { tenant: 'globex' }),
      post(platform, body, { tenant: 'globex', sign: 'whsec_globex_1' }),
      post('nope', body),
      post('intercom-x', body, { sign: ACME.secrets[0] }),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual(Array(answers.length).fill(401));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!)).toEqual({ error: { code: 'invalid_signature', message: 'Missing or invalid Baton-Signature or Bearer token, or unknown tenant or platform' } });
    expect((await h.baton.store.listJobs({ limit: 500 })).some((j) => j.eventId.includes(`401-${platform}`))).toBe(false);
  });

  it('bad input gets a clear 4xx in the fixed order of checks: 415, 413, 400, 422', async () => {
    const good = payload(platform, `bad-${platform}`, ticket);
    const cases: Array<[Promise<Response>, number, string]> = [
      [post(platform, good, { contentType: 'text/plain' }), 415, 'unsupported_media_type'],
      // 415 comes before authentication.
      [post(platform, good, { contentType: 'text/plain', bearer: 'wrong_token_123' }), 415, 'unsupported_media_type'],
      [post(platform, good, { raw: `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}`, bearer: 'wrong_token_123' }), 413, 'payload_too_large'],
      [post(platform, good, { raw: '{"detectIntentResponseId": ' }), 400, 'malformed_json'],
      [post(platform, good, { raw: `${'['.repeat(100)}${']'.repeat(100)}` }), 422, 'invalid_handoff'],
      [post(platform, good, { raw: '[1,2]' }), 422, 'invalid_handoff'],
      [post(platform, good, { raw: '"handoff"' }), 422, 'invalid_handoff'],
      [post(platform, good, { raw: '{}' }), 422, 'invalid_handoff'],
    ];
    for (const [p, status, code] of cases) {
      const r = await p;
      const b = (await r.json()) as { error: { code: string; message: string; details?: unknown[] } };
      expect([r.status, b.error.code]).toEqual([status, code]);
      expect(b.error.message).toMatch(/\S/);
    }
    const r = await post(platform, {}, {});
    const b = (await r.json()) as { error: { details: Array<{ field: string; problem: string }> } };
    expect(b.error.details.length).toBeGreaterThan(0);
    for (const d of b.error.details) expect(d).toEqual({ field: expect.any(String), problem: expect.any(String) });
  });
});

describe('bot routes: platform specifics', () => {
  it('Dialogflow CX: a tag that is not a handoff tag is answered with an empty WebhookResponse and stores nothing', async () => {
    const body = payload('dialogflow-cx', 'other-tag', 35436);
    (body.fulfillmentInfo as Record<string, unknown>).tag = 'order_status';
    const before = (await h.baton.store.listJobs({ limit: 500 })).length;
    const res = await post('dialogflow-cx', body);
    expect([res.status, await res.json()]).toEqual([200, {}]);
    expect((await h.baton.store.listJobs({ limit: 500 })).length).toBe(before);
  });

  it('Dialogflow CX without a ticket: creates one for the customer in the payload, with one POST', async () => {
    const body = fixture('dialogflow-cx/webhook-request-handoff.assembled.json');
    body.detectIntentResponseId = 'resp-create';
    const res = await post('dialogflow-cx', body);
    expect(res.status).toBe(200);
    const id = await handoffIdOf('dialogflow-cx', res);
    await h.waitFor(async () => (await h.baton.store.getJob(id))?.state === 'done', 'delivery');
    const creates = h.sandbox.calls.filter((c) => c.method === 'POST' && (c.headers as Record<string, unknown>)['idempotency-key'] === id);
    expect(creates).toHaveLength(1);
    expect((creates[0]!.body as { ticket: { requester: unknown } }).ticket.requester).toEqual({ email: 'dana.reyes@example.com', name: expect.any(String) });
  });

  it('Bot Framework: handoff.status is acknowledged (200 ignored), nothing stored', async () => {
    const res = await post('botframework', { type: 'event', name: 'handoff.status', value: { state: 'completed' }, conversation: { id: 'c1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ignored', reason: 'activity event "handoff.status" is not "handoff.initiate"' });
  });

  it('Bot Framework: two handoff.initiate events in one activity set are two handoffs, answered together', async () => {
    const body = payload('botframework', 'pair-1', 35439) as { activities: Array<Record<string, unknown>> };
    const second = structuredClone(body.activities[0]!);
    second.id = 'conv|pair-2';
    body.activities.push(second);
    const res = await post('botframework', body);
    expect(res.status).toBe(202);
    const b = (await res.json()) as { status: string; handoffs: Array<{ handoffId: string; status: string }> };
    expect(b.status).toBe('queued');
    expect(b.handoffs.map((x) => x.status)).toEqual(['queued', 'queued']);
    const again = await post('botframework', body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { handoffs: Array<{ handoffId: string }> }).handoffs.map((x) => x.handoffId)).toEqual(b.handoffs.map((x) => x.handoffId));
  });

  it('Rasa: no ticket and no email is refused with 422 naming the field, not dead-lettered later', async () => {
    const body = payload('rasa', 'no-target', 1);
    delete body.baton;
    const res = await post('rasa', body);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { details: unknown[] } }).error.details).toEqual([{ field: 'baton.customer.email', problem: expect.stringMatching(/required when no ticket id/) }]);
  });

  it('the generic webhook and the Intercom route are still served by the factory', async () => {
    const generic = await h.post('acme', JSON.stringify({ id: 'evt_bots_generic', conversation: { id: 'c' }, messages: [{ role: 'customer', text: 'hi' }], ticket: { id: 35440 } }));
    expect(generic.status).toBe(202);
    const intercom = await fetch(`${h.baton.url}/v1/tenants/acme/bots/intercom`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': 'sha1=00' }, body: '{}' });
    expect(intercom.status).toBe(401);
  });
});
