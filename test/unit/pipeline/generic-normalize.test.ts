import { describe, expect, it } from 'vitest';
import { normalizeGenericHandoff, triggerKindFromReason } from '../../../server/bots/generic/normalize.ts';
import { fixture } from '../analysis/helpers.ts';
import { validateGenericHandoff } from '../../../server/bots/generic/schema.ts';
import { MAX_MESSAGE_CHARS, cutText } from '../../../server/util/cut-transcript.ts';
import { analyze } from '../../../server/analysis/index.ts';

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
      target: { helpdesk: 'zendesk', id: '35436' },
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

describe('long handoffs are cut, not refused (issue 7, item 3)', () => {
  const msgs = (n: number) => Array.from({ length: n }, (_, i) => ({ role: 'customer', text: `m${i}` }));

  it('the schema accepts a 200 KB message and 2,001 messages; a bad role is still refused', () => {
    expect(validateGenericHandoff({ id: 'e', conversation: { id: 'c' }, ticket: { id: 1 }, messages: [{ role: 'customer', text: 'x'.repeat(200_000) }] }).ok).toBe(true);
    expect(validateGenericHandoff({ id: 'e', conversation: { id: 'c' }, ticket: { id: 1 }, messages: msgs(2_001) }).ok).toBe(true);
    expect(validateGenericHandoff({ id: 'e', conversation: { id: 'c' }, ticket: { id: 1 }, messages: [{ role: 'narrator', text: 'x' }] }).ok).toBe(false);
    expect(validateGenericHandoff({ id: 'x'.repeat(201), conversation: { id: 'c' }, ticket: { id: 1 }, messages: msgs(1) }).ok).toBe(false);
  });

  it('keeps the head and tail of an over-long message with a visible marker, and records the cut', () => {
    const text = `HEAD${'a'.repeat(20_000)}TAIL`;
    const ev = normalizeGenericHandoff({ messages: [{ role: 'customer', text }] });
    const cut = text.length - MAX_MESSAGE_CHARS;
    expect(ev.messages[0]!.text).toBe(`${text.slice(0, 4_000)}\n[… ${cut.toLocaleString('en-US')} characters cut …]\n${text.slice(-4_000)}`);
    expect(ev.cuts).toEqual({ messagesTruncated: 1, charactersCut: cut, messagesDropped: 0 });
  });

  it('keeps the first 50 and last 450 of more than 500 messages, with a system line where they were cut', () => {
    const ev = normalizeGenericHandoff({ messages: msgs(2_001) });
    expect(ev.messages).toHaveLength(501);
    expect(ev.messages[49]!.text).toBe('m49');
    expect(ev.messages[50]).toEqual({ role: 'system', text: '[… 1,501 messages cut …]' });
    expect(ev.messages[51]!.text).toBe('m1551');
    expect(ev.messages[500]!.text).toBe('m2000');
    expect(ev.cuts).toEqual({ messagesTruncated: 0, charactersCut: 0, messagesDropped: 1_501 });
    expect(normalizeGenericHandoff({ messages: msgs(500) }).cuts).toBeUndefined();
  });

  it('never splits a card number or an emoji at a cut, so redaction still sees it whole', () => {
    const card = '4111 1111 1111 1111';
    // Place the card across the head boundary (4,000) and an emoji across the tail boundary.
    const head = 'x'.repeat(4_000 - 8) + card;
    const tail = '😀' + 'y'.repeat(3_999);
    const out = cutText(head + 'z'.repeat(5_000) + tail)!;
    expect(out.text).not.toContain('4111 1111');
    expect(out.text.endsWith('y'.repeat(3_999))).toBe(true);
    expect(out.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(analyze(normalizeGenericHandoff({ messages: [{ role: 'customer', text: head + 'z'.repeat(5_000) }] })).transcript[0]!.text).not.toMatch(/4111/);
  });
});

describe('generic event targets (helpdesk seam)', () => {
  const base = { id: 'evt_t', conversation: { id: 'c' }, messages: [{ role: 'customer', text: 'hi' }] };

  it('a ticket.id, as a number or a string of digits, targets that Zendesk ticket as a string id', () => {
    expect(normalizeGenericHandoff({ ...base, ticket: { id: 35436 } }, 't').target).toEqual({ helpdesk: 'zendesk', id: '35436' });
    expect(normalizeGenericHandoff({ ...base, ticket: { id: '35437' } }, 't').target).toEqual({ helpdesk: 'zendesk', id: '35437' });
    // Not a ticket id: no target id, so the default helpdesk.
    for (const id of [0, -3, 1.5, '12a', '', null]) expect(normalizeGenericHandoff({ ...base, ticket: { id } }, 't', undefined, 'other').target).toEqual({ helpdesk: 'other' });
  });

  it('intercom.conversationId targets that Intercom conversation; a body naming both goes to the first registered (Zendesk)', () => {
    expect(normalizeGenericHandoff({ ...base, intercom: { conversationId: '215468352873095' } }, 't').target).toEqual({ helpdesk: 'intercom', id: '215468352873095' });
    expect(normalizeGenericHandoff({ ...base, ticket: { id: 7 }, intercom: { conversationId: '215468352873095' } }, 't').target).toEqual({ helpdesk: 'zendesk', id: '7' });
  });

  it("without a target the tenant's default helpdesk gets it, with no id (create, where the helpdesk can)", () => {
    expect(normalizeGenericHandoff(base, 't', undefined, 'intercom').target).toEqual({ helpdesk: 'intercom' });
    // The CLI passes no default: the first registered helpdesk.
    expect(normalizeGenericHandoff(base).target).toEqual({ helpdesk: 'zendesk' });
  });

  it('the schema takes intercom.conversationId as an identifier only, and still wants an email when nothing is targeted', () => {
    expect(validateGenericHandoff({ ...base, intercom: { conversationId: '215468352873095' } })).toMatchObject({ ok: true });
    expect(validateGenericHandoff({ ...base, intercom: { conversationId: '' } })).toMatchObject({ ok: false });
    expect(validateGenericHandoff({ ...base, intercom: { conversationId: '../../admins' } })).toMatchObject({ ok: false });
    expect(validateGenericHandoff(base)).toMatchObject({ ok: false, errors: [{ field: 'customer', problem: expect.any(String) }] });
  });
});
