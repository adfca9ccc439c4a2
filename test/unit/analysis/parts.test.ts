import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../server/analysis/facts.ts';
import { extractSolutions } from '../../../server/analysis/solutions.ts';
import { buildOpener, localeChain } from '../../../server/analysis/opener.ts';
import { computePriority } from '../../../server/analysis/priority.ts';
import { route } from '../../../server/analysis/routing.ts';
import { detectTriggers } from '../../../server/analysis/triggers.ts';
import { analyzeSentiment } from '../../../server/analysis/sentiment.ts';
import { resolveAnalysisOptions } from '../../../server/analysis/options.ts';
import { analyze } from '../../../server/analysis/index.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import type { AttemptedSolution, SentimentResult } from '../../../server/types/handoff-report.ts';
import { eventOf } from './helpers.ts';

const opts = resolveAnalysisOptions();
const neutral: SentimentResult = { label: 'neutral', score: 0, frustration: 0, trend: 'stable', trajectory: [], signals: [] };

describe('facts', () => {
  it('extracts ids, amounts, dates, error codes, emails, urls with their message', () => {
    const facts = extractFacts([
      { role: 'customer', text: 'Order #ORD-5521 cost €120.50 on 2026-11-02, mail me at a.b@example.com' },
      { role: 'customer', text: 'I get ERR_CONNECTION_RESET and error code 0x80070005 on https://app.example.com/x' },
    ]);
    const pairs = facts.map((f) => [f.kind, f.value, f.messageIndex]);
    expect(pairs).toEqual(expect.arrayContaining([
      ['order_id', 'ORD-5521', 0],
      // An amount and the date right after it are one fact (issue 14).
      ['amount', '€120.50 on 2026-11-02', 0],
      ['email', 'a.b@example.com', 0],
      ['error_code', 'ERR_CONNECTION_RESET', 1],
      ['url', 'https://app.example.com/x', 1],
    ]));
  });
});

describe('solutions', () => {
  const msgs: HandoffMessage[] = [
    { role: 'customer', text: 'How do I export my data?' },
    { role: 'bot', text: 'See this guide', bot: { articles: [{ title: 'Exporting data', url: 'https://h.example.com/export' }] } },
    { role: 'customer', text: 'That worked, thanks!' },
    { role: 'bot', text: "I've sent a confirmation email to you." },
    { role: 'customer', text: 'Also, can I change the date format of the report?' },
    { role: 'bot', text: 'Go to Settings > Regional and pick a format.' },
  ];
  it('finds articles, actions and steps with the reaction', () => {
    const s = extractSolutions(msgs);
    expect(s.map((x) => [x.kind, x.outcome])).toEqual([
      ['article', 'accepted'],
      ['action', 'ignored'],
      ['steps', 'unclear'],
    ]);
    expect(s[0]!.reaction?.messageIndex).toBe(2);
  });
});

describe('opener', () => {
  const rejected: AttemptedSolution = { kind: 'article', text: 'Reset your password', url: 'https://h/reset', messageIndex: 1, outcome: 'rejected' };
  it('falls back pt-BR -> pt -> en', () => {
    expect(localeChain('pt-BR')).toEqual(['pt-BR', 'pt', 'en']);
    expect(localeChain(undefined)).toEqual(['en']);
    const o = buildOpener({ customerName: 'Ana Souza', locale: 'it-IT', topic: { id: 'refund', confidence: 1 }, sentiment: neutral, solutions: [], options: opts });
    expect(o.locale).toBe('en');
    expect(o.text).toContain('Hi Ana');
  });
  it('acknowledges the rejected solution without offering it again', () => {
    const o = buildOpener({ customerName: 'Tom', locale: 'en', topic: { id: 'account_security', confidence: 1 }, sentiment: { ...neutral, label: 'negative' }, solutions: [rejected], options: opts });
    expect(o.text).toContain('“Reset your password” article didn\'t work for you');
    expect(o.text).not.toContain('https://h/reset');
    expect(o.tone).toBe('empathetic');
  });
  it('uses tenant template overrides per locale', () => {
    const custom = resolveAnalysisOptions({ openerTemplates: { en: { greetingNamed: 'Hey {name}!' }, 'pt-BR': { closing: 'Conte comigo.' } } });
    expect(buildOpener({ customerName: 'Tom', locale: 'en-US', topic: { id: 'other', confidence: 1 }, sentiment: neutral, solutions: [], options: custom }).text).toMatch(/^Hey Tom!/);
    const pt = buildOpener({ customerName: 'João', locale: 'pt-BR', topic: { id: 'other', confidence: 1 }, sentiment: neutral, solutions: [], options: custom });
    expect(pt.text).toMatch(/^Olá, João,.*Conte comigo\.$/);
  });
});

describe('priority and routing', () => {
  it('scores factors into a level', () => {
    const low = computePriority({ sentiment: neutral, topic: { id: 'how_to', confidence: 1 }, triggers: [], options: opts });
    expect(low.level).toBe('low');
    const high = computePriority({ tier: 'Enterprise', sentiment: { ...neutral, label: 'negative', frustration: 0.8 }, topic: { id: 'legal', confidence: 1 }, triggers: [{ id: 'repeat_contact' }], durationMinutes: 45, options: opts });
    expect(high.level).toBe('urgent');
    expect(high.factors.map((f) => f.id)).toEqual(['tier', 'sentiment', 'topic', 'duration', 'repeat_contact']);
  });
  it('routes tier > topic > language > fallback', () => {
    const o = resolveAnalysisOptions({ routing: { byTier: { vip: 1 }, byTopic: { refund: 2 }, byLanguage: { de: 3 }, fallbackGroupId: 9 } });
    expect(route({ topic: 'refund', language: 'de', tier: 'VIP', options: o })).toMatchObject({ groupId: 1, rule: 'tier:VIP' });
    expect(route({ topic: 'refund', language: 'de', options: o })).toMatchObject({ groupId: 2, rule: 'topic:refund' });
    expect(route({ topic: 'other', language: 'de', options: o })).toMatchObject({ groupId: 3, rule: 'language:de' });
    expect(route({ topic: 'other', language: 'en', options: o })).toMatchObject({ groupId: 9, rule: 'fallback', skills: ['topic:other', 'lang:en'] });
  });
});

describe('triggers', () => {
  it('reads repeat contact from attributes and text, long conversations, and the bot reason', () => {
    const msgs: HandoffMessage[] = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? { role: 'customer' as const, text: i === 0 ? 'This is the third time I am contacting you about my invoice' : `more detail ${i}` } : { role: 'bot' as const, text: 'Could you tell me more?', bot: { confidence: 0.9 } },
    );
    const ev = eventOf(msgs, { trigger: { kind: 'bot_failure', nativeType: 'fallback', reason: 'max retries reached' } });
    const r = detectTriggers({ event: ev, messages: msgs, sentiment: analyzeSentiment({ messages: msgs }), topic: { id: 'billing_payment', confidence: 1 }, solutions: [], options: resolveAnalysisOptions({ longConversationTurns: 5 }) });
    const ids = r.triggers.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['repeat_contact', 'long_conversation', 'bot_reported']));
    expect(r.triggers.find((t) => t.id === 'bot_reported')?.detail).toBe('max retries reached');
    expect(r.primary).toBe('bot_reported');
    const attr = detectTriggers({ event: eventOf([], { customer: { attributes: { previous_contacts: 3 } } }), messages: [], sentiment: neutral, topic: { id: 'other', confidence: 0 }, solutions: [], options: opts });
    expect(attr.triggers.map((t) => t.id)).toContain('repeat_contact');
  });

  it('always names a primary trigger', () => {
    const r = analyze(eventOf([{ role: 'customer', text: 'hello' }]));
    expect(r.primaryTrigger).toBe('bot_reported');
    expect(r.summary.text.length).toBeGreaterThan(0);
  });
});
