/** Issue 14: each key fact says what it is about, in the customer's words, deduplicated, with its message. */
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../server/analysis/facts.ts';
import { analyze } from '../../../server/analysis/index.ts';
import { buildBriefing } from '../../../server/briefing/build-briefing.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import { eventOf } from './helpers.ts';

const c = (text: string): HandoffMessage => ({ role: 'customer', text });
const line = (f: { about?: string; kind: string; value: string }): string => `${f.about ?? f.kind}: ${f.value}`;

describe('facts with their meaning', () => {
  it('an amount with its date is one fact about what happened', () => {
    const facts = extractFacts([c('I was charged twice: $89.90 on 14 May for one subscription.')]);
    expect(facts.map(line)).toEqual(['charged twice: $89.90 on 14 May']);
  });

  it('a date says what happened then; an amount its own verb', () => {
    const facts = extractFacts([c('I cancelled by phone last week but you still billed me £12.00 today.')]);
    expect(facts.map(line)).toEqual(['cancelled by phone: last week', 'billed: £12.00']);
  });

  it('an id says what it identifies, as the customer named it', () => {
    const facts = extractFacts([c('Where is my order A-77812?'), c('Account number 55102-77, error E-4032, pedido 88123.')]);
    expect(facts.map(line)).toEqual(['order: A-77812', 'account: 55102-77', 'error: E-4032', 'pedido: 88123']);
  });

  it('reads the verb after the amount (German) and foreign dates', () => {
    expect(extractFacts([c('Sie haben mir 49,00 EUR doppelt abgebucht.')]).map(line)).toEqual(['doppelt abgebucht: 49,00 EUR']);
    expect(extractFacts([c("J'ai résilié par téléphone le 2 octobre, et vous m'avez encore prélevé 19,99 €.")]).map(line)).toEqual(['résilié: le 2 octobre', 'prélevé: 19,99 €']);
  });

  it('no about when the message does not say; the same fact twice is one', () => {
    const facts = extractFacts([c('It started yesterday.'), c('Order #A10023 again: order #A10023.')]);
    expect(facts).toEqual([
      { kind: 'date', value: 'yesterday', messageIndex: 0 },
      { kind: 'order_id', value: 'A10023', messageIndex: 1, about: 'order' },
    ]);
  });

  it('the briefing labels a fact with what it is about, else with its kind', () => {
    const r = analyze(eventOf([c('I was charged twice: $89.90 on 14 May. It started yesterday.')]));
    const items = buildBriefing(r, 'h1').keyFacts.items;
    expect(items.map((i) => `${i.label}: ${i.value}`)).toEqual(['charged twice: $89.90 on 14 May', 'Date: yesterday']);
  });
});
