/**
 * Issue 12 s.4: the report's own text (summary, next steps, trigger and priority details) in the tenant's
 * briefing locale, the customer's quoted words untouched, the opener in the customer's language.
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseAnalysisOptions, resolveAnalysisOptions } from '../../../server/analysis/index.ts';
import { BRIEFING_LOCALES, type BriefingLocale } from '../../../server/analysis/report-text.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { eventOf } from './helpers.ts';

const c = (text: string, at?: string): HandoffMessage => (at ? { role: 'customer', text, at } : { role: 'customer', text });
const b = (text: string, extra: Partial<HandoffMessage> = {}): HandoffMessage => ({ role: 'bot', text, ...extra });

/**
 * One conversation that raises every trigger and priority factor whose detail Baton words: asked twice,
 * two answers rejected, low confidence, negative, sensitive topic, repeat contact, long, VIP, 30 minutes,
 * urgent, churn, a card number (redacted), an order id and an amount.
 */
function everythingEvent() {
  const msgs: HandoffMessage[] = [
    c('I was charged twice for order #A12345, $49.99 each time. This is the third time I contact you about it.', '2026-11-20T10:00:00Z'),
    b('Here is an article that may help.', { bot: { confidence: 0.31, intent: 'billing.faq', articles: [{ title: 'Understanding your bill', url: 'https://help.example.com/bill' }] } }),
    c('That did not help at all.'),
    b('You can read about disputes here.', { bot: { articles: [{ title: 'Disputing a charge', url: 'https://help.example.com/dispute' }] } }),
    c('That did not help either. This is ridiculous, I am fed up and so frustrated.'),
    c('My card is 4111 1111 1111 1111 if you need it.'),
    c('I need this fixed urgently.'),
    c('Otherwise I will cancel my subscription and switch to a competitor.'),
    c('Let me talk to a human please.'),
    c('I want to speak to an agent now!', '2026-11-20T10:30:00Z'),
  ];
  return eventOf(msgs, { customer: { name: 'Sarah Miller', tier: 'VIP' }, trigger: { kind: 'customer_request', nativeType: 'test' } });
}

/** The report with the customer's quoted words and the bot's own words taken out. */
function bakedText(r: HandoffReport): string {
  const parts = [r.summary.text, ...r.nextSteps, ...r.triggers.map((t) => t.detail ?? ''), ...r.priority.factors.map((f) => f.detail)];
  return parts
    .join('\n')
    .replace(/“[^”]*”|„[^“]*“|«[^»]*»|「[^」]*」/g, ' ')
    .replace(/billing\.faq/g, ' ');
}

/** English words that are no word of es, de, fr or pt (so "score" or "urgent", French too, are not here). */
const ENGLISH =
  /\b(?:the|and|wrote|tried|asked|expects|customer|says|check|reply|before|their|they|link|times|answers|rejected|repeated|question|turns|reported|person|threat|failed|don't|should|contacted|charges|refund|order|pull|look|give|data|negative|minutes?|bot failed)\b/i;

describe('briefingLocale', () => {
  it('is validated: one of en, es, de, fr, pt-BR, ja (case folded), named with its path otherwise; default en', () => {
    expect(parseAnalysisOptions({ briefingLocale: 'ja' }, 'tenants[0].analysis').briefingLocale).toBe('ja');
    expect(parseAnalysisOptions({ briefingLocale: 'pt-br' }, 'tenants[0].analysis').briefingLocale).toBe('pt-BR');
    expect(parseAnalysisOptions({ briefingLocale: 'PT_BR' }, 'tenants[0].analysis').briefingLocale).toBe('pt-BR');
    for (const bad of ['pt', 'it', 'en-US', '', 5, null, ['de']]) {
      expect(() => parseAnalysisOptions({ briefingLocale: bad }, 'tenants[0].analysis')).toThrow(
        'tenants[0].analysis.briefingLocale must be one of: en, es, de, fr, pt-BR, ja',
      );
    }
    expect(resolveAnalysisOptions({}).briefingLocale).toBe('en');
    // Options built in code with a tag the table does not know read English rather than failing.
    expect(resolveAnalysisOptions({ briefingLocale: 'xx' as BriefingLocale }).briefingLocale).toBe('en');
  });

  it('is recorded in the report; English is the default and the same bytes as before', () => {
    const ev = everythingEvent();
    const def = analyze(ev);
    expect(def.briefingLocale).toBe('en');
    expect(analyze(ev, { briefingLocale: 'en' })).toEqual(def);
    expect(def.summary.text).toMatch(/^Sarah wrote: “I was charged twice .*” The bot tried .* Now Sarah asked for a person, writes: “I need this fixed urgently\.” \(message 7\)/);
    expect(def.nextSteps[0]).toBe('Reply first: the customer says this is urgent.');
    expect(def.triggers.find((t) => t.id === 'sensitive_topic')?.detail).toBe('billing_dispute');
    expect(def.priority.factors.find((f) => f.id === 'topic')?.detail).toBe('billing_dispute');
  });

  it('the event raises every worded detail (so the checks below cover them all)', () => {
    const r = analyze(everythingEvent());
    expect(new Set(r.triggers.map((t) => t.id))).toEqual(
      new Set(['customer_requested_human', 'repeated_failure', 'low_bot_confidence', 'negative_sentiment', 'sensitive_topic', 'repeat_contact', 'long_conversation', 'vip_account']),
    );
    expect(new Set(r.priority.factors.map((f) => f.id))).toEqual(new Set(['tier', 'sentiment', 'topic', 'duration', 'repeat_contact', 'urgency', 'trigger']));
    expect(r.redactions.total).toBeGreaterThan(0);
    expect(r.nextSteps.length).toBe(5);
  });

  for (const locale of BRIEFING_LOCALES.filter((l) => l !== 'en')) {
    it(`${locale}: summary, next steps, trigger and priority details carry no English beyond quotes and ids`, () => {
      const ev = everythingEvent();
      const en = analyze(ev);
      const r = analyze(ev, { briefingLocale: locale });
      expect(r.briefingLocale).toBe(locale);
      const text = bakedText(r);
      expect(text).not.toMatch(ENGLISH);
      if (locale === 'ja') {
        // Latin letters left: the customer's name, the tier, the amounts/ids (Baton's own words are Japanese).
        const latin = (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['Sarah', 'VIP', 'vip'].includes(w));
        expect(latin).toEqual([]);
      }
      // The customer's words are quoted as written, whatever the briefing's language.
      expect(r.summary.text).toContain('I was charged twice for order #A12345');
      // Every sentence and detail changed language, and nothing else about the report did.
      expect(r.summary.text).not.toBe(en.summary.text);
      r.nextSteps.forEach((s, i) => expect(s).not.toBe(en.nextSteps[i]));
      for (const [i, t] of r.triggers.entries()) {
        expect(t.id).toBe(en.triggers[i]!.id);
        if (!['vip_account', 'customer_requested_human', ...(locale === 'ja' ? ['low_bot_confidence'] : [])].includes(t.id)) expect(t.detail, t.id).not.toBe(en.triggers[i]!.detail);
      }
      r.priority.factors.forEach((f, i) => {
        expect(f.points).toBe(en.priority.factors[i]!.points);
        if (f.id !== 'tier' || locale !== 'ja') expect(f.detail, f.id).not.toBe(en.priority.factors[i]!.detail);
      });
      expect({ ...r, summary: 0, nextSteps: 0, triggers: 0, priority: 0, briefingLocale: 0 }).toEqual({
        ...en,
        summary: 0,
        nextSteps: 0,
        triggers: 0,
        priority: 0,
        briefingLocale: 0,
      });
      expect(r.priority.score).toBe(en.priority.score);
      // Order ids and amounts (key facts) stay as they were written.
      expect(r.nextSteps.join(' ')).toContain('$49.99');
    });
  }

  it('spot checks: the words each locale uses', () => {
    const ev = everythingEvent();
    const get = (l: BriefingLocale) => analyze(ev, { briefingLocale: l });
    expect(get('es').summary.text).toMatch(/^Sarah escribió: “I was charged twice/);
    expect(get('es').triggers.find((t) => t.id === 'sensitive_topic')?.detail).toBe('disputa de cobro');
    expect(get('de').nextSteps[0]).toBe('Zuerst antworten: Der Kunde sagt, es sei dringend.');
    expect(get('de').triggers.find((t) => t.id === 'low_bot_confidence')?.detail).toBe('0,31 < 0,5 (billing.faq)');
    expect(get('fr').summary.text).toContain('Le bot a proposé');
    expect(get('pt-BR').triggers.find((t) => t.id === 'customer_requested_human')?.detail).toBe('pediu 2 vezes');
    expect(get('ja').summary.text).toMatch(/^Sarah様のメッセージ:「I was charged twice/);
    expect(get('ja').nextSteps[0]).toBe('最優先で返信してください。お客様は急ぎだと言っています。');
  });

  it('a conversation without a stated issue or attempts is worded too (the other summary branches)', () => {
    const ev = eventOf([c('hi'), b('How can I help?'), c('hello')], { trigger: { kind: 'unknown', nativeType: 'widget_closed' } });
    expect(analyze(ev).summary.text).toBe('The customer did not describe the issue to the bot. The bot did not offer a solution before the handoff. Now they need a person to pick this up.');
    expect(analyze(ev, { briefingLocale: 'fr' }).summary.text).toBe(
      'Le client n’a pas décrit le problème au bot. Le bot n’a proposé aucune solution avant le transfert. Maintenant, le client a besoin qu’une personne prenne le relais.',
    );
    expect(analyze(ev, { briefingLocale: 'ja' }).summary.text).toBe(
      'お客様はボットに問題を説明していません。 ボットは引き継ぎ前に解決策を提示しませんでした。 現在、お客様の対応を担当者が引き継ぐ必要があります。',
    );
    expect(analyze(ev, { briefingLocale: 'de' }).triggers.find((t) => t.id === 'bot_reported')?.detail).toBe('Übergabe (widget_closed) ohne angegebenen Grund');
  });

  it('the opener follows the customer, the briefing the tenant', () => {
    const ev = eventOf([c('Hola, quiero cancelar mi suscripción y no funciona el botón'), b('Prueba este enlace'), c('quiero hablar con un humano')]);
    const r = analyze(ev, { briefingLocale: 'de' });
    expect(r.routing.language).toBe('es');
    expect(r.opener.locale).toBe('es');
    expect(r.opener.text).toMatch(/^Hola/);
    expect(r.summary.text).toMatch(/^Der Kunde schrieb: „Hola, quiero cancelar/);
    expect(r.briefingLocale).toBe('de');
  });

  it('stays deterministic: the same event and options give the same report', () => {
    const ev = everythingEvent();
    for (const l of BRIEFING_LOCALES) expect(JSON.stringify(analyze(ev, { briefingLocale: l }))).toBe(JSON.stringify(analyze(ev, { briefingLocale: l })));
  });
});
