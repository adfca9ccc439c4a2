import { describe, expect, it } from 'vitest';
import { analyze } from '../../../server/analysis/index.ts';
import { normalizeGenericHandoff } from '../../../server/bots/generic/normalize.ts';
import { fixtureEvent } from './helpers.ts';

describe('realistic handoffs', () => {
  it('cancellation made by phone that the system lost', () => {
    const r = analyze(fixtureEvent('cancellation-lost'));
    expect(r.topic.id).toBe('cancellation');
    expect(r.primaryTrigger).toBe('customer_requested_human');
    const ids = r.triggers.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['low_bot_confidence', 'negative_sentiment', 'sensitive_topic', 'vip_account', 'repeat_contact']));
    expect(r.triggers.find((t) => t.id === 'customer_requested_human')?.evidence?.messageIndex).toBe(3);
    expect(r.sentiment.label).toBe('negative');
    expect(r.sentiment.trend).toBe('worsening');
    expect(r.sentiment.signals.map((s) => s.id)).toEqual(expect.arrayContaining(['all_caps', 'frustration_phrase']));
    expect(r.attemptedSolutions).toEqual([
      expect.objectContaining({ kind: 'article', text: 'Cancel an order', url: 'https://help.example.com/cancel', outcome: 'rejected' }),
    ]);
    // Issue 14: the amount carries its date and what it is about.
    expect(r.keyFacts).toEqual(expect.arrayContaining([{ kind: 'amount', value: '$49.99 again on Nov 18', messageIndex: 1, about: 'charged' }]));
    expect(r.keyFacts).toEqual(expect.arrayContaining([{ kind: 'date', value: 'last week', messageIndex: 3, about: 'cancelled' }]));
    expect(r.opener.text).toMatch(/^Hi Sarah,/);
    expect(r.opener.text).toContain('Cancel an order');
    expect(r.opener.text).toMatch(/didn't work for you/);
    expect(r.opener.text).not.toContain('https://');
    expect(r.priority.level).toBe('urgent');
    expect(r.summary.text.split(/(?<=[.!?”])\s+(?=[A-Z])/).length).toBeLessThanOrEqual(3);
    expect(r.context).toMatchObject({ customerName: 'Sarah Johnson', tier: 'premium', botName: 'Halo', locale: 'en-US', requestedAt: '2026-11-20T10:35:00Z' });
  });

  it('password-reset loop: two rejected attempts, a typed password is redacted everywhere', () => {
    const r = analyze(fixtureEvent('password-reset-loop'));
    expect(r.topic.id).toBe('account_security');
    expect(r.primaryTrigger).toBe('customer_requested_human');
    expect(r.triggers.map((t) => t.id)).toContain('repeated_failure');
    const rejectedTurns = new Set(r.attemptedSolutions.filter((s) => s.outcome === 'rejected').map((s) => s.messageIndex));
    expect(rejectedTurns.size).toBeGreaterThanOrEqual(2);
    expect(r.attemptedSolutions.some((s) => s.kind === 'action' && /password reset email/i.test(s.text))).toBe(true);
    expect(r.redactions.byKind.password).toBe(1);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r.opener.text).toMatch(/password reset email .*didn't work for you/);
    expect(r.sentiment.label).toBe('negative');
    expect(r.sentiment.trend).not.toBe('improving');
  });

  it('double charge: billing dispute, card and CVV redacted, facts kept', () => {
    const r = analyze(fixtureEvent('double-charge'));
    expect(r.topic.id).toBe('billing_dispute');
    expect(r.primaryTrigger).toBe('customer_requested_human');
    expect(r.redactions).toEqual({ total: 2, byKind: { card_number: 1, cvv: 1 } });
    const all = JSON.stringify(r);
    expect(all).not.toContain('4111 1111 1111 1111');
    expect(all).not.toMatch(/cvv 123/);
    expect(r.transcript[2]?.text).toContain('[card •••• 1111]');
    expect(r.keyFacts).toEqual(expect.arrayContaining([
      { kind: 'order_id', value: 'A10023', messageIndex: 0, about: 'order' },
      { kind: 'amount', value: '$29.99 on Nov 17', messageIndex: 0, about: 'two charges' },
    ]));
    expect(r.attemptedSolutions.every((s) => s.outcome === 'rejected')).toBe(true);
    expect(r.sentiment.signals.find((s) => s.id === 'bot_frustration')?.target).toBe('bot');
  });

  it('bug with an error code', () => {
    const r = analyze(fixtureEvent('bug-error-code'));
    expect(r.topic.id).toBe('technical_issue');
    expect(r.primaryTrigger).toBe('repeated_failure');
    expect(r.triggers.map((t) => t.id)).toEqual(expect.arrayContaining(['bot_reported', 'negative_sentiment']));
    expect(r.keyFacts).toEqual(expect.arrayContaining([
      { kind: 'error_code', value: 'E-4012', messageIndex: 0, about: 'error' },
      { kind: 'url', value: 'https://files.acme.io/e4012.png', messageIndex: 2 },
    ]));
    expect(r.attemptedSolutions.map((s) => s.kind)).toEqual(['steps', 'article']);
    expect(r.nextSteps.join(' ')).toContain('E-4012');
  });

  it('enterprise customer blocked before a launch', () => {
    const r = analyze(fixtureEvent('enterprise-launch'), { routing: { byTier: { enterprise: 501 }, fallbackGroupId: 1 } });
    expect(r.topic.id).toBe('technical_issue');
    // The bot's reason "fallback" maps onto low_bot_confidence (bot-reasons.ts); it used to stay bot_reported.
    expect(r.triggers.map((t) => t.id)).toEqual(expect.arrayContaining(['vip_account', 'repeat_contact', 'negative_sentiment', 'low_bot_confidence']));
    expect(r.triggers.find((t) => t.id === 'low_bot_confidence')?.botReason).toBe('fallback');
    expect(r.sentiment.signals.map((s) => s.id)).toEqual(expect.arrayContaining(['urgency', 'churn_threat']));
    expect(r.priority.level).toBe('urgent');
    expect(r.priority.factors.map((f) => f.id)).toEqual(expect.arrayContaining(['tier', 'urgency', 'repeat_contact']));
    expect(r.routing).toMatchObject({ groupId: 501, rule: 'tier:enterprise' });
    expect(r.attemptedSolutions[0]?.outcome).toBe('rejected');
    expect(r.nextSteps[0]).toMatch(/urgent/);
  });

  it('a polite customer who simply wants a person', () => {
    const r = analyze(fixtureEvent('polite-human'));
    expect(r.primaryTrigger).toBe('customer_requested_human');
    expect(r.triggers.map((t) => t.id)).not.toContain('negative_sentiment');
    expect(r.sentiment.label).not.toBe('negative');
    expect(r.opener.tone).not.toBe('apologetic');
    expect(r.opener.text).toMatch(/^Hi Grace,/);
    expect(r.priority.level).not.toBe('urgent');
  });

  it.each([
    ['es-human', 'es', 'shipping_order', /^Hola Lucía/],
    ['de-human', 'de', 'billing_dispute', /^Hallo Jonas/],
    ['fr-human', 'fr', 'cancellation', /^Bonjour Camille/],
    ['pt-human', 'pt-BR', 'billing_dispute', /^Olá, João/],
  ])('%s: human request, localized opener, topic from keywords', (name, locale, topic, greeting) => {
    const r = analyze(fixtureEvent(name));
    expect(r.primaryTrigger).toBe('customer_requested_human');
    expect(r.opener.locale).toBe(locale);
    expect(r.opener.text).toMatch(greeting);
    expect(r.topic.id).toBe(topic);
    expect(r.sentiment.label).toBe('negative');
    expect(r.attemptedSolutions.every((s) => s.outcome === 'rejected')).toBe(true);
  });

  it('is deterministic and does not mutate the event', () => {
    const ev = fixtureEvent('double-charge');
    const before = JSON.stringify(ev);
    expect(JSON.stringify(analyze(ev))).toBe(JSON.stringify(analyze(ev)));
    expect(JSON.stringify(ev)).toBe(before);
  });
});

describe('reactions phrased after the fact', () => {
  it('treats "did that already" as a rejection of the steps the bot gave', () => {
    const report = analyze(
      normalizeGenericHandoff({
        messages: [
          { role: 'customer', text: 'Our API calls fail with ERR_AUTH_4031.' },
          { role: 'bot', text: 'Please try regenerating your API key under Settings > API keys, then update your integration.' },
          { role: 'customer', text: 'Did that already, twice. Still ERR_AUTH_4031 on every request.' },
        ],
      }),
    );
    expect(report.attemptedSolutions).toMatchObject([{ kind: 'steps', outcome: 'rejected' }]);
  });
});
