/** Bot Framework / Copilot Studio adapter: the official Direct Line handoff.initiate → HandoffEvent; ignored and refused bodies. */
import { describe, expect, it } from 'vitest';
import adapter from '../../../server/bots/botframework/adapter.ts';
import { parseBotFrameworkConfig } from '../../../server/bots/botframework/config.ts';
import { clone, fixture, oneEvent, parseWith } from './fixtures.ts';

type Activity = Record<string, unknown> & { value: Record<string, unknown>; attachments: Array<{ content: { activities: unknown[] } }> };
const SET = fixture<{ activities: Activity[] }>('microsoft-bot-framework/copilot-studio-directline-handoff-initiate.json');
const settings = parseBotFrameworkConfig({ token: 'bf_token_1' }, 'tenants[0].bots.botFramework');

/** The fixture with a ticket id in the handoff context (the fixture names no ticket and no email). */
function withTicket(): { activities: Activity[] } {
  const s = clone(SET);
  s.activities[0]!.value.ticket = { id: 35436 };
  return s;
}

describe('Bot Framework: handoff.initiate', () => {
  it('the transcript attachment gives customer and bot turns (by from.role), with the matched trigger and score; va_* gives reason, bot, language', () => {
    const e = oneEvent(parseWith(adapter, withTicket(), settings));
    expect(e.id).toBe('botframework:91hcXEd0ZYCBPoRwBDPHZ6-o|0000005');
    expect(e.source).toBe('botframework');
    expect(e.messages).toEqual([
      { role: 'customer', text: 'store hours', at: '2020-02-10T21:51:21.491Z' },
      { role: 'bot', text: "I'm happy to help with store hours.", at: '2020-02-10T21:51:30.636Z', bot: { intent: 'Store hours', confidence: 1 } },
    ]);
    expect(e.trigger).toEqual({ kind: 'unknown', nativeType: 'handoff.initiate', reason: 'Transferred', botName: 'Test501', requestedAt: '2020-02-10T21:51:37.499Z' });
    expect(e.conversation).toEqual({ nativeId: '91hcXEd0ZYCBPoRwBDPHZ6-o', channel: 'directline', startedAt: '2020-02-10T21:51:21.491Z', locale: 'en-US' });
    expect(e.customer).toEqual({ id: 'pva_H1YHD_be80720b-bdb0-4561-aae2-5f891f2f02e0', name: 'C2 User' });
    expect(e.target).toEqual({ helpdesk: 'zendesk', id: '35436' });
  });

  it('the activity posted alone (what EventFactory.createHandoffInitiation builds) is the same handoff', () => {
    const one = withTicket().activities[0];
    expect(oneEvent(parseWith(adapter, one, settings))).toEqual(oneEvent(parseWith(adapter, withTicket(), settings)));
  });

  it('the Escalate topic is a customer request; customer identity and attributes from the context', () => {
    const s = clone(SET);
    Object.assign(s.activities[0]!.value, { va_LastTopic: 'Escalate', customer: { email: 'c2@example.com' }, plan: 'pro' });
    const e = oneEvent(parseWith(adapter, s, settings));
    expect(e.trigger.kind).toBe('customer_request');
    expect(e.customer).toEqual({ id: 'pva_H1YHD_be80720b-bdb0-4561-aae2-5f891f2f02e0', name: 'C2 User', email: 'c2@example.com', attributes: { plan: 'pro' } });
    expect(e.target).toEqual({ helpdesk: 'zendesk' });
  });

  it("without a transcript, the context's phrases are the customer's turns", () => {
    const s = withTicket();
    delete (s.activities[0] as Record<string, unknown>).attachments;
    s.activities[0]!.value.va_LastPhrases = ['where is my order', 'agent'];
    delete s.activities[0]!.value.va_Phrases;
    expect(oneEvent(parseWith(adapter, s, settings)).messages).toEqual([
      { role: 'customer', text: 'where is my order' },
      { role: 'customer', text: 'agent' },
    ]);
  });

  it('acknowledges what is not a handoff.initiate (handoff.status, a message, a set without one)', () => {
    expect(parseWith(adapter, { type: 'event', name: 'handoff.status', value: { state: 'accepted' }, conversation: { id: 'c' } }, settings)).toEqual({ kind: 'ignored', reason: 'activity event "handoff.status" is not "handoff.initiate"' });
    expect(parseWith(adapter, { type: 'message', text: 'hi' }, settings).kind).toBe('ignored');
    expect(parseWith(adapter, { activities: [{ type: 'message', text: 'hi' }] }, settings).kind).toBe('ignored');
  });

  it('several handoff.initiate events in one set are several handoffs; the same activity twice is one', () => {
    const s = withTicket();
    const second = clone(s.activities[0]!);
    second.id = 'other|0000009';
    s.activities.push(second, clone(second));
    const r = parseWith(adapter, s, settings);
    expect(r.kind === 'handoffs' && r.events.map((e) => e.id)).toEqual(['botframework:91hcXEd0ZYCBPoRwBDPHZ6-o|0000005', 'botframework:other|0000009']);
  });

  it('refuses what it cannot read, naming each field', () => {
    const s = withTicket();
    delete (s.activities[0] as Record<string, unknown>).conversation;
    s.activities[0]!.attachments[0]!.content.activities = 'nope' as unknown as unknown[];
    const r = parseWith(adapter, s, settings);
    expect(r.kind === 'invalid' && r.errors.map((e) => e.field)).toEqual(['activities[0].conversation.id', 'activities[0].attachments[0].content.activities']);
    expect(parseWith(adapter, { activities: 3 }, settings).kind).toBe('invalid');
    expect(parseWith(adapter, { name: 'handoff.initiate' }, settings).kind).toBe('invalid');
    const empty = withTicket();
    empty.activities[0]!.attachments[0]!.content.activities = [];
    delete empty.activities[0]!.value.va_Phrases;
    delete empty.activities[0]!.value.va_LastPhrase;
    const r2 = parseWith(adapter, empty, settings);
    expect(r2.kind === 'invalid' && r2.errors[0]).toEqual({ field: 'activities[0].attachments', problem: 'no transcript with a message and no va_Phrases / va_LastPhrases: nothing to brief' });
    // The fixture as-is names no ticket and no email: Baton could not create the ticket.
    const r3 = parseWith(adapter, clone(SET), settings);
    expect(r3.kind === 'invalid' && r3.errors[0]!.field).toBe('activities[0].value.customer.email');
  });
});
