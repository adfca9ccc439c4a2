/**
 * The three-sentence briefing: the issue in the customer's own words, what the bot tried and how it went,
 * and what the customer expects now. Built from redacted text only.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { AttemptedSolution, SentimentResult, TopicResult, TriggerHit } from '../types/handoff-report.ts';
import { describeSolution } from './describe.ts';
import { bestOfTurn } from './opener.ts';
import { clip, sentences, words } from './text.ts';

const GREETING_ONLY_RE = /^\W*(?:hi|hello|hey|hallo|hola|bonjour|ola|oi|good (?:morning|afternoon|evening))\b\W*(?:there\W*)?$/i;

/** What the customer most likely wants, by topic (used when their words do not say it). */
const EXPECTATIONS: Record<string, string> = {
  billing_dispute: 'the disputed charge to be reviewed and reversed',
  refund: 'their refund',
  cancellation: 'the cancellation to be confirmed',
  billing_payment: 'the payment problem to be sorted out',
  account_security: 'secure access to their account again',
  account_management: 'the account change to be made',
  shipping_order: 'to know where their order is',
  technical_issue: 'the error to be fixed',
  legal: 'a formal answer on the legal question',
  complaint: 'their complaint to be taken seriously',
  feedback: 'their feedback to be passed on',
  how_to: 'a clear answer on how to do it',
};

/** The customer's statement of the issue: first substantive turn, trimmed to a sentence or two. */
export function issueStatement(messages: readonly HandoffMessage[]): { text: string; messageIndex: number } | undefined {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== 'customer') continue;
    const t = m.text.trim();
    if (!t || GREETING_ONLY_RE.test(t) || words(t).length < 3) continue;
    const ss = sentences(t);
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
}

function listJoin(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function buildSummary(input: SummaryInput): string {
  const who = input.customerName?.split(/\s+/)[0] || 'The customer';
  const bot = input.botName || 'The bot';
  const out: string[] = [];
  const issue = issueStatement(input.messages);
  if (issue) {
    const q = issue.text.replace(/[“”"]/g, "'");
    out.push(`${who} wrote: “${q}”${/[.!?…]$/.test(q) ? '' : '.'}`);
  } else out.push(`${who} did not describe the issue to the bot${input.topic.id !== 'other' ? ` (topic: ${input.topic.id.replace(/_/g, ' ')})` : ''}.`);

  // One entry per bot turn keeps the sentence short when a turn carries an article and a link.
  const perTurn = new Map<number, AttemptedSolution>();
  for (const s of input.solutions) if (!perTurn.has(s.messageIndex)) perTurn.set(s.messageIndex, bestOfTurn(input.solutions, s.messageIndex));
  const tried = [...perTurn.values()].slice(0, 3).map((s) => `${describeSolution(s, 'en')} (${s.outcome})`);
  const more = perTurn.size > 3 ? ` and ${perTurn.size - 3} more` : '';
  out.push(tried.length > 0 ? `${bot} tried ${listJoin(tried)}${more}.` : `${bot} did not offer a solution before the handoff.`);

  const wants: string[] = [];
  const ids = new Set(input.triggers.map((t) => t.id));
  if (ids.has('customer_requested_human')) wants.push('asked for a person');
  const expectation = EXPECTATIONS[input.topic.id];
  if (expectation) wants.push(`expects ${expectation}`);
  const sig = new Set(input.sentiment.signals.map((s) => s.id));
  const extra: string[] = [];
  if (sig.has('urgency')) extra.push('says it is urgent');
  if (sig.has('churn_threat')) extra.push('is threatening to leave');
  if (ids.has('repeat_contact')) extra.push('has contacted us before');
  const parts = [...wants, ...extra];
  out.push(parts.length > 0 ? `Now ${who === 'The customer' ? 'they' : who} ${listJoin(parts)}.` : `Now ${who === 'The customer' ? 'they need' : `${who} needs`} a person to pick this up.`);
  return out.join(' ');
}
