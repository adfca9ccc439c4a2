/**
 * The generic webhook against the real server on a free port: every status the contract names, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';

const example = readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8');

let h: Harness;
beforeAll(async () => {
  // Worker off: these tests are about what the endpoint answers, not about delivery.
  h = await startHarness({ worker: false, maxBodyBytes: 64 * 1024 });
});
afterAll(() => h?.close());

function withId(id: string, mutate?: (o: Record<string, unknown>) => void): string {
  const o = JSON.parse(example) as Record<string, unknown>;
  o.id = id;
  mutate?.(o);
  return JSON.stringify(o);
}

describe('POST /v1/tenants/:tenantId/handoffs', () => {
  it('accepts the documented example as is: 202 queued, stored with its job', async () => {
    const res = await h.post('acme', example);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { handoffId: string; status: string };
    expect(body).toEqual({ handoffId: expect.stringMatching(/^ho_[0-9a-f]{32}$/), status: 'queued' });
    expect(await h.baton.store.getJob(body.handoffId)).toMatchObject({ state: 'queued', tenantId: 'acme', eventId: 'generic:evt_01' });
  });

  it('answers the same event id again with 200, the same handoffId and status duplicate', async () => {
    const first = (await (await h.post('acme', withId('evt_dup'))).json()) as { handoffId: string };
    const again = await h.post('acme', withId('evt_dup'));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ handoffId: first.handoffId, status: 'duplicate' });
    expect((await h.baton.store.listJobs({ tenantId: 'acme', limit: 500 })).filter((j) => j.eventId === 'generic:evt_dup')).toHaveLength(1);
  });

  it('accepts a signature made with a rotated-in secret, and with two v1 entries', async () => {
    expect((await h.post('acme', withId('evt_rot1'), { secret: 'whsec_test_2' })).status).toBe(202);
    const body = withId('evt_rot2');
    const header = signBatonPayload(['whsec_retired', 'whsec_test_1'], body);
    expect((await h.post('acme', body, { signature: header })).status).toBe(202);
  });

  it('gives 401 with one body for a bad, missing or expired signature and for an unknown tenant', async () => {
    const body = withId('evt_401');
    const answers = await Promise.all([
      h.post('acme', body, { secret: 'whsec_wrong_secret' }),
      h.post('acme', body, { signature: null }),
      h.post('acme', body, { t: Math.floor(Date.now() / 1000) - 301 }),
      h.post('acme', body, { signature: 't=1,v1=zz' }),
      h.post('nobody', body),
      h.post('globex', body, { secret: 'whsec_test_1' }), // a real tenant, but acme's secret
    ]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    for (const r of answers) expect(r.status).toBe(401);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] as string)).toMatchObject({ error: { code: 'invalid_signature' } });
    expect((await h.baton.store.listJobs({ limit: 500 })).some((j) => j.eventId === 'generic:evt_401')).toBe(false);
  });

  it('gives 415 for a body that is not application/json', async () => {
    const res = await h.post('acme', withId('evt_415'), { contentType: 'text/plain' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    expect((await h.post('acme', withId('evt_415b'), { contentType: 'application/json; charset=utf-8' })).status).toBe(202);
  });

  it('gives 413 over the size limit, before looking at the signature', async () => {
    const big = withId('evt_413', (o) => {
      (o.messages as Array<{ text: string }>)[0]!.text = 'x'.repeat(70 * 1024);
    });
    const res = await h.post('acme', big, { signature: null });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('gives 400 for malformed JSON (correctly signed)', async () => {
    const res = await h.post('acme', '{"id": "evt_400", ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'malformed_json' } });
    expect((await h.post('acme', '')).status).toBe(400);
  });

  it('gives 422 listing each failing field and why', async () => {
    const body = JSON.stringify({
      id: '',
      conversation: {},
      messages: [{ role: 'robot', text: 'hi' }, { role: 'customer' }],
      customer: { email: 'not-an-email' },
    });
    const res = await h.post('acme', body);
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { code: string; details: Array<{ field: string; problem: string }> } };
    expect(error.code).toBe('invalid_handoff');
    const fields = error.details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['id', 'conversation.id', 'messages[0].role', 'messages[1].text', 'customer.email']));
    for (const d of error.details) expect(d.problem.length).toBeGreaterThan(3);
  });

  it('requires customer.email when there is no ticket to update, and accepts it without a ticket', async () => {
    const noTicket = withId('evt_new', (o) => {
      delete o.ticket;
      delete (o.customer as Record<string, unknown>).email;
    });
    const res = await h.post('acme', noTicket);
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('customer.email');
    const ok = withId('evt_new2', (o) => delete o.ticket);
    expect((await h.post('acme', ok)).status).toBe(202);
    expect((await h.post('acme', JSON.stringify({ id: 'x', conversation: { id: 'c' }, messages: [{ role: 'customer', text: 'hi' }] }))).status).toBe(422);
  });

  it('never answers bad input with a 500: wrong types everywhere', async () => {
    const cases = [
      'null',
      '[]',
      '"str"',
      '42',
      '{"id":{},"conversation":[],"messages":{}}',
      '{"id":"a","conversation":{"id":"c"},"messages":[null]}',
      '{"id":"b","conversation":{"id":"c"},"messages":[{"role":"customer","text":"x"}],"ticket":{"id":1e300}}',
      '['.repeat(20_000) + ']'.repeat(20_000),
    ];
    for (const c of cases) {
      const res = await h.post('acme', c);
      expect([400, 422]).toContain(res.status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
  });

  it('answers unknown paths and methods with a JSON 404, and serves health and readiness', async () => {
    const res = await fetch(`${h.baton.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await fetch(`${h.baton.url}/v1/tenants/acme/handoffs`)).status).toBe(404);
    expect(await (await fetch(`${h.baton.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${h.baton.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });
});
