import { describe, expect, it } from 'vitest';
import { normalizeGenericHandoff, triggerKindFromReason } from '../../../server/bots/generic/normalize.ts';
import { fixture } from '../analysis/helpers.ts';

describe('normalizeGenericHandoff', () => {
  it('maps the generic v1 body', () => {
    const ev = normalizeGenericHandoff(fixture('cancellation-lost'), 't1');
    expect(ev).toMatchObject({
      id: 'generic:evt_cancel_01',
      tenantId: 't1',
      source: 'generic',
      trigger: { kind: 'customer_request', nativeType: 'customer_request', botName: 'Halo', requestedAt: '2026-11-20T10:35:00Z' },
      conversation: { nativeId: 'conv_123', channel: 'web_chat', locale: 'en-US', pageUrl: 'https://app.example.com/settings/billing' },
      customer: { id: 'C-12345', email: 'sarah@example.com', name: 'Sarah Johnson', tier: 'premium' },
      target: { helpdesk: 'zendesk', ticketId: 35436 },
      transcriptComplete: true,
    });
    expect(ev.messages[2]?.bot).toEqual({ intent: 'order_cancel', confidence: 0.41, articles: [{ title: 'Cancel an order', url: 'https://help.example.com/cancel' }] });
  });

  it('maps reasons to trigger kinds, keeping unknown reasons', () => {
    expect(triggerKindFromReason('fallback')).toBe('bot_failure');
    expect(triggerKindFromReason('low_confidence')).toBe('bot_failure');
    const ev = normalizeGenericHandoff({ messages: [], handoff: { reason: 'business_hours' } });
    expect(ev.trigger).toMatchObject({ kind: 'unknown', reason: 'business_hours' });
  });

  it('accepts a bare messages object and rejects bad input', () => {
    expect(normalizeGenericHandoff({ messages: [{ role: 'customer', text: 'hi' }] }).messages).toHaveLength(1);
    expect(() => normalizeGenericHandoff({})).toThrow('messages must be an array');
    expect(() => normalizeGenericHandoff({ messages: [{ role: 'robot', text: 'x' }] })).toThrow('messages[0].role');
  });
});
