/** Fin (Fin Agent API) adapter: a relayed fin_status_updated escalation with the /fin/start history → HandoffEvent. */
import { describe, expect, it } from 'vitest';
import adapter from '../../../server/bots/fin/adapter.ts';
import { parseFinConfig } from '../../../server/bots/fin/config.ts';
import { clone, fixture, oneEvent, parseWith } from './fixtures.ts';

const STATUS = fixture('fin/fin-agent-status-updated-escalated.assembled-from-schema-examples.json');
const START = fixture<{ message: Record<string, unknown>; user: Record<string, unknown>; conversation_metadata: { history: unknown[] } }>('fin/fin-agent-start-request-with-history.json');
const settings = parseFinConfig({ token: 'fin_token_1' }, 'tenants[0].bots.fin');

/** What the relay sends: the event, the history it passed to /fin/start plus the message it started with, the user. */
const relayed = (extra: Record<string, unknown> = {}) => ({ ...clone(STATUS), history: [...clone(START.conversation_metadata.history), clone(START.message)], user: clone(START.user), ...extra });

describe('Fin: fin_status_updated escalated', () => {
  it('yields the history as turns, the user as the customer, the reason as a customer request', () => {
    const e = oneEvent(parseWith(adapter, relayed(), settings));
    expect(e.id).toBe('fin:123456:2025-01-24T10:00:00.123Z');
    expect(e.source).toBe('fin');
    expect(e.messages).toEqual([
      { role: 'customer', text: 'I need help', at: '2025-01-24T10:00:01.000Z' },
      { role: 'agent', text: 'What do you need help with?', at: '2025-01-24T10:01:00.000Z' },
      { role: 'customer', text: 'How can I see my account details?', at: '2025-01-24T10:01:20.000Z' },
    ]);
    expect(e.customer).toEqual({ id: '123456', name: 'John Doe', email: 'john.doe@example.com', attributes: { plan_type: 'Pro', subscription_status: 'active' } });
    expect(e.trigger).toEqual({ kind: 'customer_request', nativeType: 'fin_status_updated:escalated', botName: 'Fin', reason: 'Escalation requested by user', requestedAt: '2025-01-24T10:00:00.123Z' });
    expect(e.conversation).toEqual({ nativeId: '123456', channel: 'fin-agent-api', startedAt: '2025-01-24T10:00:01.000Z' });
    expect(e.target).toEqual({ helpdesk: 'zendesk' });
  });

  it("maps Fin's documented reasons; fin turns are the bot's; a ticket id from `baton`", () => {
    for (const [reason, kind] of [['Escalation rule: VIP', 'policy'], ['Routed to team', 'agent_transfer'], ['Conversation finished without resolution', 'bot_failure']] as const) {
      expect(oneEvent(parseWith(adapter, relayed({ reason }), settings)).trigger.kind).toBe(kind);
    }
    const e = oneEvent(parseWith(adapter, relayed({ history: [{ author: 'user', body: 'refund?' }, { author: 'fin', body: 'Refunds take 5 days.' }], baton: { ticket: { id: 35436 } } }), settings));
    expect(e.messages.map((m) => m.role)).toEqual(['customer', 'bot']);
    expect(e.target).toEqual({ helpdesk: 'zendesk', id: '35436' });
  });

  it('other statuses and events are acknowledged, not stored', () => {
    expect(parseWith(adapter, relayed({ status: 'resolved' }), settings)).toEqual({ kind: 'ignored', reason: 'Fin status "resolved" is not an escalation' });
    expect(parseWith(adapter, { event_name: 'fin_replied', conversation_id: '1' }, settings).kind).toBe('ignored');
  });

  it('refuses what it cannot read, naming each field; without history there is nothing to brief', () => {
    const r = parseWith(adapter, { event_name: 'fin_status_updated', history: 'x', user: 3 }, settings);
    expect(r.kind === 'invalid' && r.errors.map((e) => e.field)).toEqual(['status', 'conversation_id', 'created_at_ms', 'history', 'user']);
    const r2 = parseWith(adapter, { ...clone(STATUS), user: clone(START.user) }, settings);
    expect(r2.kind === 'invalid' && r2.errors[0]!.field).toBe('history');
    // The fixture event alone names no customer email and no ticket.
    const r3 = parseWith(adapter, { ...clone(STATUS), history: [{ author: 'user', body: 'hi' }] }, settings);
    expect(r3.kind === 'invalid' && r3.errors[0]!.field).toBe('baton.customer.email');
  });
});
