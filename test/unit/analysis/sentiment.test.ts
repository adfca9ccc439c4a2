import { describe, expect, it } from 'vitest';
import { analyzeSentiment } from '../../../server/analysis/sentiment.ts';
import { messageSentiment } from '../../../server/analysis/message-sentiment.ts';
import { lexiconScore } from '../../../server/analysis/lexicon-score.ts';
import { detectSignals } from '../../../server/analysis/signals.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';

const c = (text: string): HandoffMessage => ({ role: 'customer', text });
const b = (text: string): HandoffMessage => ({ role: 'bot', text });

describe('lexicon scorer', () => {
  it('handles negation, intensifiers and "but"', () => {
    expect(lexiconScore('this is good').compound).toBeGreaterThan(0);
    expect(lexiconScore('this is not good').compound).toBeLessThan(0);
    expect(lexiconScore('this is very good').compound).toBeGreaterThan(lexiconScore('this is good').compound);
    expect(lexiconScore('the app is nice but the delivery was terrible').compound).toBeLessThan(0);
  });
});

describe('message sentiment', () => {
  it('reads clear cases', () => {
    expect(messageSentiment('Thank you so much, that was perfect!').label).toBe('positive');
    expect(messageSentiment('This is the worst service ever, I hate it').label).toBe('negative');
    expect(messageSentiment('What time do you open on Sunday?').label).toBe('neutral');
  });

  it('treats a polite complaint as negative', () => {
    const s = messageSentiment('Hello, I would kindly like to let you know that my order still has not arrived, thank you');
    expect(s.label).toBe('negative');
    expect(s.complaint).toBe(true);
  });
});

describe('conversation sentiment', () => {
  it('does not count "thanks" after a failure as positive', () => {
    const r = analyzeSentiment({ messages: [c('My refund has not arrived'), b("Sorry, I can't help with that."), c('ok thanks')] });
    expect(r.trajectory[1]!.label).not.toBe('positive');
  });

  it('trajectory has one point per customer turn and a worsening trend', () => {
    const r = analyzeSentiment({
      messages: [c('Hi, I have a question about my invoice'), b('Sure, what is it?'), c('I was billed twice'), b('Here is our billing FAQ'), c('THIS IS RIDICULOUS!!! nothing works, you are useless')],
    });
    expect(r.trajectory.map((p) => p.messageIndex)).toEqual([0, 2, 4]);
    expect(r.trend).toBe('worsening');
    expect(r.label).toBe('negative');
    expect(r.frustration).toBeGreaterThan(0.5);
  });

  it('improves when the customer ends happy', () => {
    const r = analyzeSentiment({ messages: [c('The app crashes every time, so annoying'), b('Try updating to 4.2'), c('That fixed it, thank you so much, great help!')] });
    expect(r.trend).toBe('improving');
  });
});

describe('signals', () => {
  const sig = (text: string) => detectSignals([{ messageIndex: 0, text }]);
  it('finds each signal with evidence', () => {
    expect(sig('WHY IS THIS STILL BROKEN').map((s) => s.id)).toContain('all_caps');
    expect(sig('hello???').map((s) => s.id)).toContain('repeated_punctuation');
    expect(sig('this is shit').map((s) => s.id)).toContain('profanity');
    expect(sig('This is ridiculous').map((s) => s.id)).toContain('frustration_phrase');
    expect(sig('I give up').map((s) => s.id)).toContain('giving_up');
    expect(sig('this is blocking our launch').map((s) => s.id)).toContain('urgency');
    expect(sig("fix it or I'll cancel my subscription").map((s) => s.id)).toContain('churn_threat');
  });

  it('tells frustration with the bot from frustration with the problem', () => {
    const bot = sig("you're useless").find((s) => s.id === 'bot_frustration');
    expect(bot?.target).toBe('bot');
    const problem = sig('nothing works').find((s) => s.id === 'frustration_phrase');
    expect(problem?.target).toBe('problem');
  });

  it('ignores acronyms as shouting and spots a repeated question', () => {
    expect(detectSignals([{ messageIndex: 0, text: 'my PIN and the SMS code' }]).map((s) => s.id)).not.toContain('all_caps');
    const rep = detectSignals([
      { messageIndex: 0, text: 'where is my refund for the blue jacket' },
      { messageIndex: 2, text: 'where is my refund for the blue jacket??' },
    ]);
    expect(rep.find((s) => s.id === 'repetition')?.messageIndex).toBe(2);
  });
});
