/**
 * Issue 14, rule 1: what counts as an attempted solution. Our own examples of each class (not the issue's).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../server/analysis/index.ts';
import { botLineKind } from '../../../server/analysis/bot-lines.ts';
import { buildBriefing } from '../../../server/briefing/build-briefing.ts';
import { extractSolutions, rejectedOffers } from '../../../server/analysis/solutions.ts';
import { detectTriggers } from '../../../server/analysis/triggers.ts';
import { analyzeSentiment } from '../../../server/analysis/sentiment.ts';
import { resolveAnalysisOptions } from '../../../server/analysis/options.ts';
import { foldAccents } from '../../../server/analysis/text.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import { eventOf } from './helpers.ts';

const c = (text: string): HandoffMessage => ({ role: 'customer', text });
const b = (text: string, bot?: HandoffMessage['bot']): HandoffMessage => (bot ? { role: 'bot', text, bot } : { role: 'bot', text });
const article = (title: string, url: string): HandoffMessage['bot'] => ({ articles: [{ title, url }] });

describe('bot lines that are not solutions', () => {
  it.each([
    ['Absolutely.', 'acknowledgement'],
    ['Noted, thanks for the details.', 'acknowledgement'],
    ['Claro.', 'acknowledgement'],
    ['Verstanden.', 'acknowledgement'],
    ['かしこまりました。', 'acknowledgement'],
    ["We're sorry to hear about the delay.", 'apology'],
    ['Which email address is on the account?', 'question'],
    ['It sounds like your invoice shows the wrong VAT number.', 'restatement'],
    ['This appears to be a billing question.', 'restatement'],
    ["I'm passing this over to a billing specialist now.", 'handover'],
    ['One of our agents will confirm the details shortly.', 'handover'],
    ['Te paso con un agente.', 'handover'],
    ['Ich verbinde Sie mit einem Kollegen.', 'handover'],
    ["I wasn't able to find anything about that invoice.", 'cannot_help'],
    ["Unfortunately I don't have information on custom contracts.", 'cannot_help'],
    ["Je n'ai pas trouvé de réponse à votre question.", 'cannot_help'],
    ['Não consegui encontrar o seu pedido.', 'cannot_help'],
    ['I understand how frustrating this must be.', 'apology'],
    ['Das kann ich Ihnen leider nicht beantworten.', 'cannot_help'],
    ['No tengo información sobre ese cargo.', 'cannot_help'],
    ['A live agent will be with you in a few minutes.', 'handover'],
    ["I'll open a ticket so the billing team can follow up.", 'handover'],
    ["You're being transferred to our support team.", 'handover'],
    ['I can help you with that.', 'acknowledgement'],
    ['Good question!', 'acknowledgement'],
  ])('%s → %s', (text, kind) => {
    expect(botLineKind(foldAccents(text))).toBe(kind);
  });

  it.each(['Open Settings > Billing and choose Download invoice.', 'Your refund of $20 was issued today and takes 5 days.', 'Sorry, but you need to verify your email before you can log in.'])(
    'keeps a real answer: %s',
    (text) => {
      expect(botLineKind(foldAccents(text))).toBeUndefined();
    },
  );

  it('lists none of them as something the bot tried, but keeps the real answer in the same turn', () => {
    const s = extractSolutions([
      c('My invoice shows the wrong company address and I need it fixed for our accounts team.'),
      b('Certainly. It sounds like your invoice has the wrong address.'),
      b("I'm sorry about that. I'll loop in a teammate from billing to correct it."),
      b("I couldn't find a way to edit issued invoices for you."),
      c('ok'),
      b('Understood. You can change the address for future invoices under Settings > Company profile.'),
      c('That is not what I asked, the issued one is wrong.'),
    ]);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ kind: 'answer', outcome: 'rejected', messageIndex: 5 });
    expect(s[0]!.text).toMatch(/^You can change the address/);
  });

  it('does not take a hand-over "I\'ve escalated …" for an action, but keeps a real action', () => {
    const s = extractSolutions([c('I was billed after cancelling.'), b("I've escalated your case to our billing team."), c('Thanks.'), b("I've issued a refund of the last charge to your card."), c('Great, that worked, thanks.')]);
    expect(s.map((x) => [x.kind, x.outcome])).toEqual([['action', 'accepted']]);
  });
});

describe('platform actions', () => {
  it('a hand-over or fallback action is not an attempt; a real one is', () => {
    const s = extractSolutions([c('Reset my password please.'), b('Done.', { actions: ['action_reset_password', 'action_handoff_to_human', 'action_default_fallback'] }), c('Got it, thanks.')]);
    expect(s.map((x) => x.text)).toEqual(['action_reset_password']);
  });
});

describe('repeated offers are one attempt with a count', () => {
  const msgs: HandoffMessage[] = [
    c('The export to CSV fails with a timeout every time.'),
    b('This guide covers large exports.', article('Exporting large reports', 'https://kb.example.com/export-large')),
    c('Read it, the timeout is still there.'),
    b('Here is what may help.', article('Exporting large reports', 'https://kb.example.com/export-large/')),
    c('Same article again, still timing out.'),
  ];
  it('merges by URL, counts the offers and keeps each offer with its outcome', () => {
    const s = extractSolutions(msgs);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ kind: 'article', offers: 2, outcome: 'rejected', messageIndex: 1 });
    expect(s[0]!.offerHistory!.map((h) => [h.messageIndex, h.outcome])).toEqual([[1, 'rejected'], [3, 'rejected']]);
    expect(rejectedOffers(s).map((h) => h.messageIndex)).toEqual([1, 3]);
  });

  it('still counts two rejections for repeated_failure', () => {
    const s = extractSolutions(msgs);
    const r = detectTriggers({ event: eventOf(msgs), messages: msgs, sentiment: analyzeSentiment({ messages: msgs }), topic: { id: 'technical_issue', confidence: 1 }, solutions: s, options: resolveAnalysisOptions() });
    expect(r.triggers.find((t) => t.id === 'repeated_failure')?.detail).toBe('2 bot answers rejected');
  });

  it('merges the same answer repeated word for word by a looping bot, with its last clear verdict', () => {
    const loop = 'You can reset two-factor authentication from the login page using a backup code.';
    const s = extractSolutions([c('I lost my phone and cannot get my 2FA code.'), b(loop), c('That worked, thanks!'), b(loop), c('What about my second account?')]);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ offers: 2, outcome: 'accepted' });
  });

  it('counts "Please try X: <link>" as one attempt, not a link and steps', () => {
    const s = extractSolutions([c('Sync is stuck.'), b('Please sign out and back in: https://kb.example.com/sync'), c('Done, still stuck.')]);
    expect(s.map((x) => x.kind)).toEqual(['link']);
  });
});

describe('outcomes', () => {
  it('asking for a person right after an article, with nothing about it, leaves the article ignored', () => {
    const s = extractSolutions([c('Where is my parcel 7781-22?'), b('Track it here.', article('Tracking a parcel', 'https://kb.example.com/track')), c('Could I speak to an agent please?')]);
    expect(s[0]!.outcome).toBe('ignored');
  });
  it.each(['Das hilft mir nicht, ich möchte einen Mitarbeiter.', 'Isso não ajuda.', 'No me ayuda nada.', 'Ça ne m’aide pas.'])('"%s" rejects the offer', (reply) => {
    const s = extractSolutions([c('Problem with my invoice.'), b('See our invoice guide.', article('Invoices', 'https://kb.example.com/inv')), c(reply)]);
    expect(s[0]!.outcome).toBe('rejected');
  });
});

describe('the bot saying it cannot help is evidence, not a solution', () => {
  it('one admission: bot_reported with the bot line as evidence', () => {
    const msgs = [c('Why was my account flagged for review?'), b("Sorry, I wasn't able to find an answer to that."), c('Hm, OK.')];
    const s = extractSolutions(msgs);
    expect(s).toEqual([]);
    const r = detectTriggers({ event: eventOf(msgs), messages: msgs, sentiment: analyzeSentiment({ messages: msgs }), topic: { id: 'other', confidence: 0 }, solutions: s, options: resolveAnalysisOptions() });
    const hit = r.triggers.find((t) => t.id === 'bot_reported');
    expect(hit?.evidence?.messageIndex).toBe(1);
    expect(hit?.detail).toBe('the bot said it could not help');
  });
  it('two admissions: repeated_failure', () => {
    const msgs = [c('Can you merge my two accounts?'), b("I'm not able to help with merging accounts."), c('Who can then?'), b("I don't have information about that.")];
    const r = detectTriggers({ event: eventOf(msgs), messages: msgs, sentiment: analyzeSentiment({ messages: msgs }), topic: { id: 'account_management', confidence: 1 }, solutions: extractSolutions(msgs), options: resolveAnalysisOptions() });
    expect(r.triggers.find((t) => t.id === 'repeated_failure')).toMatchObject({ evidence: { messageIndex: 3 } });
  });
});

describe('the briefing shows a repeated offer once, with its count', () => {
  it.each([
    ['en', 'REJECTED (offered twice, rejected both times)'],
    ['de', 'ABGELEHNT (2-mal angeboten, jedes Mal abgelehnt)'],
  ] as const)('%s', (locale, label) => {
    const msgs: HandoffMessage[] = [
      c('The export to CSV fails with a timeout every time.'),
      b('This guide covers large exports.', article('Exporting large reports', 'https://kb.example.com/export-large')),
      c('Read it, the timeout is still there.'),
      b('Here is what may help.', article('Exporting large reports', 'https://kb.example.com/export-large')),
      c('Same article again, still timing out.'),
    ];
    const items = buildBriefing(analyze(eventOf(msgs), { briefingLocale: locale }), 'h1').tried.items;
    expect(items.map((i) => i.outcomeLabel)).toEqual([label]);
  });
});
