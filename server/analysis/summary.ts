/**
 * The three-sentence briefing: the issue in the customer's own words, what the bot tried and how it went,
 * and what the customer wants now, in their own words (customer-wants.ts) or not at all: never an expectation
 * guessed from the topic (issue 14). Built from redacted text only.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { AttemptedSolution, SentimentResult, TopicResult, TriggerHit } from '../types/handoff-report.ts';
import { customerWant } from './customer-wants.ts';
import { describeSolution } from './describe.ts';
import { hasJapanese } from './japanese.ts';
import { bestOfTurn } from './opener.ts';
import { describeLang, reportText, topicName, type BriefingLocale } from './report-text.ts';
import { clip, sentences, words } from './text.ts';

const JA_GREETING_RE = /^\s*(?:こんにちは|こんばんは|おはようございます|すみません|もしもし|はじめまして)[\s。！!、]*$/;
const GREETING_ONLY_RE = /^\W*(?:hi|hello|hey|hallo|hola|bonjour|ola|oi|good (?:morning|afternoon|evening))\b\W*(?:there\W*)?$/i;

/** The customer's statement of the issue: first substantive turn, trimmed to a sentence or two. */
export function issueStatement(messages: readonly HandoffMessage[]): { text: string; messageIndex: number } | undefined {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== 'customer') continue;
    const t = m.text.trim();
    // Japanese has no spaces: a word count says nothing there, its length does (and 。！？ end its sentences).
    const ja = hasJapanese(t);
    if (!t || GREETING_ONLY_RE.test(t) || (ja ? JA_GREETING_RE.test(t) || t.length < 6 : words(t).length < 3)) continue;
    const ss = ja ? t.split(/(?<=[。！？])/).map((x) => x.trim()).filter((x) => x !== '') : sentences(t);
    let quote = ss[0] ?? t;
    // Two short sentences are joined into one so the summary stays at three sentences.
    if (quote.length < 60 && ss[1]) quote = `${quote.replace(/(?<![.!?…])[.!?…]+$/, '')} — ${ss[1]}`;
    return { text: clip(quote, 160), messageIndex: i };
  }
  return undefined;
}

export interface SummaryInput {
  messages: readonly HandoffMessage[];
  customerName?: string;
  botName?: string;
  topic: TopicResult;
  sentiment: SentimentResult;
  solutions: readonly AttemptedSolution[];
  triggers: readonly TriggerHit[];
  /** The briefing's language (report-text.ts); the quoted words stay the customer's. Default English. */
  locale?: BriefingLocale;
}

export function buildSummary(input: SummaryInput): string {
  const locale = input.locale ?? 'en';
  const T = reportText(locale);
  const S = T.summary;
  const first = input.customerName?.split(/\s+/)[0];
  const who = first ? T.nameOf(first) : T.customer;
  const named = Boolean(first);
  const bot = input.botName || T.bot;
  const out: string[] = [];
  const issue = issueStatement(input.messages);
  if (issue) out.push(S.wrote(who, issue.text.replace(/[“”"]/g, "'")));
  else out.push(S.noIssue(who, input.topic.id !== 'other' ? topicName(T, input.topic.id) : undefined));

  // One entry per bot turn keeps the sentence short when a turn carries an article and a link.
  const perTurn = new Map<number, AttemptedSolution>();
  for (const s of input.solutions) if (!perTurn.has(s.messageIndex)) perTurn.set(s.messageIndex, bestOfTurn(input.solutions, s.messageIndex));
  const lang = describeLang(locale);
  const tried = [...perTurn.values()].slice(0, 3).map((s) => S.attempt(describeSolution(s, lang), T.outcomes[s.outcome]));
  out.push(tried.length > 0 ? S.tried(bot, tried, Math.max(0, perTurn.size - 3)) : S.triedNone(bot));

  const wants: string[] = [];
  const ids = new Set(input.triggers.map((t) => t.id));
  if (ids.has('customer_requested_human')) wants.push(S.askedPerson);
  const want = customerWant(input.messages, issue);
  if (want) wants.push(S.writes(want.text.replace(/[“”"«»„]/g, "'"), want.messageIndex + 1));
  const sig = new Set(input.sentiment.signals.map((s) => s.id));
  const extra: string[] = [];
  if (sig.has('urgency')) extra.push(S.urgent);
  if (sig.has('churn_threat')) extra.push(S.churn);
  if (ids.has('repeat_contact')) extra.push(S.contactedBefore);
  const parts = [...wants, ...extra];
  out.push(parts.length > 0 ? S.now(who, named, parts) : S.needsPerson(who, named));
  return out.join(' ');
}
