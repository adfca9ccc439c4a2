/**
 * Delivery to Zendesk through the worker, against the sandbox validating every request against Zendesk's
 * official OpenAPI spec: one write per handoff, retries, Retry-After, 409, dead letters, replay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { expectEveryCallMatchedSpec } from '../helpers/spec.ts';
import { handoffMarker } from '../../server/helpdesks/zendesk/render-note.ts';

const example = JSON.parse(readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function handoff(id: string, mutate?: (o: Record<string, unknown>) => void): string {
  const o = structuredClone(example);
  o.id = id;
  mutate?.(o);
  return JSON.stringify(o);
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function accepted(res: Response): Promise<string> {
  expect(res.status).toBe(202);
  return ((await res.json()) as { handoffId: string }).handoffId;
}

const writes = (hh: Harness) => hh.sandbox.calls.filter((c) => c.method === 'POST' || c.method === 'PUT');
const done = async (hh: Harness, id: string) => (await hh.baton.store.getJob(id))?.state === 'done';

describe('Zendesk delivery', () => {
  it('updates an existing ticket with exactly one PUT carrying note, tags, fields, priority and group', async () => {
    h = await startHarness({ acmeZendesk: { customFields: { sentiment: 9001, escalationReason: 9002, handoffId: 9003 } } });
    const id = await accepted(await h.post('acme', handoff('evt_put')));
    await h.waitFor(() => done(h!, id), 'delivery');
    const w = writes(h);
    expect(w).toHaveLength(1);
    const put = w[0]!;
    expect(put.method).toBe('PUT');
    expect(put.path).toMatch(/^\/api\/v2\/tickets\/35436(\.json)?$/);
    expect(put.valid).toBe(true);
    // The call log keeps no credentials, only a keyed fingerprint of the one used.
    expect(put.headers.authorization).toBe('[redacted]');
    expect(put.credential).toBe(h.sandbox.credentialFingerprint(`Basic ${Buffer.from('bot@acme.test/token:tok_1').toString('base64')}`));
    expect(put.headers['x-baton-handoff-id']).toBe(id);
    const ticket = (put.body as { ticket: Record<string, unknown> }).ticket;
    expect(ticket.comment).toMatchObject({ public: false, html_body: expect.stringContaining(handoffMarker(id)) });
    expect(ticket.additional_tags).toEqual(expect.arrayContaining(['baton_handoff', expect.stringMatching(/^baton_reason_/), expect.stringMatching(/^baton_sentiment_/), expect.stringMatching(/^baton_topic_/)]));
    expect(ticket.custom_fields).toEqual(
      expect.arrayContaining([
        { id: 9003, value: id },
        { id: 9001, value: expect.stringMatching(/^baton_sentiment_(negative|neutral|positive)$/) },
        { id: 9002, value: expect.stringMatching(/^baton_reason_/) },
      ]),
    );
    expect(ticket.priority).toMatch(/^(urgent|high|normal|low)$/);
    expect(ticket.safe_update).toBe(true);
    expect(ticket.updated_stamp).toBeTruthy();
    const stored = h.sandbox.state.tickets.get(35436)!;
    expect(stored.comments.filter((c) => c.html_body.includes(handoffMarker(id)))).toHaveLength(1);
    expect(stored.comments.at(-1)?.public).toBe(false);
    // The report is kept for the sidebar.
    expect((await h.baton.store.getReportFor('acme', { helpdesk: 'zendesk', id: '35436' }))?.handoffId).toBe(id);
    // Every request Baton made matches the official spec (test/fixtures/api-specs/), and some were checked.
    expectEveryCallMatchedSpec(h.sandbox);
  });

  it('finds the ids of the fields the app installed when the config gives none, reading the list once', async () => {
    h = await startHarness();
    const byTitle = (title: string) => h!.sandbox.state.ticketFields.find((f) => f.title === title)!.id;
    const first = await accepted(await h.post('acme', handoff('evt_fields_1')));
    const second = await accepted(await h.post('acme', handoff('evt_fields_2', (o) => ((o.ticket as { id: number }).id = 35437))));
    await h.waitFor(async () => (await done(h!, first)) && (await done(h!, second)), 'delivery');
    for (const put of writes(h)) {
      const fields = (put.body as { ticket: { custom_fields: Array<{ id: number; value: unknown }> } }).ticket.custom_fields;
      expect(fields).toEqual(
        expect.arrayContaining([
          { id: byTitle('Baton handoff ID'), value: put.headers['x-baton-handoff-id'] },
          { id: byTitle('Sentiment (Baton)'), value: expect.stringMatching(/^baton_sentiment_/) },
          { id: byTitle('Escalation reason (Baton)'), value: expect.stringMatching(/^baton_reason_/) },
        ]),
      );
    }
    expect(h.sandbox.calls.filter((c) => c.operation === 'ListTicketFields')).toHaveLength(1);
    expectEveryCallMatchedSpec(h.sandbox);
  });

  it('writes no custom fields to an account without them, and a refused field list does not fail the handoff', async () => {
    h = await startHarness({ sandbox: { ticketFields: 'system' } });
    const id = await accepted(await h.post('acme', handoff('evt_no_fields')));
    await h.waitFor(() => done(h!, id), 'delivery');
    expect((writes(h)[0]!.body as { ticket: Record<string, unknown> }).ticket).not.toHaveProperty('custom_fields');
    await h.close();

    h = await startHarness();
    h.sandbox.script.next({ status: 403, body: { error: 'Forbidden' }, match: { path: /ticket_fields/ } });
    const refused = await accepted(await h.post('acme', handoff('evt_fields_refused')));
    await h.waitFor(() => done(h!, refused), 'delivery');
    expect((writes(h)[0]!.body as { ticket: Record<string, unknown> }).ticket).not.toHaveProperty('custom_fields');
  });

  it('keeps no card number at rest once delivered: the stored event is scrubbed to the redacted transcript', async () => {
    h = await startHarness();
    const id = await accepted(
      await h.post(
        'acme',
        handoff('evt_pci', (o) => {
          (o.messages as Array<{ text: string }>)[0]!.text = 'I was charged twice on card 4111 1111 1111 1111, cvv 123, please refund';
        }),
      ),
    );
    await h.waitFor(() => done(h!, id), 'delivery');
    const stored = JSON.stringify(await h.baton.store.getEvent(id));
    expect(stored).not.toContain('4111 1111 1111 1111');
    expect(stored).not.toContain('cvv 123');
    const put = writes(h)[0]!;
    expect(JSON.stringify(put.body)).not.toContain('4111 1111 1111 1111');
    expect((await h.baton.store.getReport(id))?.report.redactions.total).toBeGreaterThan(0);
  });

  it('creates a ticket with one POST: requester inline, private note, Idempotency-Key = handoff id', async () => {
    h = await startHarness();
    const id = await accepted(await h.post('acme', handoff('evt_create', (o) => delete o.ticket)));
    await h.waitFor(() => done(h!, id), 'delivery');
    const w = writes(h);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ method: 'POST', valid: true });
    expect(w[0]!.headers['idempotency-key']).toBe(id);
    const ticket = (w[0]!.body as { ticket: Record<string, unknown> }).ticket;
    expect(ticket.requester).toEqual({ email: 'sarah@example.com', name: 'Sarah Johnson' });
    expect(ticket.comment).toMatchObject({ public: false });
    expect(h.sandbox.calls.some((c) => c.path.includes('/users'))).toBe(false);
    const report = await h.baton.store.listJobs({ tenantId: 'acme' });
    expect(report[0]?.state).toBe('done');
  });

  it('retries after a 429 no earlier than Retry-After, pausing the whole tenant', async () => {
    h = await startHarness({ worker: true });
    h.sandbox.script.next({ status: 429, headers: { 'Retry-After': '1' }, body: { error: 'APIRateLimitExceeded' }, match: { method: 'PUT' } });
    const a = await accepted(await h.post('acme', handoff('evt_429a')));
    await h.waitFor(() => h!.sandbox.calls.find((c) => c.status === 429), '429');
    const b = await accepted(await h.post('acme', handoff('evt_429b', (o) => ((o.ticket as { id: number }).id = 35437))));
    await h.waitFor(async () => (await done(h!, a)) && (await done(h!, b)), 'both delivered', 15_000);
    const limited = h.sandbox.calls.find((c) => c.status === 429)!;
    const after = h.sandbox.calls.filter((c) => c.seq > limited.seq);
    expect(after.length).toBeGreaterThan(0);
    // Nothing at all reached Zendesk for this tenant before Retry-After had passed.
    for (const c of after) expect(c.at - limited.at).toBeGreaterThanOrEqual(1000);
    expect(writes(h).filter((c) => c.status === 200)).toHaveLength(2);
  });

  it('retries 500s and timeouts, then writes once', async () => {
    h = await startHarness();
    h.sandbox.script.next({ status: 500, body: { error: 'InternalError' }, match: { method: 'PUT' } });
    h.sandbox.script.next({ status: 503, body: 'Service Unavailable', match: { method: 'PUT' } });
    h.sandbox.script.next({ status: 200, delayMs: 3000, body: { ticket: {} }, match: { method: 'GET' } }); // longer than the 2 s client timeout
    h.sandbox.script.next({ drop: true, match: { method: 'GET' } });
    const id = await accepted(await h.post('acme', handoff('evt_flaky')));
    await h.waitFor(() => done(h!, id), 'delivery', 30_000);
    const stored = h.sandbox.state.tickets.get(35436)!;
    expect(stored.comments.filter((c) => c.html_body.includes(handoffMarker(id)))).toHaveLength(1);
    expect((await h.baton.store.getJob(id))!.attempts).toBeGreaterThanOrEqual(3);
  });

  it('re-reads and retries on 409 (safe update conflict)', async () => {
    h = await startHarness();
    h.sandbox.script.next({ status: 409, body: { error: 'UpdateConflict', description: 'Safe Update prevented the update due to outdated ticket data.' }, match: { method: 'PUT' } });
    const id = await accepted(await h.post('acme', handoff('evt_409')));
    await h.waitFor(() => done(h!, id), 'delivery');
    const seq = h.sandbox.calls.map((c) => `${c.operation}:${c.status}`);
    // The field list is read once per tenant (then cached); the conflict costs one re-read, a look for the marker
    // (the 409 may have been another replica's write of this handoff) and one more PUT.
    expect(seq).toEqual(['ListTicketFields:200', 'ShowTicket:200', 'UpdateTicket:409', 'ShowTicket:200', 'ListTicketComments:200', 'UpdateTicket:200']);
  });

  it('dead-letters other 4xx with the reason, lists them for admins and replays them', async () => {
    h = await startHarness({ extra: { adminToken: 'admin_token_for_tests_0123' } });
    h.sandbox.script.next({ status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors' }, match: { method: 'PUT' } });
    const id = await accepted(await h.post('acme', handoff('evt_422')));
    await h.waitFor(async () => (await h!.baton.store.getJob(id))?.state === 'dead', 'dead letter');
    const auth = { Authorization: 'Bearer admin_token_for_tests_0123' };
    expect((await fetch(`${h.baton.url}/v1/admin/jobs?state=dead`)).status).toBe(401);
    const list = (await (await fetch(`${h.baton.url}/v1/admin/jobs?state=dead`, { headers: auth })).json()) as { jobs: Array<{ handoffId: string; lastError: string }> };
    expect(list.jobs).toMatchObject([{ handoffId: id, lastError: expect.stringContaining('422') }]);
    expect(list.jobs[0]!.lastError).toContain('RecordInvalid');
    for (const query of ['state=bogus', 'limit=0', 'limit=-5', 'limit=abc', 'limit=501']) {
      const bad = await fetch(`${h.baton.url}/v1/admin/jobs?${query}`, { headers: auth });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'bad_query', details: [{ field: query.split('=')[0] }] } });
    }
    expect((await fetch(`${h.baton.url}/v1/admin/jobs?limit=500&state=dead`, { headers: auth })).status).toBe(200);
    expect(writes(h)).toHaveLength(1);
    const replay = await fetch(`${h.baton.url}/v1/admin/jobs/${id}/replay`, { method: 'POST', headers: auth });
    expect(replay.status).toBe(202);
    await h.waitFor(() => done(h!, id), 'replayed delivery');
    expect((await fetch(`${h.baton.url}/v1/admin/jobs/${id}/replay`, { method: 'POST', headers: auth })).status).toBe(404);
  });

  it('a replayed dead letter whose earlier try landed is recognised, not written twice', async () => {
    h = await startHarness({ extra: { adminToken: 'admin_token_for_tests_0123' } });
    // Try 1: the PUT lands but its response is lost. Try 2: the marker check itself is refused (403), a dead letter.
    h.sandbox.script.next({ drop: true, passThrough: true, match: { method: 'PUT' } });
    h.sandbox.script.next({ status: 403, body: { error: 'Forbidden', description: 'You do not have access' }, match: { path: /\/comments/ } });
    const id = await accepted(await h.post('acme', handoff('evt_landed_then_dead')));
    await h.waitFor(async () => (await h!.baton.store.getJob(id))?.state === 'dead', 'dead letter');
    const replay = await fetch(`${h.baton.url}/v1/admin/jobs/${id}/replay`, { method: 'POST', headers: { Authorization: 'Bearer admin_token_for_tests_0123' } });
    expect(replay.status).toBe(202);
    await h.waitFor(() => done(h!, id), 'replayed delivery');
    const stored = h.sandbox.state.tickets.get(35436)!;
    expect(stored.comments.filter((c) => c.html_body.includes(handoffMarker(id)))).toHaveLength(1);
    expect(writes(h)).toHaveLength(1);
  });

  it('dead-letters a handoff for a ticket that does not exist', async () => {
    h = await startHarness();
    const id = await accepted(await h.post('acme', handoff('evt_404', (o) => ((o.ticket as { id: number }).id = 999999))));
    await h.waitFor(async () => (await h!.baton.store.getJob(id))?.state === 'dead', 'dead letter');
    expect((await h.baton.store.getJob(id))?.lastError).toContain('not found');
    expect(writes(h)).toHaveLength(0);
  });

  it('keeps tenants apart: globex writes with its own OAuth token', async () => {
    h = await startHarness();
    const id = await accepted(await h.post('globex', handoff('evt_globex', (o) => ((o.ticket as { id: number }).id = 35438))));
    await h.waitFor(() => done(h!, id), 'delivery');
    expect(writes(h)[0]!.credential).toBe(h.sandbox.credentialFingerprint('Bearer oat_globex_1'));
    expect(await h.baton.store.getReportFor('acme', { helpdesk: 'zendesk', id: '35438' })).toBeUndefined();
    expect((await h.baton.store.getReportFor('globex', { helpdesk: 'zendesk', id: '35438' }))?.handoffId).toBe(id);
  });
});
