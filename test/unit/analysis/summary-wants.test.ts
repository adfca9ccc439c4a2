/** Issue 14: the summary's last clause is what the customer wants, in their own words with its message, or nothing. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../server/analysis/index.ts';
import { customerWant } from '../../../server/analysis/customer-wants.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import { eventOf } from './helpers.ts';

const c = (text: string): HandoffMessage => ({ role: 'customer', text });
const b = (text: string): HandoffMessage => ({ role: 'bot', text });

describe('customerWant', () => {
  it('takes the latest sentence that states a want, with its message', () => {
    const w = customerWant([c('I was charged twice for one order.'), b('Charges can take days.'), c('They are not pending. I want the second one refunded.')]);
    expect(w).toEqual({ text: 'I want the second one refunded.', messageIndex: 2 });
  });

  it('skips a bare request for a person and looks earlier', () => {
    const w = customerWant([c('Please cancel my plan today.'), b('Sure.'), c('Can I just talk to someone please?')]);
    expect(w).toEqual({ text: 'Please cancel my plan today.', messageIndex: 0 });
  });

  it('keeps a request for a person that says what the person should do', () => {
    expect(customerWant([c('Can a person please confirm my plan is active?')])?.text).toBe('Can a person please confirm my plan is active?');
  });

  it('is absent when nobody states a want', () => {
    expect(customerWant([c('My invoice shows the wrong company name.'), b('Edit it in Settings.'), c('That field is greyed out.')])).toBeUndefined();
  });

  it('reads es, de, fr, pt and ja', () => {
    expect(customerWant([c('Quiero que me digan cuándo llega el dinero.')])?.text).toContain('Quiero');
    expect(customerWant([c('Ich möchte die zweite Abbuchung zurück.')])?.text).toContain('möchte');
    expect(customerWant([c('Je veux que vous bloquiez le compte.')])?.text).toContain('bloquiez');
    expect(customerWant([c('Preciso saber quando chega.')])?.text).toContain('Preciso');
    expect(customerWant([c('二重請求分を返金してください。')])?.text).toContain('返金');
    expect(customerWant([c('担当者と話したいです。')])).toBeUndefined();
  });

  it('does not quote the issue statement a second time', () => {
    const msgs = [c('I want a refund for order 5512.')];
    expect(customerWant(msgs, { text: 'I want a refund for order 5512.', messageIndex: 0 })).toBeUndefined();
  });
});

describe('summary: no invented expectation', () => {
  it('quotes the want with its message number instead of an expectation from the topic', () => {
    const r = analyze(eventOf([
      c('My card payment failed when I renewed the Pro plan.'),
      { role: 'bot', text: 'Update your billing address.', bot: { articles: [{ title: 'Update your billing address', url: 'https://h.example.com/a' }] } },
      c('Thanks, that worked. Can a person please confirm my plan is active?'),
    ], { customer: { name: 'Priya Nair' } }));
    expect(r.summary.text).not.toMatch(/expects/);
    expect(r.summary.text).toContain('writes: “Can a person please confirm my plan is active?” (message 3)');
  });

  it('says nothing about what the customer wants when they did not say', () => {
    const r = analyze(eventOf([c('My invoice shows the wrong company name.'), b('Edit it in Settings.'), c('That field is greyed out.')]));
    expect(r.summary.text).not.toMatch(/expects|writes:/);
  });

  it('words the clause in the briefing locale and keeps the customer words', () => {
    const ev = eventOf([c('Sie haben mir 49,00 EUR doppelt abgebucht.'), b('Das verschwindet.'), c('Ich möchte die zweite Abbuchung zurück.')]);
    const de = analyze(ev, { briefingLocale: 'de' }).summary.text;
    expect(de).toContain('schreibt: „Ich möchte die zweite Abbuchung zurück.“ (Nachricht 3)');
    expect(de).not.toMatch(/erwartet/);
    expect(analyze(ev, { briefingLocale: 'ja' }).summary.text).toContain('「Ich möchte die zweite Abbuchung zurück.」と書いています（メッセージ3）');
  });
});
