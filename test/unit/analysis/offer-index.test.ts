/**
 * Repeated offers are found by keys computed once (URL, same words) and, for steps and answers, a near match among
 * the latest offers of the kind — so long transcripts are not compared pairwise, and merging still works far apart.
 */
import { describe, expect, it } from 'vitest';
import { extractSolutions } from '../../../server/analysis/solutions.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';

const c = (text: string): HandoffMessage => ({ role: 'customer', text });
const steps = (n: number): HandoffMessage => ({ role: 'bot', text: `Step ${n}: open Settings, choose panel number ${n} and press the reset button for unit ${n * 7}.` });
const guide: HandoffMessage = { role: 'bot', text: 'This guide explains it.', bot: { articles: [{ title: 'Reset your router', url: 'https://help.example.com/router#reset' }] } };

describe('repeated offers in long transcripts', () => {
  it('merges the same article offered again after 200 other offers (by URL, ignoring the fragment)', () => {
    const messages: HandoffMessage[] = [c('My router keeps dropping.'), guide, c('That did not help.')];
    for (let i = 0; i < 200; i++) messages.push(steps(i), c(`tried ${i}, still broken`));
    messages.push({ ...guide, bot: { articles: [{ title: 'Reset your router', url: 'https://help.example.com/router/' }] } }, c('Still no.'));
    const solutions = extractSolutions(messages);
    const articles = solutions.filter((s) => s.kind === 'article');
    expect(articles).toHaveLength(1);
    expect(articles[0]!.offers).toBe(2);
  });

  it('merges nearly the same answer offered twice in a row, and keeps a different one apart', () => {
    const again: HandoffMessage = { role: 'bot', text: 'Step 3: open Settings, choose panel number 3 and then press the reset button for unit 21.' };
    const solutions = extractSolutions([c('It is broken.'), steps(3), c('no'), again, c('no'), steps(4), c('no')]);
    expect(solutions.map((s) => [s.kind, s.offers ?? 1])).toEqual([
      ['answer', 2],
      ['answer', 1],
    ]);
  });

  it('merges nearly the same steps (a word added)', () => {
    const restart = 'Restart the router, then hold the reset button for ten seconds until the light blinks';
    const solutions = extractSolutions([c('It is broken.'), { role: 'bot', text: `${restart}.` }, c('no'), { role: 'bot', text: `${restart} twice.` }, c('no')]);
    expect(solutions.map((s) => [s.kind, s.offers ?? 1])).toEqual([['steps', 2]]);
  });

  it('the earliest matching offer wins when an offer matches two earlier ones (one by title, one by URL)', () => {
    const first: HandoffMessage = { role: 'bot', text: 'See the guide.', bot: { articles: [{ title: 'Billing FAQ', url: 'https://help.example.com/a' }] } };
    const second: HandoffMessage = { role: 'bot', text: 'See this one.', bot: { articles: [{ title: 'Refunds', url: 'https://help.example.com/b' }] } };
    const both: HandoffMessage = { role: 'bot', text: 'Here.', bot: { articles: [{ title: 'Billing FAQ', url: 'https://help.example.com/b' }] } };
    const solutions = extractSolutions([c('refund?'), first, c('no'), second, c('no'), both, c('no')]);
    expect(solutions.map((s) => [s.text, s.offers ?? 1])).toEqual([
      ['Billing FAQ', 2],
      ['Refunds', 1],
    ]);
  });
});
