/**
 * Every visible word of the briefing, in one table per locale: every helpdesk's note and card take their
 * wording from here (through buildBriefing), so they all say the same thing.
 *
 * English is complete and is the last step of every fallback chain; the other locales (wording-locales.ts)
 * may leave a key out, and then that key comes from the next locale in the chain (`pt-BR → pt → en`).
 * Pure: no I/O, no clock.
 */
import type {
  FactKind,
  PriorityFactor,
  PriorityLevel,
  RedactionKind,
  ReportCuts,
  SentimentLabel,
  SentimentSignalId,
  SentimentTrend,
  SolutionKind,
  SolutionOutcome,
  TriggerId,
} from '../types/handoff-report.ts';
import type { MessageRole } from '../types/handoff-event.ts';
import { KEEP_FIRST_MESSAGES, KEEP_LAST_MESSAGES } from '../util/cut-transcript.ts';

/** Formats numbers for the locale being rendered (Intl; no clock or time zone involved). */
export interface NumberFormat {
  int(n: number): string;
}

export interface BriefingWording {
  title: string;
  summary: string;
  whyEscalated: string;
  otherTriggers: string;
  sentiment: string;
  trend: string;
  score: string;
  frustration: string;
  trajectory: string;
  signals: string;
  attempted: string;
  noneAttempted: string;
  customerReaction: string;
  keyFacts: string;
  customer: string;
  priority: string;
  routing: string;
  opener: string;
  nextSteps: string;
  redactions: string;
  transcript: string;
  longConversation: string;
  cutText: (c: ReportCuts, f: NumberFormat) => string;
  degraded: string;
  degradedText: (d: NonNullable<ReportCuts['degraded']>) => string;
  transcriptOmitted: (n: number, f: NumberFormat) => string;
  /** The same notice where no sidebar shows the whole conversation. */
  transcriptOmittedShort: (n: number, f: NumberFormat) => string;
  marker: string;
  topic: string;
  fields: {
    name: string;
    email: string;
    tier: string;
    page: string;
    channel: string;
    locale: string;
    bot: string;
    started: string;
    requested: string;
    group: string;
    skills: string;
    language: string;
    rule: string;
  };
  triggers: Record<TriggerId, string>;
  sentimentLabels: Record<SentimentLabel, string>;
  veryNegative: string;
  veryPositive: string;
  trends: Record<SentimentTrend, string>;
  signalLabels: Record<SentimentSignalId, string>;
  solutionKinds: Record<SolutionKind, string>;
  outcomes: Record<SolutionOutcome, string>;
  /** A solution the bot offered more than once (issue 14): "offered twice, rejected both times". */
  offered: (offers: number, rejected: number) => string;
  factKinds: Record<FactKind, string>;
  priorityLevels: Record<PriorityLevel, string>;
  priorityFactors: Record<PriorityFactor['id'], string>;
  roles: Record<MessageRole, string>;
  redactionKinds: Record<RedactionKind, string>;
  /** Canvas-only wording (the inbox card). */
  card: {
    copyOpener: string;
    accurate: string;
    yes: string;
    no: string;
    thanks: string;
    moreLeftOut: (n: number, f: NumberFormat) => string;
    textCut: string;
    fullNote: string;
    noHandoffTitle: string;
    noHandoffBody: string;
    unavailable: string;
  };
}

/** A locale's table: any key may be missing (then the next locale of the chain answers); nested tables too. */
export type PartialWording = { [K in keyof BriefingWording]?: BriefingWording[K] extends (...args: never[]) => unknown ? BriefingWording[K] : BriefingWording[K] extends object ? Partial<BriefingWording[K]> : BriefingWording[K] };

export const WORDING_EN: BriefingWording = {
  title: 'Baton handoff briefing',
  summary: 'Summary',
  whyEscalated: 'Why the bot handed over',
  otherTriggers: 'Also',
  sentiment: 'Sentiment',
  trend: 'trend',
  score: 'score',
  frustration: 'frustration',
  trajectory: 'Trajectory',
  signals: 'Signals',
  attempted: 'What the bot already tried',
  noneAttempted: 'The bot offered no solution.',
  customerReaction: 'customer',
  keyFacts: 'Key facts',
  customer: 'Customer',
  priority: 'Priority',
  routing: 'Routing',
  opener: 'Suggested opener',
  nextSteps: 'Next steps',
  redactions: 'Redacted before analysis',
  transcript: 'Transcript',
  longConversation: 'Long conversation',
  cutText: (c, f) => {
    const plural = (x: number, one: string, many: string) => `${f.int(x)} ${x === 1 ? one : many}`;
    const what = [
      ...(c.messagesDropped > 0 ? [plural(c.messagesDropped, 'message', 'messages')] : []),
      ...(c.charactersCut > 0 ? [plural(c.charactersCut, 'character', 'characters')] : []),
    ].join(' and ');
    const shown =
      c.messagesDropped > 0
        ? `the first ${f.int(KEEP_FIRST_MESSAGES)} and last ${f.int(KEEP_LAST_MESSAGES)} messages are shown`
        : `the beginning and end of ${c.messagesTruncated === 1 ? 'the long message are' : `${f.int(c.messagesTruncated)} long messages are`} shown`;
    return `${what} ${what.includes(' and ') || c.messagesDropped + c.charactersCut > 1 ? 'were' : 'was'} cut; ${shown}.`;
  },
  degraded: 'Analysed in a reduced form',
  degradedText: (d) =>
    `${d.reason === 'time_budget' ? 'the conversation was too long to analyse in full in time' : 'the full analysis failed'}${d.skipped.length ? ` (skipped: ${d.skipped.join(', ')})` : ''}.`,
  transcriptOmitted: (n, f) => `${f.int(n)} earlier message${n === 1 ? '' : 's'} omitted to fit the note; the sidebar shows the whole conversation.`,
  transcriptOmittedShort: (n, f) => `${f.int(n)} earlier message${n === 1 ? '' : 's'} omitted to fit the note.`,
  marker: 'Baton handoff',
  topic: 'Topic',
  fields: {
    name: 'Name',
    email: 'Email',
    tier: 'Tier',
    page: 'Page',
    channel: 'Channel',
    locale: 'Locale',
    bot: 'Bot',
    started: 'Conversation started',
    requested: 'Handoff requested',
    group: 'Group',
    skills: 'Skills',
    language: 'Language',
    rule: 'Rule',
  },
  triggers: {
    customer_requested_human: 'Customer asked for a human',
    repeated_failure: 'The bot failed repeatedly',
    negative_sentiment: 'Negative sentiment',
    sensitive_topic: 'Sensitive topic',
    vip_account: 'VIP account',
    low_bot_confidence: 'Low bot confidence',
    long_conversation: 'Long conversation',
    repeat_contact: 'Repeat contact',
    bot_reported: 'Reported by the bot',
  },
  sentimentLabels: { negative: 'negative', neutral: 'neutral', positive: 'positive' },
  veryNegative: 'very negative',
  veryPositive: 'very positive',
  trends: { improving: 'improving', stable: 'stable', worsening: 'worsening' },
  signalLabels: {
    all_caps: 'all caps',
    repeated_punctuation: 'repeated punctuation',
    profanity: 'profanity',
    repetition: 'repeating themselves',
    frustration_phrase: 'frustration',
    bot_frustration: 'frustrated with the bot',
    giving_up: 'giving up',
    urgency: 'urgency',
    churn_threat: 'churn threat',
  },
  solutionKinds: { article: 'Article', link: 'Link', steps: 'Steps', action: 'Action', answer: 'Answer' },
  outcomes: { rejected: 'REJECTED', ignored: 'ignored', accepted: 'accepted', unclear: 'outcome unclear' },
  offered: (n, r) => {
    const times = (k: number): string => (k === 1 ? 'once' : k === 2 ? 'twice' : `${k} times`);
    const rej = r === 0 ? '' : r === n ? `, rejected ${n === 2 ? 'both times' : 'every time'}` : `, rejected ${times(r)}`;
    return `offered ${times(n)}${rej}`;
  },
  factKinds: {
    order_id: 'Order',
    amount: 'Amount',
    date: 'Date',
    error_code: 'Error code',
    email: 'Email',
    url: 'URL',
    phone: 'Phone',
    account_id: 'Account',
    other: 'Other',
  },
  priorityLevels: { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' },
  priorityFactors: {
    tier: 'tier',
    sentiment: 'sentiment',
    topic: 'topic',
    duration: 'duration',
    repeat_contact: 'repeat contact',
    urgency: 'urgency',
    trigger: 'trigger',
  },
  roles: { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System' },
  redactionKinds: { card_number: 'card number', cvv: 'CVV', password: 'password', national_id: 'national ID' },
  card: {
    copyOpener: 'Copy this opener into your reply',
    accurate: 'Was this briefing accurate?',
    yes: 'Yes, accurate',
    no: 'No, not accurate',
    thanks: 'Thanks! Your feedback helps Baton improve.',
    moreLeftOut: (n, f) => `${f.int(n)} more left out to keep the card short; the note has everything.`,
    textCut: '…',
    fullNote: 'The full briefing with the transcript is in the note on this conversation.',
    noHandoffTitle: 'No bot handoff for this conversation',
    noHandoffBody: "Baton briefs conversations that a bot handed over. This one didn't come through Baton.",
    unavailable: "Baton couldn't draw this briefing here. The note on this conversation has it.",
  },
};
