/**
 * The Zendesk writer against the sandbox over real HTTP, for what only a clock can show: Zendesk forgets an
 * Idempotency-Key after two hours, so a create retried later than that must find its own ticket, not make another.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startZendeskSandbox, type RunningZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { createZendeskClient } from '../../server/helpdesks/zendesk/client.ts';
import { IDEMPOTENCY_TRUSTED_MS, ZendeskWriter, type WriteInput } from '../../server/helpdesks/zendesk/writer.ts';
import { handoffMarker } from '../../server/helpdesks/zendesk/render-note.ts';
import { AccountRateLimiter } from '../../server/pipeline/rate-limiter.ts';
import type { ZendeskConfig } from '../../server/helpdesks/zendesk/zendesk-config.ts';
import { FIELD_CACHE_MS, TicketFieldDirectory } from '../../server/helpdesks/zendesk/field-directory.ts';
import type { RateLimitReading } from '../../server/helpdesks/helpdesk-module.ts';
import type { HandoffEvent } from '../../server/types/handoff-event.ts';
import { SAMPLE_HANDOFF_ID, sampleReport } from '../fixtures/sample-report.ts';
import { expectEveryCallMatchedSpec } from '../helpers/spec.ts';

const HOUR = 60 * 60 * 1000;
const RECEIVED = Date.parse('2026-11-20T10:35:00Z');

let sb: RunningZendeskSandbox;
let clock: number;
let writer: ZendeskWriter;
let client: ReturnType<typeof createZendeskClient>;

function event(conversation = 'conv_123'): HandoffEvent {
  return {
    id: 'generic:evt_01',
    tenantId: 'acme',
    source: 'generic',
    receivedAt: new Date(RECEIVED).toISOString(),
    trigger: { kind: 'customer_request', nativeType: 'customer_request' },
    conversation: { nativeId: conversation },
    customer: { email: 'sarah@example.com', name: 'Sarah Johnson' },
    messages: [{ role: 'customer', text: 'I need to check on my cancellation' }],
    transcriptComplete: true,
    target: { helpdesk: 'zendesk' },
    raw: {},
  };
}

const input = (attempt: number, now: number, handoffId = SAMPLE_HANDOFF_ID, conversation?: string): WriteInput => ({
  handoffId,
  event: event(conversation),
  report: sampleReport(),
  attempt,
  now,
});

const markedTickets = (handoffId: string): number[] =>
  [...sb.state.tickets.values()].filter((t) => t.comments.some((c) => c.html_body.includes(handoffMarker(handoffId)))).map((t) => t.id);

beforeEach(async () => {
  clock = RECEIVED + 1000;
  sb = await startZendeskSandbox({ now: () => clock });
  const zendesk = { subdomain: 'acme', baseUrl: sb.url, email: 'demo@baton.local', apiToken: 'sandbox', maxRequestsPerMinute: 700, customFields: {} } as unknown as ZendeskConfig;
  const limiter = new AccountRateLimiter(() => 700);
  const ctx = { acquire: () => limiter.acquire('zendesk:acme'), observe: (r: RateLimitReading) => limiter.observe('zendesk:acme', r), timeoutMs: 5000 };
  client = createZendeskClient({ zendesk, ctx });
  writer = new ZendeskWriter(client, zendesk);
});

afterEach(async () => {
  await sb.close();
});

describe('ZendeskWriter: a create whose response was lost', () => {
  it('within the Idempotency-Key window, the retry is answered from the key (no lookup, no second ticket)', async () => {
    sb.script.next({ drop: true, passThrough: true });
    await expect(writer.write(input(1, clock))).rejects.toThrow();
    clock += IDEMPOTENCY_TRUSTED_MS - 60_000;
    const again = await writer.write(input(2, clock));
    expect(again.outcome).toBe('created');
    expect(markedTickets(SAMPLE_HANDOFF_ID)).toEqual([Number(again.ref.id)]);
    expect(sb.calls.map((c) => c.operation)).toEqual(['CreateTicket', 'CreateTicket']);
    expect(sb.calls[1]?.idempotency).toBe('hit');
    expectEveryCallMatchedSpec(sb);
  });

  it('after Zendesk forgot the key (3 h later), the retry finds the ticket by external_id and its marker', async () => {
    sb.script.next({ drop: true, passThrough: true });
    await expect(writer.write(input(1, clock))).rejects.toThrow();
    const [created] = markedTickets(SAMPLE_HANDOFF_ID);
    clock += 3 * HOUR;
    const again = await writer.write(input(2, clock));
    expect(again).toEqual({ ref: { helpdesk: 'zendesk', id: String(created) }, outcome: 'already_written' });
    expect(markedTickets(SAMPLE_HANDOFF_ID)).toEqual([created]);
    expect(sb.calls.map((c) => c.operation)).toEqual(['CreateTicket', 'ListTickets', 'ListTicketComments']);
    expect(sb.calls[1]?.query).toMatchObject({ external_id: 'conv_123' });
  });

  it('the key really is gone by then: without the lookup Zendesk would have made a second ticket', async () => {
    sb.script.next({ drop: true, passThrough: true });
    await expect(writer.write(input(1, clock))).rejects.toThrow();
    clock += 3 * HOUR;
    // The same POST the writer would send, straight to the sandbox: a miss and a new ticket.
    const res = await fetch(`${sb.url}/api/v2/tickets.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('demo@baton.local/token:sandbox').toString('base64')}`, 'content-type': 'application/json', 'idempotency-key': SAMPLE_HANDOFF_ID },
      body: JSON.stringify(sb.calls[0]?.body),
    });
    expect(res.headers.get('x-idempotency-lookup')).toBe('miss');
    expect(markedTickets(SAMPLE_HANDOFF_ID)).toHaveLength(2);
  });

  it('a late retry whose first try never landed creates the ticket, passing over other tickets of the conversation', async () => {
    // An earlier handoff of the same conversation made a ticket; it must not be mistaken for this one.
    await writer.write(input(1, clock, 'ho_earlier_handoff'));
    sb.script.next({ drop: true });
    await expect(writer.write(input(1, clock))).rejects.toThrow();
    clock += 3 * HOUR;
    const again = await writer.write(input(2, clock));
    expect(again.outcome).toBe('created');
    expect(markedTickets(SAMPLE_HANDOFF_ID)).toEqual([Number(again.ref.id)]);
    expect(markedTickets('ho_earlier_handoff')).toHaveLength(1);
    expect(sb.calls.filter((c) => c.operation === 'CreateTicket' && !c.scripted)).toHaveLength(2);
    expectEveryCallMatchedSpec(sb);
  });
});

describe('ZendeskWriter: a retried create whose body changed', () => {
  it('recognises its own ticket when Zendesk refuses the reused key for a different body', async () => {
    sb.script.next({ drop: true, passThrough: true });
    await expect(writer.write(input(1, clock))).rejects.toThrow();
    const [created] = markedTickets(SAMPLE_HANDOFF_ID);
    // Between the tries an admin installed the app's fields, so the retry carries custom_fields the first lacked.
    const withFields = new ZendeskWriter(client, { customFields: {} } as unknown as ZendeskConfig, { ids: async () => ({ sentiment: 360010000001 }) });
    const again = await withFields.write(input(2, clock + 60_000));
    expect(again).toEqual({ ref: { helpdesk: 'zendesk', id: String(created) }, outcome: 'already_written' });
    expect(sb.calls.map((c) => `${c.operation}:${c.status}`)).toEqual(['CreateTicket:0', 'CreateTicket:400', 'ListTickets:200', 'ListTicketComments:200']);
    expect(markedTickets(SAMPLE_HANDOFF_ID)).toEqual([created]);
  });
});

describe('TicketFieldDirectory', () => {
  it('reads the field list once per cache period, lets configured ids win, and retries a 503 instead of guessing', async () => {
    const dir = new TicketFieldDirectory(client, { sentiment: 9001 }, true, () => clock);
    const installed = (title: string) => sb.state.ticketFields.find((f) => f.title === title)?.id;
    sb.script.next({ status: 503, body: { error: 'Unavailable' }, match: { path: /ticket_fields/ } });
    await expect(dir.ids()).rejects.toThrow();
    const ids = await dir.ids();
    expect(ids).toEqual({ sentiment: 9001, escalationReason: installed('Escalation reason (Baton)'), handoffId: installed('Baton handoff ID') });
    await dir.ids();
    clock += FIELD_CACHE_MS - 1;
    await dir.ids();
    expect(sb.calls.filter((c) => c.operation === 'ListTicketFields')).toHaveLength(2);
    clock += 1;
    await dir.ids();
    expect(sb.calls.filter((c) => c.operation === 'ListTicketFields')).toHaveLength(3);
  });

  it('does not call Zendesk when discovery is off', async () => {
    const dir = new TicketFieldDirectory(client, { handoffId: 7 }, false, () => clock);
    expect(await dir.ids()).toEqual({ handoffId: 7 });
    expect(sb.calls).toHaveLength(0);
  });
});
