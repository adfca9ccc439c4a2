/**
 * The transition message (server/evaluate/transition-message.ts) in every locale and situation: it
 * acknowledges the matter, says a person is coming and when, promises no repeating, offers email when closed,
 * and carries a number only when a wait was measured.
 */
import { describe, expect, it } from 'vitest';
import { formatWait, transitionLocaleOf, transitionMessage, type TransitionInput } from '../../../server/evaluate/transition-message.ts';
import { ACK_TEXT, BUILTIN_TEMPLATES, TRANSITION_LOCALES } from '../../../server/evaluate/transition-templates.ts';

/** The phrase in each locale's templates that promises no repeating, and the one that offers email. */
const NO_REPEAT: Record<string, RegExp> = { en: /won't need to repeat anything/, es: /no tendrás que repetir nada/, de: /nichts wiederholen/, fr: /rien à répéter/, 'pt-BR': /não vai precisar repetir nada/, ja: /繰り返していただく必要はありません/ };
const EMAIL: Record<string, RegExp> = { en: /email/, es: /correo/, de: /E-Mail/, fr: /e-mail/, 'pt-BR': /e-mail/, ja: /メール/ };
const DIGIT = /[0-9０-９]/;

const base = (locale: TransitionInput['locale']): TransitionInput => ({ locale, topic: 'refund', waitSeconds: null, open: true });

describe('every locale, every situation', () => {
  for (const locale of TRANSITION_LOCALES) {
    describe(locale, () => {
      it('in hours with a measured wait: the acknowledgement, the wait in words, no repeating', () => {
        const m = transitionMessage({ ...base(locale), waitSeconds: 290 });
        expect(m.locale).toBe(locale);
        expect(m.variant).toBe('withWait');
        expect(m.text.startsWith(ACK_TEXT[locale].topics.refund!)).toBe(true);
        expect(m.text).toContain(formatWait(290, locale));
        expect(m.text).toContain('5');
        expect(m.text).toMatch(NO_REPEAT[locale]!);
        expect(m.text).not.toMatch(/\{|\}/);
      });

      it('in hours without enough data: neutral, no number at all', () => {
        const m = transitionMessage(base(locale));
        expect(m.variant).toBe('noWait');
        expect(m.text).not.toMatch(DIGIT);
        expect(m.text).toMatch(NO_REPEAT[locale]!);
      });

      it('closed: when someone will answer (the date in the tenant zone), the email offer, no repeating', () => {
        const m = transitionMessage({ ...base(locale), open: false, nextOpenAt: Date.parse('2026-12-28T08:00:00Z'), timeZone: 'Europe/Berlin' });
        expect(m.variant).toBe('closed');
        expect(m.text).toMatch(EMAIL[locale]!);
        expect(m.text).toMatch(NO_REPEAT[locale]!);
        // 09:00 Berlin time on the 28th, in whatever way the locale writes it.
        expect(m.text).toMatch(/28/);
        expect(m.text).toMatch(/9:00|09:00/);
      });

      it('closed with no known opening: says the team will answer when back, no number', () => {
        const m = transitionMessage({ ...base(locale), open: false });
        expect(m.text).toContain(ACK_TEXT[locale].unknownReturn);
        expect(m.text).not.toMatch(DIGIT);
      });

      it('a topic without its own wording quotes what the customer asked for, else thanks them', () => {
        const quoted = transitionMessage({ ...base(locale), topic: 'other', want: 'I need the invoice address corrected!' });
        expect(quoted.text).toContain('I need the invoice address corrected');
        expect(quoted.text).not.toContain('corrected!');
        expect(transitionMessage({ ...base(locale), topic: 'some_custom_topic' }).text.startsWith(ACK_TEXT[locale].generic)).toBe(true);
      });

      it('has a topic wording for every built-in topic but other', () => {
        expect(Object.keys(ACK_TEXT[locale].topics).sort()).toEqual(
          ['account_management', 'account_security', 'billing_dispute', 'billing_payment', 'cancellation', 'complaint', 'feedback', 'how_to', 'legal', 'refund', 'shipping_order', 'technical_issue'],
        );
      });
    });
  }
});

describe('wording details', () => {
  it('writes waits in minutes under 90 minutes (at least one), else hours, with each locale’s plural', () => {
    expect(formatWait(20, 'en')).toBe('1 minute');
    expect(formatWait(290, 'en')).toBe('5 minutes');
    expect(formatWait(89 * 60, 'de')).toBe('89 Minuten');
    // French ICU puts a no-break space between number and unit.
    expect(formatWait(3 * 3600 + 100, 'fr').replace(/\s/g, ' ')).toBe('3 heures');
    expect(formatWait(300, 'ja')).toBe('5分');
    expect(formatWait(60, 'pt-BR')).toBe('1 minuto');
  });

  it('pt-BR: “na segunda-feira”, “no sábado”', () => {
    const text = (iso: string) => transitionMessage({ ...base('pt-BR'), open: false, nextOpenAt: Date.parse(iso), timeZone: 'America/Sao_Paulo' }).text;
    expect(text('2026-11-30T12:00:00Z')).toContain('na segunda-feira');
    expect(text('2026-11-28T12:00:00Z')).toContain('no sábado');
  });

  it('a tenant template replaces the built-in one for its locale and variant only', () => {
    const templates = { en: { withWait: 'Thanks! {ack} Someone from Acme replies in about {wait}.' } };
    expect(transitionMessage({ ...base('en'), waitSeconds: 600, templates }).text).toBe(`Thanks! ${ACK_TEXT.en.topics.refund} Someone from Acme replies in about 10 minutes.`);
    expect(transitionMessage({ ...base('en'), templates }).text).toBe(BUILTIN_TEMPLATES.en.noWait.replace('{ack}', ACK_TEXT.en.topics.refund!));
    expect(transitionMessage({ ...base('de'), waitSeconds: 600, templates }).text).toContain('in etwa 10 Minuten');
  });

  it("the customer's words are not expanded as placeholders", () => {
    const m = transitionMessage({ ...base('en'), topic: 'other', want: 'please say {wait} and {nextOpen}', waitSeconds: 60 });
    expect(m.text).toContain('please say {wait} and {nextOpen}');
  });

  it('maps locale tags onto the six locales', () => {
    expect(transitionLocaleOf('en-GB')).toBe('en');
    expect(transitionLocaleOf('PT-pt')).toBe('pt-BR');
    expect(transitionLocaleOf('ja_JP')).toBe('ja');
    expect(transitionLocaleOf('it')).toBeUndefined();
    expect(transitionLocaleOf(undefined)).toBeUndefined();
  });
});
