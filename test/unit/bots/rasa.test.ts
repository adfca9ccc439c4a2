/** Rasa adapter: the official moodbot tracker (and its assembled form with bot events) → HandoffEvent; refusals. */
import { describe, expect, it } from 'vitest';
import adapter from '../../../server/bots/rasa/adapter.ts';
import { parseRasaConfig } from '../../../server/bots/rasa/config.ts';
import { clone, fixture, oneEvent, parseWith } from './fixtures.ts';

type Tracker = Record<string, unknown> & { events: Array<Record<string, unknown>>; slots: Record<string, unknown> };
const MOODBOT = fixture<Tracker>('rasa/tracker-moodbot.json');
const WITH_BOT = fixture<Tracker>('rasa/tracker-moodbot-with-bot-events.assembled.json');
const settings = parseRasaConfig({ token: 'rasa_token_1' }, 'tenants[0].bots.rasa');
const withTicket = (t: Tracker, extra: Record<string, unknown> = {}): Tracker => ({ ...clone(t), baton: { ticket: { id: 35436 }, ...extra } });

describe('Rasa: the tracker', () => {
  it('user events are customer turns and bot events bot turns, each with the intent and confidence of the turn it answered; epoch floats become ISO times', () => {
    const e = oneEvent(parseWith(adapter, withTicket(WITH_BOT), settings));
    expect(e.id).toBe('rasa:mysender:1517821726.211042');
    expect(e.source).toBe('rasa');
    expect(e.messages).toEqual([
      { role: 'customer', text: '/greet', at: '2018-02-05T09:08:46.200Z' },
      { role: 'bot', text: 'Hey! How are you?', at: '2018-02-05T09:08:46.200Z', bot: { intent: 'greet', confidence: 0.54 } },
      { role: 'customer', text: '/mood_great', at: '2018-02-05T09:08:46.210Z' },
      { role: 'bot', text: 'Great, carry on!', at: '2018-02-05T09:08:46.210Z', bot: { intent: 'mood_great', confidence: 0.6 } },
    ]);
    expect(e.conversation).toEqual({ nativeId: 'mysender', channel: 'rasa', startedAt: '2018-02-05T09:08:46.200Z' });
    expect(e.target).toEqual({ helpdesk: 'zendesk', id: '35436' });
    expect(e.trigger).toEqual({ kind: 'unknown', nativeType: 'rasa:handoff_action', reason: 'mood_great', requestedAt: '2018-02-05T09:08:46.211Z' });
    // All slots of the fixture are null: no attributes.
    expect(e.customer).toEqual({});
  });

  it('the official fixture as-is (no bot events): the customer turns only', () => {
    const e = oneEvent(parseWith(adapter, withTicket(MOODBOT), settings));
    expect(e.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', '/greet'],
      ['customer', '/mood_great'],
    ]);
  });

  it('reads identity from slots, custom actions and link buttons as what the bot tried, nlu_fallback as a bot failure', () => {
    const t = withTicket(WITH_BOT);
    t.slots = { email: 'sam@example.com', name: 'Sam', order_id: 'A-1', requested_slot: 'x', cart: ['a'] };
    (t as Record<string, unknown>).latest_message = { intent: { name: 'nlu_fallback', confidence: 0.3 } };
    t.events.push(
      { event: 'user', timestamp: 1517821727, text: 'my password reset never arrives', parse_data: { intent: { name: 'nlu_fallback', confidence: 0.31 } } },
      { event: 'action', timestamp: 1517821727.1, name: 'action_send_reset_email' },
      { event: 'action', timestamp: 1517821727.2, name: 'utter_reset_help' },
      { event: 'bot', timestamp: 1517821727.3, text: 'I sent a new reset email. See also:', data: { buttons: [{ title: 'Reset guide', url: 'https://help.example.com/reset' }, { title: 'Yes', payload: '/affirm' }] } },
      { event: 'slot', timestamp: 1517821727.4, name: 'email', value: 'sam@example.com' },
    );
    const e = oneEvent(parseWith(adapter, t, settings));
    expect(e.customer).toEqual({ email: 'sam@example.com', name: 'Sam', attributes: { email: 'sam@example.com', name: 'Sam', order_id: 'A-1' } });
    expect(e.messages.at(-1)).toEqual({
      role: 'bot',
      text: 'I sent a new reset email. See also:',
      at: '2018-02-05T09:08:47.300Z',
      bot: { intent: 'nlu_fallback', confidence: 0.31, articles: [{ title: 'Reset guide', url: 'https://help.example.com/reset' }], actions: ['action_send_reset_email'] },
    });
    expect(e.trigger).toMatchObject({ kind: 'bot_failure', reason: 'nlu_fallback' });
  });

  it("the action's `baton` key wins: customer, reason, target", () => {
    const t = { ...clone(WITH_BOT), baton: { customer: { email: 'kim@example.com', name: 'Kim' }, handoff: { reason: 'customer_request', botName: 'Moodbot' } } };
    const e = oneEvent(parseWith(adapter, t, settings));
    expect(e.customer).toMatchObject({ email: 'kim@example.com', name: 'Kim' });
    expect(e.trigger).toMatchObject({ kind: 'customer_request', reason: 'customer_request', botName: 'Moodbot' });
    expect(e.target).toEqual({ helpdesk: 'zendesk' });
  });

  it('the same tracker posted twice has the same dedupe id; a later one does not', () => {
    const a = oneEvent(parseWith(adapter, withTicket(WITH_BOT), settings));
    const b = oneEvent(parseWith(adapter, withTicket(WITH_BOT), settings));
    const later = withTicket(WITH_BOT);
    later.latest_event_time = 1517821999.5;
    expect(a.id).toBe(b.id);
    expect(oneEvent(parseWith(adapter, later, settings)).id).not.toBe(a.id);
  });

  it('refuses what it cannot read, naming each field', () => {
    const r = parseWith(adapter, { events: [{ timestamp: 'x' }, 3], slots: [] }, settings);
    expect(r.kind === 'invalid' && r.errors.map((e) => e.field)).toEqual(['sender_id', 'events[0]', 'events[1]', 'slots']);
    const r2 = parseWith(adapter, { sender_id: 's', events: [{ event: 'user', text: 5, timestamp: '1' }] }, settings);
    expect(r2.kind === 'invalid' && r2.errors.map((e) => e.field)).toEqual(['events[0].text', 'events[0].timestamp']);
    const r3 = parseWith(adapter, { sender_id: 's', events: [] }, settings);
    expect(r3.kind === 'invalid' && r3.errors[0]!.problem).toMatch(/nothing to brief/);
    // No ticket and no email: Baton could not create the ticket.
    const r4 = parseWith(adapter, clone(WITH_BOT), settings);
    expect(r4.kind === 'invalid' && r4.errors).toEqual([{ field: 'baton.customer.email', problem: 'is required when no ticket id is given (Baton creates the ticket for this customer)' }]);
    const r5 = parseWith(adapter, { ...clone(WITH_BOT), baton: { ticket: { id: -3 }, customer: { email: 'nope' } } }, settings);
    expect(r5.kind === 'invalid' && r5.errors.map((e) => e.field)).toEqual(['baton.customer.email', 'baton.ticket.id']);
  });
});
