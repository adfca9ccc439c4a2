/** "Had to repeat themselves" (issue 11): explicit phrases in six languages, restatements, and the look-alikes that are not. */
import { describe, expect, it } from 'vitest';
import { detectRepeat, REPEAT_THRESHOLD } from '../../../server/analysis/repeat-yourself.ts';

const BEFORE_EN = [
  'Hi, I was charged twice for my subscription renewal on 14 May, $89.90 each time.',
  'The second charge is still on my card statement and I want it refunded.',
];

describe('detectRepeat', () => {
  it.each([
    ['en', 'As I said, I was charged twice. Can you refund one?'],
    ['en', "I've already explained this to your bot."],
    ['en', 'Do I really have to explain it all over again?'],
    ['en', 'For the third time: the charge is duplicated.'],
    ['es', 'Como ya le dije, me cobraron dos veces.'],
    ['es', 'Ya lo expliqué al bot, el cargo está duplicado.'],
    ['de', 'Wie bereits gesagt, wurde ich doppelt belastet.'],
    ['de', 'Ich habe doch schon geschrieben, dass die Abbuchung doppelt ist.'],
    ['fr', "Comme je l'ai déjà dit, j'ai été débité deux fois."],
    ['fr', 'Je vous ai déjà expliqué le problème au robot.'],
    ['pt', 'Como eu já disse, fui cobrado duas vezes.'],
    ['pt', 'Já expliquei isso pro robô, pela segunda vez.'],
    ['ja', '先ほども申し上げましたが、二重に請求されています。'],
    ['ja', '何度も言っていますが、返金してください。'],
  ])('flags the %s phrase %j', (_lang, text) => {
    const v = detectRepeat(['something else entirely'], ['Hello', text]);
    expect(v.repeated).toBe(true);
    expect(v.score).toBe(1);
    expect(v.evidence).toEqual({ index: 1, kind: 'phrase', excerpt: text });
  });

  it('flags a restatement of what the customer told the bot', () => {
    const v = detectRepeat(BEFORE_EN, ['I was charged twice for the subscription renewal, $89.90 on my card, please refund the second charge']);
    expect(v.repeated).toBe(true);
    expect(v.score).toBeGreaterThanOrEqual(REPEAT_THRESHOLD);
    expect(v.evidence?.kind).toBe('restated');
  });

  it('flags a Japanese restatement by character overlap', () => {
    const v = detectRepeat(['注文番号12345の商品がまだ届いていません。配送状況を確認してください。'], ['注文番号12345の商品がまだ届いていません']);
    expect(v.repeated).toBe(true);
  });

  it.each([
    ['a new detail', ['Thanks. The bank reference is TX-99812 and it posted yesterday evening.']],
    ['"again" as news, not a restatement', ['It happened again this morning with another card payment.']],
    ['a short answer', ['yes, twice']],
    ['a German follow-up with new facts', ['Die Rechnungsnummer lautet RE-2211, bitte per E-Mail antworten.']],
  ])('does not flag %s', (_what, after) => {
    const v = detectRepeat(BEFORE_EN, after);
    expect(v.repeated).toBe(false);
    expect(v.score).toBeLessThan(REPEAT_THRESHOLD);
  });

  it('has nothing to say without messages after the handoff', () => {
    expect(detectRepeat(BEFORE_EN, [])).toEqual({ repeated: false, score: 0 });
  });
});
