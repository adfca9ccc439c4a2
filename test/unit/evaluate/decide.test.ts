/**
 * The evaluate decision (server/evaluate/decide.ts): each trigger kind the analysis knows makes the bot hand
 * over, with that trigger listed; a conversation going well does not; the customer's language picks the locale.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../server/evaluate/decide.ts';
import { normalizeGenericHandoff } from '../../../server/bots/generic/normalize.ts';
import { TRIGGER_IDS } from '../../../server/types/handoff-report.ts';

type Msg = { role: string; text: string; bot?: Record<string, unknown> };
const evaluate = (body: { messages: Msg[]; customer?: Record<string, unknown>; conversation?: Record<string, unknown>; handoff?: Record<string, unknown> }, analysis?: Parameters<typeof decide>[1]) =>
  decide(normalizeGenericHandoff(body, 'acme', '2026-11-29T10:00:00.000Z'), analysis);

const c = (text: string): Msg => ({ role: 'customer', text });
const b = (text: string, bot?: Record<string, unknown>): Msg => (bot ? { role: 'bot', text, bot } : { role: 'bot', text });

/** One conversation per trigger kind, each firing it on its own evidence. */
const BY_TRIGGER: Record<(typeof TRIGGER_IDS)[number], Parameters<typeof evaluate>[0]> = {
  customer_requested_human: { messages: [c('Where is my order?'), b('It is on its way.'), c('I want to talk to a human please')] },
  repeated_failure: {
    messages: [
      c('My app crashes when I open it'),
      b('Please try reinstalling the app from the store.'),
      c('That did not work, still crashes'),
      b('Please try clearing the cache under Settings > Storage.'),
      c("Didn't help either, it still crashes"),
    ],
  },
  negative_sentiment: { messages: [c('This is ridiculous. Nothing works!!')] },
  sensitive_topic: { messages: [c('My lawyer will contact you about a lawsuit regarding my data under GDPR')] },
  vip_account: { customer: { tier: 'enterprise' }, messages: [c('Where can I find my order history?')] },
  low_bot_confidence: { messages: [c('Where can I find my order history?'), b('Maybe you mean gift cards?', { intent: 'gift_cards', confidence: 0.2 })] },
  long_conversation: { messages: Array.from({ length: 9 }, (_, i) => c(`Question number ${i + 1} about the delivery window`)) },
  repeat_contact: { customer: { attributes: { previous_contacts: 3 } }, messages: [c('Where can I find my order history?')] },
  bot_reported: { messages: [c('Where is the setting for webhooks?'), b("I'm sorry, I can't help with that.")] },
};

describe('decide: every trigger kind escalates', () => {
  for (const id of TRIGGER_IDS) {
    it(id, () => {
      const d = evaluate(BY_TRIGGER[id]);
      expect(d.escalate).toBe(true);
      expect(d.triggers.map((t) => t.id)).toContain(id);
      expect(d.primaryTrigger).toBe(d.triggers[0]!.id);
    });
  }

  it("the bot's own reason (handoff.reason) is a reason", () => {
    const d = evaluate({ handoff: { reason: 'policy' }, messages: [c('hello')] });
    expect(d.escalate).toBe(true);
    expect(d.primaryTrigger).toBe('bot_reported');
  });

  it('the customer asking for a person is the primary trigger over what Baton inferred', () => {
    const d = evaluate({ customer: { tier: 'enterprise' }, messages: [c('This is ridiculous. Nothing works!!'), c('Get me a real person now')] });
    expect(d.primaryTrigger).toBe('customer_requested_human');
    expect(d.triggers.map((t) => t.id)).toEqual(expect.arrayContaining(['customer_requested_human', 'negative_sentiment', 'vip_account']));
  });
});

describe('decide: no reason, no handoff', () => {
  it('a conversation the bot is handling: escalate false, no triggers, no primary trigger', () => {
    const d = evaluate({ messages: [c('How do I change my avatar?'), b('Go to Settings > Profile > Avatar and upload a new picture.'), c('Great, that worked, thanks!')] });
    expect(d).toMatchObject({ escalate: false, triggers: [], primaryTrigger: null });
  });

  it("the model's negative score without a signal in the customer's words is not a reason", () => {
    // The sentiment model scores this plain question below zero; there is no frustration in it.
    const d = evaluate({ messages: [c('Can I pay with a voucher?')] });
    expect(d.escalate).toBe(false);
    expect(d.triggers).toEqual([]);
  });
});

describe('decide: priority and route', () => {
  it('routes by the tenant rules and scores priority from the same factors as the briefing', () => {
    const analysis = { routing: { byTopic: { legal: 4242 }, fallbackGroupId: 1 } };
    const d = evaluate({ conversation: { locale: 'en' }, messages: [c('My lawyer will contact you about a lawsuit regarding my data under GDPR')] }, analysis);
    expect(d.route).toEqual({ group: 4242, skills: ['topic:legal', 'lang:en'] });
    expect(d.topic).toBe('legal');
    expect(['high', 'urgent']).toContain(d.priority);
    const calm = evaluate({ messages: [c('How do I change my avatar?')] }, analysis);
    expect(calm.route.group).toBe(1);
    expect(calm.priorityScore).toBeLessThan(d.priorityScore);
  });

  it('no group configured: group null, skills still filled', () => {
    const d = evaluate({ customer: { tier: 'Gold' }, messages: [c('I want to talk to a human please')] });
    expect(d.route).toEqual({ group: null, skills: ['topic:other', 'lang:en', 'tier:gold'] });
  });
});

describe('decide: redaction first', () => {
  it('evidence and the quoted want never carry a card number', () => {
    const d = evaluate({ messages: [c('I want a refund to my card 4111 1111 1111 1111 please. Get me a human!')] });
    expect(JSON.stringify(d)).not.toContain('4111');
  });
});

describe('decide: the customer’s locale', () => {
  const cases: Array<[string, Parameters<typeof evaluate>[0], string]> = [
    ['conversation.locale es-MX', { conversation: { locale: 'es-MX' }, messages: [c('hola')] }, 'es'],
    ['conversation.locale pt', { conversation: { locale: 'pt' }, messages: [c('olá')] }, 'pt-BR'],
    ['conversation.locale pt_BR', { conversation: { locale: 'pt_BR' }, messages: [c('olá')] }, 'pt-BR'],
    ['customer attribute locale fr-CA', { customer: { attributes: { locale: 'fr-CA' } }, messages: [c('bonjour')] }, 'fr'],
    ['German text', { messages: [c('Ich möchte mit einem Menschen sprechen, bitte. Das ist nicht mein Fehler.')] }, 'de'],
    ['Japanese text', { messages: [c('担当者と話したいです。注文がまだ届いていません。')] }, 'ja'],
    ['an unsupported locale', { conversation: { locale: 'zh-CN' }, messages: [c('hello')] }, 'en'],
    ['nothing to go on', { messages: [c('ok')] }, 'en'],
  ];
  for (const [name, body, locale] of cases) it(name, () => expect(evaluate(body).locale).toBe(locale));
});

describe('decide: bounded input', () => {
  it('reads only the latest messages and the head and tail of a long one, so one request cannot hold the event loop', () => {
    const filler = Array.from({ length: 300 }, (_, i) => c(`Order question ${i}`));
    // The ask for a person sits in the first 200 messages only: out of reach, so it is not seen.
    const early = evaluate({ messages: [c('I want to talk to a human please'), ...filler] });
    expect(early.triggers.map((t) => t.id)).not.toContain('customer_requested_human');
    // At the end of a 50,000-character message it is kept (the tail).
    const tail = evaluate({ messages: [c(`${'blah '.repeat(10_000)} I want to talk to a human please`)] });
    expect(tail.primaryTrigger).toBe('customer_requested_human');
    // In the middle of one it is cut.
    const middle = evaluate({ messages: [c(`${'blah '.repeat(5_000)} I want to talk to a human please ${'blah '.repeat(5_000)}`)] });
    expect(middle.triggers.map((t) => t.id)).not.toContain('customer_requested_human');
  });
});
