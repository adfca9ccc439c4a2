/**
 * The error classes a blind check found (issue 12, section 2), each with our own paraphrases: the fix is
 * for the class, so none of these sentences is the one from the report.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../server/analysis/index.ts';
import { detectHumanRequest } from '../../../server/analysis/human-request.ts';
import { messageSentiment } from '../../../server/analysis/message-sentiment.ts';
import { DEFAULT_ANALYSIS_OPTIONS } from '../../../server/analysis/options.ts';
import { classifyTopic } from '../../../server/analysis/topics.ts';
import { eventOf } from './helpers.ts';

const label = (t: string): string => messageSentiment(t).label;
const topic = (t: string): string => classifyTopic({ texts: [t] }, DEFAULT_ANALYSIS_OPTIONS).id;
const asks = (t: string): boolean => detectHumanRequest(t) !== undefined;
const signalsOf = (t: string): string[] => analyze(eventOf([{ role: 'customer', text: t }])).sentiment.signals.map((s) => s.id);

describe('sentiment: polite questions and requests are neutral, not positive', () => {
  it.each([
    'hey there, could you tell me when your store opens please',
    'thanks, one more small question whenever you have a minute',
    'hi, please send me the return form',
    'good morning, can I change the delivery address on my order?',
    'hello! what time does the branch close today?',
    'sure, my account number is 55102',
  ])('%s', (t) => expect(label(t)).toBe('neutral'));

  it('real praise stays positive', () => {
    expect(label('you are amazing, thanks for the quick help')).toBe('positive');
    expect(label('thank you so much, that fixed it!')).toBe('positive');
  });
});

describe('sentiment: service failures stated as facts are negative', () => {
  it.each([
    'my flight got delayed by five hours and no one explains why',
    'the train was cancelled again',
    'the parcel showed up damaged',
    'we sat on hold for over an hour',
    'two hours on hold and then the line dropped',
    'my suitcase is missing since Tuesday',
    'missed my appointment because the engineer never turned up',
    'nobody informs us about anything',
    'this is the last time I order from you',
    'never flying with you again',
  ])('%s', (t) => expect(label(t)).toBe('negative'));
});

describe('sentiment: sarcastic thanks and praise around a failure are negative', () => {
  it.each([
    'thanks so much for keeping me waiting all afternoon',
    'thank you for losing my package, really',
    'great job breaking my order again',
    'well done, you cancelled my booking twice',
    'oh brilliant, another delay',
    'fantastic, yet another missed delivery',
  ])('%s', (t) => expect(label(t)).toBe('negative'));
});

describe('sentiment: problem words in praise do not make it a complaint', () => {
  it.each([
    'I have never had a delay with you before, love it',
    'not frustrating at all, smooth as always',
    'found the bag I thought I lost, thank you',
    'zero problems this time, you are the best',
  ])('%s', (t) => expect(label(t)).not.toBe('negative'));
});

describe('sentiment: capitalised codes are not shouting', () => {
  it.each([
    'my train from PAD to OXF via RDG',
    'flying LAX AMS CDG tomorrow',
    'the code is ERRCONN and the SKU WIDGETPRO',
    'order ABCDE-77 and TXPRO-9 are mine',
  ])('%s', (t) => expect(signalsOf(t)).not.toContain('all_caps'));

  it('real shouting still counts', () => {
    expect(signalsOf('WHY IS THIS STILL NOT WORKING')).toContain('all_caps');
    expect(signalsOf('this is NOT OKAY at ALL')).toContain('all_caps');
  });
});

describe('human request: rejecting the bot, someone else, a department', () => {
  it.each([
    'I really do not want to chat with a machine',
    'your chatbot does not understand anything',
    'this robot is hopeless',
    'no more canned answers',
    'could someone else please take a look',
    'can anybody else help with this',
    'hello, is anybody out there?',
    'a non-bot agent would be nice',
    'one of your staff please',
    'connect me to customer service',
    'transfer me to the claims department',
    'can I speak to someone in accounts',
    'I need help contacting a representative',
    'reaching an operator seems impossible, help',
    'could I talk with an assistant',
  ])('%s', (t) => expect(asks(t)).toBe(true));
});

describe('human request: delegation, bookings and questions about the bot are not handoffs', () => {
  it.each([
    'could you ask an agent how I reset my router',
    'can you check with the team whether my refund went through',
    'please ask your staff to confirm the opening hours',
    'book a slot with the branch manager',
    'schedule me a call with a mortgage advisor',
    'are you a real person?',
    'am I talking to a bot?',
    'someone else used my card',
    'do we need to talk with a representative for a card replacement',
    'can someone help me top up my wallet',
    'set a reminder with my virtual assistant',
  ])('%s', (t) => expect(asks(t)).toBe(false));

  it('a question about the bot followed by a request is a request', () => {
    expect(asks('are you a bot? I want a real person')).toBe(true);
  });
});

describe('topic: synonyms the training data rarely uses', () => {
  it.each([
    ['can I get reimbursed for the broken lamp', 'refund'],
    ["I'd like to be reimbursed", 'refund'],
    ['send me a copy of my statement', 'billing_payment'],
    ['where can I find my bill for march', 'billing_payment'],
    ['I need a copy of the invoice', 'billing_payment'],
    ["I'd like to leave a review", 'feedback'],
    ['I have a comment about your shop', 'feedback'],
    ['I bought tickets for the concert, where are they', 'shipping_order'],
    ['update my profile picture', 'account_management'],
    ['the payment did not go through but the money left my account', 'billing_payment'],
    ['the transfer failed but you still charged me', 'billing_payment'],
    ['ask an agent to cancel my subscription', 'cancellation'],
  ])('%s -> %s', (t, id) => expect(topic(t)).toBe(id));
});
