/**
 * Issue 14, rules 2 and 3: the opener states only what is true, names the concrete problem, and its tone
 * follows the situation, in every locale. Our own examples of each class.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../server/analysis/index.ts';
import { buildOpener } from '../../../server/analysis/opener.ts';
import { OPENER_TEMPLATES } from '../../../server/analysis/opener-templates.ts';
import { resolveAnalysisOptions } from '../../../server/analysis/options.ts';
import { calm, chooseTone, mattersOf } from '../../../server/analysis/tone.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import type { AttemptedSolution, SentimentResult } from '../../../server/types/handoff-report.ts';
import { eventOf } from './helpers.ts';

const opts = resolveAnalysisOptions();
const neutral: SentimentResult = { label: 'neutral', score: 0, frustration: 0, trend: 'stable', trajectory: [], signals: [] };
const positive: SentimentResult = { ...neutral, label: 'positive', score: 0.6 };
const negative: SentimentResult = { ...neutral, label: 'negative', score: -0.6, frustration: 0.3 };
const sol = (outcome: AttemptedSolution['outcome'], title = 'Changing your plan', messageIndex = 1): AttemptedSolution => ({ kind: 'article', text: title, url: `https://kb.example.com/${messageIndex}`, messageIndex, outcome });
const c = (text: string): HandoffMessage => ({ role: 'customer', text });
const LOCALES = ['en', 'es', 'de', 'fr', 'pt-BR', 'ja'];
const FAILED_RE = /didn't work|no te funcionó|nicht geholfen|n'a pas fonctionné|não funcionou|解決しなかった/;

describe('the opener says only true things about what the bot tried', () => {
  const base = { customerName: 'Priya Nair', topic: { id: 'account_management', confidence: 1 }, sentiment: neutral, options: opts };

  it.each(LOCALES)('%s: "didn\'t work" only for a rejected attempt', (locale) => {
    expect(buildOpener({ ...base, locale, solutions: [sol('rejected')] }).text).toMatch(FAILED_RE);
    for (const outcome of ['ignored', 'accepted', 'unclear'] as const) expect(buildOpener({ ...base, locale, solutions: [sol(outcome)] }).text).not.toMatch(FAILED_RE);
  });

  it('mentions an ignored article neutrally, acknowledges an accepted one, leaves an unclear one out', () => {
    expect(buildOpener({ ...base, locale: 'en', solutions: [sol('ignored')] }).text).toContain('I can see the bot pointed you to the “Changing your plan” article.');
    expect(buildOpener({ ...base, locale: 'en', solutions: [sol('accepted')] }).text).toContain('I can see the “Changing your plan” article already helped.');
    expect(buildOpener({ ...base, locale: 'en', solutions: [sol('unclear')] }).text).not.toContain('Changing your plan');
  });

  it('names an attempt the bot repeated once', () => {
    const twice: AttemptedSolution = { ...sol('rejected'), offers: 2, offerHistory: [{ messageIndex: 1, outcome: 'rejected' }, { messageIndex: 3, outcome: 'rejected' }] };
    const text = buildOpener({ ...base, locale: 'en', solutions: [twice] }).text;
    expect(text.split('Changing your plan').length).toBe(2);
  });

  it('never quotes a bot line that is not a solution', () => {
    const r = analyze(eventOf([c('My SSO login loops back to the sign-in page.'), { role: 'bot', text: 'Got it.' }, { role: 'bot', text: 'This sounds like a single sign-on problem.' }, { role: 'bot', text: "I'll get a specialist to look at it." }, c('ok')]));
    expect(r.attemptedSolutions).toEqual([]);
    expect(r.opener.text).not.toMatch(/Got it|sounds like|specialist/);
  });
});

describe('the opener names the concrete problem', () => {
  it('an error code the customer gave, with what it happens on', () => {
    const r = analyze(eventOf([c('Saving a draft fails with error code PAY-2231 on our billing portal.'), c('please help')]));
    expect(r.opener.text).toContain('the PAY-2231 error on your billing portal');
  });
  it('an HTTP 5xx outage', () => {
    const r = analyze(eventOf([c('Our checkout endpoint is returning 503 Service Unavailable for every customer, this is urgent.')]));
    expect(r.opener.text).toMatch(/the 503 error on your checkout endpoint/);
    expect(r.opener.tone).toBe('direct');
  });
  it('the order and the charge, in the customer language', () => {
    expect(analyze(eventOf([c('Mi pedido 66120 no ha llegado todavía y lo necesito.')]), {}).opener.text).toContain('tu pedido 66120');
    const r = analyze(eventOf([c('I was charged twice, €42.00 each, for the same booking.')]));
    expect(r.opener.text).toContain('the €42.00 charge');
  });
});

describe('tone follows the situation', () => {
  it('matters from the customer words, whatever the topic model says', () => {
    const other = { id: 'other', confidence: 0.2 };
    expect([...mattersOf('i want all my data deleted under the gdpr', other)]).toContain('legal');
    expect([...mattersOf('someone else logged into my account last night', other)]).toContain('security');
    expect([...mattersOf('i never authorised this payment of 19 eur', other)]).toContain('disputed_charge');
    expect([...mattersOf('i want to make a formal complaint about your driver', other)]).toContain('complaint');
    expect([...mattersOf('the whole dashboard is down since 9am', other)]).toContain('outage');
    expect([...mattersOf('how do i change my avatar', other)]).toEqual([]);
  });

  it('upbeat only for a positive customer on a plain matter', () => {
    expect(chooseTone(positive, [], new Set())).toBe('upbeat');
    expect(chooseTone(positive, [], new Set(['security']))).toBe('neutral');
    expect(chooseTone(positive, [], new Set(['disputed_charge']))).toBe('neutral');
    expect(chooseTone(positive, [], new Set(['complaint']))).toBe('empathetic');
    expect(chooseTone(neutral, [], new Set(['legal']))).toBe('formal');
    expect(chooseTone(negative, [], new Set(['outage']))).toBe('direct');
  });

  it.each(LOCALES)('%s: no exclamation mark and no cheer when the customer is upset or the matter is sensitive', (locale) => {
    for (const [sentiment, topic] of [[negative, 'refund'], [positive, 'billing_dispute'], [positive, 'account_security'], [positive, 'complaint'], [positive, 'legal']] as const) {
      const o = buildOpener({ customerName: 'Kim', locale, topic: { id: topic, confidence: 1 }, sentiment, solutions: [], options: opts });
      expect(o.text, `${topic}/${sentiment.label}`).not.toMatch(/[!！¡]/);
      expect(o.tone).not.toBe('upbeat');
    }
  });

  it.each(LOCALES)('%s: a legal request gets the formal register with the full name and no contractions', (locale) => {
    const o = buildOpener({ customerName: 'Helena Brandt', locale, topic: { id: 'legal', confidence: 1 }, sentiment: neutral, solutions: [sol('rejected')], options: opts, messages: [c('Please erase my personal data (GDPR Art. 17).')] });
    expect(o.tone).toBe('formal');
    expect(o.text).toContain('Helena Brandt');
    expect(o.text).not.toMatch(/[!！¡]|\b(?:I'm|I've|didn't|won't)\b/);
  });

  it('an urgent outage gets a short opener', () => {
    const r = analyze(eventOf([c('URGENT: the app is down for all our staff, nothing loads since 8:00.')]));
    expect(r.opener.tone).toBe('direct');
    expect(r.opener.text.split(/(?<=[.。])\s/).length).toBeLessThanOrEqual(3);
  });

  it('calm() drops exclamation marks of every script', () => {
    expect(calm('¡Gracias por escribirnos!')).toBe('Gracias por escribirnos.');
    expect(calm('ありがとうございます！')).toBe('ありがとうございます。');
  });

  it('every built-in locale defines every opener key', () => {
    const keys = Object.keys(OPENER_TEMPLATES.en!);
    for (const [l, t] of Object.entries(OPENER_TEMPLATES)) expect(Object.keys(t).sort(), l).toEqual([...keys].sort());
  });
});

describe('an outage without an error code', () => {
  it('names what is down in the customer words', () => {
    const r = analyze(eventOf([c('Our booking widget is down for every visitor since noon, this is urgent.')]));
    expect(r.opener.text).toContain('the trouble with your booking widget');
  });
});

describe('the matter names the issue when the topic model has none', () => {
  it('a disputed charge the topic model filed under other', () => {
    const o = buildOpener({ customerName: 'Ravi', locale: 'en', topic: { id: 'other', confidence: 0.3 }, sentiment: neutral, solutions: [], options: opts, messages: [c('There is a chargeback I never authorized on my statement.')] });
    expect(o.text).toContain('the charge on your account');
    expect(o.text).not.toMatch(/!/);
  });
});
