/** Dialogflow CX adapter: a real-shaped WebhookRequest → HandoffEvent, what is ignored or refused, and the answer. */
import { describe, expect, it } from 'vitest';
import adapter from '../../../server/bots/dialogflow-cx/adapter.ts';
import { parseDialogflowCxConfig, type DialogflowCxSettings } from '../../../server/bots/dialogflow-cx/config.ts';
import { transitionMessage } from '../../../server/bots/dialogflow-cx/transition-message.ts';
import type { InboxResult } from '../../../server/store/store.ts';
import { clone, fixture, oneEvent, parseWith, RECEIVED_AT, tenant } from './fixtures.ts';

const HANDOFF = fixture('dialogflow-cx/webhook-request-handoff.assembled.json');
const TELECOM = fixture('dialogflow-cx/webhook-request-telecom-sample.json');
const settings: DialogflowCxSettings = parseDialogflowCxConfig({ token: 'df_token_1' }, 'tenants[0].bots.dialogflowCx');

describe('Dialogflow CX: the handoff request', () => {
  it('yields the customer, bot turns with the matched intent and its confidence, identity, attributes and locale', () => {
    const e = oneEvent(parseWith(adapter, HANDOFF, settings));
    expect(e.id).toBe('dialogflow:5d4f3f0e-6d2a-4b8e-9a51-0c7e2f1a9b33');
    expect(e.source).toBe('dialogflow');
    expect(e.receivedAt).toBe(RECEIVED_AT);
    expect(e.tenantId).toBe('acme');
    expect(e.transcriptComplete).toBe(true);
    expect(e.conversation).toEqual({ nativeId: 'a1b2c3d4-e5f6-7890-abcd-ef0123456789', channel: 'dialogflow-cx', locale: 'en' });
    expect(e.messages.map((m) => [m.role, m.text.slice(0, 30)])).toEqual([
      ['customer', 'Hi, I returned my order A-1004'],
      ['bot', 'Refunds take 5 to 10 business '],
      ['customer', 'It has been 14 days. I already'],
      ['customer', 'I want to talk to a real perso'],
      ['bot', "I'm sorry about the wait on yo"],
    ]);
    expect(e.messages[4]!.bot).toEqual({ intent: 'billing.refund_status', confidence: 0.42 });
    expect(e.customer).toEqual({ id: 'cus_7781', email: 'dana.reyes@example.com', name: 'Dana Reyes', tier: 'gold', attributes: { order_number: 'A-10042' } });
    expect(e.target).toEqual({ helpdesk: 'zendesk' });
    expect(e.trigger).toEqual({ kind: 'unknown', nativeType: 'fulfillmentInfo.tag:handoff', reason: 'billing.refund_status' });
  });

  it('targets the ticket named in the payload or in the baton_ticket_id session parameter', () => {
    const a = clone(HANDOFF) as { payload: Record<string, unknown>; sessionInfo: { parameters: Record<string, unknown> } };
    a.payload.ticket = { id: 35436 };
    expect(oneEvent(parseWith(adapter, a, settings)).target).toEqual({ helpdesk: 'zendesk', id: '35436' });
    const b = clone(HANDOFF) as { payload: Record<string, unknown>; sessionInfo: { parameters: Record<string, unknown> } };
    b.sessionInfo.parameters.baton_ticket_id = '35437';
    const e = oneEvent(parseWith(adapter, b, settings));
    expect(e.target).toEqual({ helpdesk: 'zendesk', id: '35437' });
    expect(e.customer.attributes).not.toHaveProperty('baton_ticket_id');
  });

  it('reads a no-match event as a bot failure, and an intent asking for a person as a customer request', () => {
    const a = clone(HANDOFF) as Record<string, unknown>;
    delete a.text;
    a.triggerEvent = 'sys.no-match-3';
    expect(oneEvent(parseWith(adapter, a, settings)).trigger).toMatchObject({ kind: 'bot_failure', reason: 'no_match' });
    const b = clone(HANDOFF) as { intentInfo: Record<string, unknown> };
    b.intentInfo.displayName = 'small_talk.talk_to_human_agent';
    expect(oneEvent(parseWith(adapter, b, settings)).trigger.kind).toBe('customer_request');
  });

  it('reads "constructor" or "__proto__" as plain text and reasons, never as Object.prototype members', () => {
    const a = clone(HANDOFF) as { sessionInfo: { parameters: Record<string, unknown> }; payload: Record<string, unknown> };
    a.sessionInfo.parameters.baton_transcript = 'constructor: x\n__proto__: y';
    a.payload.handoff = { reason: 'constructor' };
    const e = oneEvent(parseWith(adapter, a, settings));
    expect(e.messages[0]).toEqual({ role: 'customer', text: 'constructor: x\n__proto__: y' });
    expect(e.trigger.kind).toBe('unknown');
    expect(JSON.parse(JSON.stringify(e)).trigger.kind).toBe('unknown');
  });

  it('takes the transcript as `role: text` lines in the session parameter the tenant names', () => {
    const s = parseDialogflowCxConfig({ token: 'df_token_1', transcriptParameter: 'history' }, 'x');
    const a = clone(HANDOFF) as { sessionInfo: { parameters: Record<string, unknown> } };
    a.sessionInfo.parameters = { history: 'customer: my card was charged twice\nbot: Let me check.\nstill nothing after a week\nuser: agent please' };
    const e = oneEvent(parseWith(adapter, a, s));
    expect(e.messages.slice(0, 3)).toEqual([
      { role: 'customer', text: 'my card was charged twice' },
      { role: 'bot', text: 'Let me check.\nstill nothing after a week' },
      { role: 'customer', text: 'agent please' },
    ]);
  });

  it('the official telecom sample: refused without detectIntentResponseId; its form parameters read once it has one', () => {
    const r = parseWith(adapter, TELECOM, settings);
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.errors.map((e) => e.field)).toEqual(['detectIntentResponseId']);
    const withId = { ...clone(TELECOM), detectIntentResponseId: 'r-1' };
    // Its tag is not a handoff tag for this tenant: acknowledged, nothing stored.
    expect(parseWith(adapter, withId, settings)).toEqual({ kind: 'ignored', reason: 'fulfillment tag "detectCustomerAnomaly" is not a handoff tag (handoff)' });
    const tagged = parseDialogflowCxConfig({ token: 'df_token_1', handoffTags: ['handoff', 'detectCustomerAnomaly'] }, 'x');
    const nothing = parseWith(adapter, withId, tagged);
    expect(nothing.kind === 'invalid' && nothing.errors[0]!.problem).toMatch(/nothing to brief/);
    const e = oneEvent(parseWith(adapter, { ...withId, text: 'my bill is wrong', payload: { ticket: { id: 1 } } }, tagged));
    expect(e.customer.attributes).toEqual({ phone_number: 999999, bill_state: 'current', 'bill_amount.amount': 1000 });
    expect(e.conversation.nativeId).toBe('r-1');
  });

  it('refuses what it cannot read, naming each field', () => {
    const bad = clone(HANDOFF) as Record<string, unknown> & { intentInfo: Record<string, unknown>; sessionInfo: { parameters: Record<string, unknown> } };
    bad.intentInfo.confidence = 1.5;
    bad.messages = [{ text: { text: [3] } }];
    bad.payload = 'dana@example.com';
    const r = parseWith(adapter, bad, settings);
    expect(r.kind === 'invalid' && r.errors.map((e) => e.field)).toEqual(['intentInfo.confidence', 'messages[0].text.text', 'payload']);
    const roles = clone(HANDOFF) as { sessionInfo: { parameters: Record<string, unknown> } };
    roles.sessionInfo.parameters.baton_transcript = [{ role: 'wizard', text: 'x' }];
    const r2 = parseWith(adapter, roles, settings);
    expect(r2.kind === 'invalid' && r2.errors).toEqual([{ field: 'sessionInfo.parameters.baton_transcript[0]', problem: 'role must be one of customer, bot, agent, system' }]);
    expect(parseWith(adapter, [], settings).kind).toBe('invalid');
    expect(parseWith(adapter, { fulfillmentInfo: {}, detectIntentResponseId: 'x' }, settings).kind).toBe('invalid');
  });

  it('without a ticket id, creating one needs the customer email: refused with 422 rather than dead-lettered', () => {
    const a = clone(HANDOFF) as { payload: Record<string, unknown> };
    delete a.payload.customer;
    const r = parseWith(adapter, a, settings);
    expect(r.kind === 'invalid' && r.errors).toEqual([{ field: 'payload.customer.email', problem: 'is required when no ticket id is given (Baton creates the ticket for this customer)' }]);
  });
});

describe('Dialogflow CX: the answer', () => {
  const result: InboxResult = { handoffId: 'ho_1', duplicate: false } as InboxResult;
  const ctx = { tenant: tenant(), settings, receivedAt: RECEIVED_AT };

  it('is a fulfillmentResponse appending the transition message, with the handoff id as a session parameter, on first receipt and on a duplicate', () => {
    const event = oneEvent(parseWith(adapter, HANDOFF, settings));
    const first = adapter.respond!({ kind: 'stored', handoffs: [{ event, result }] }, ctx);
    const again = adapter.respond!({ kind: 'stored', handoffs: [{ event, result: { ...result, duplicate: true } }] }, ctx);
    expect(first).toEqual({
      status: 200,
      body: {
        fulfillmentResponse: { messages: [{ text: { text: [transitionMessage('en')] } }], mergeBehavior: 'APPEND' },
        sessionInfo: { parameters: { baton_handoff_id: 'ho_1' } },
      },
    });
    expect(again).toEqual(first);
    expect(transitionMessage('en')).toMatch(/person.*reply here.*won't need to repeat anything/);
  });

  it('speaks the request language (pt-BR → pt, unknown → English); a tenant wording wins', () => {
    expect(transitionMessage('de')).toMatch(/^Ich übergebe/);
    expect(transitionMessage('pt-BR')).toMatch(/^Vou passar/);
    expect(transitionMessage('xx')).toBe(transitionMessage('en'));
    expect(transitionMessage(undefined)).toBe(transitionMessage('en'));
    // Never a property of Object.prototype.
    expect(transitionMessage('constructor')).toBe(transitionMessage('en'));
    expect(transitionMessage('__proto__')).toBe(transitionMessage('en'));
    expect(transitionMessage('fr-CA', { fr: 'Un instant.' })).toBe('Un instant.');
    const own = parseDialogflowCxConfig({ transitionMessages: { de_DE: 'Moment bitte.' } }, 'x');
    expect(transitionMessage('de-DE', own.transitionMessages)).toBe('Moment bitte.');
  });

  it('answers an ignored tag with an empty WebhookResponse', () => {
    expect(adapter.respond!({ kind: 'ignored', reason: 'x' }, ctx)).toEqual({ status: 200, body: {} });
  });
});
