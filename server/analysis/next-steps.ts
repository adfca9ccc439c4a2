/**
 * A few concrete next steps for the agent, from what the engine found. Short imperative lines.
 */
import type { AttemptedSolution, KeyFact, RedactionSummary, SentimentResult, TopicResult, TriggerHit } from '../types/handoff-report.ts';
import { describeSolution } from './describe.ts';

const BY_TOPIC: Record<string, (facts: readonly KeyFact[]) => string> = {
  cancellation: () => 'Check the account for the cancellation the customer describes and confirm its status in writing.',
  billing_dispute: (f) => `Pull up the charges${amounts(f)} and reverse any duplicate or unauthorised one once confirmed.`,
  refund: (f) => `Look up the refund${ids(f)} and give the customer a concrete date.`,
  billing_payment: () => 'Check the payment method and the latest invoice before replying.',
  account_security: () => 'Verify the customer’s identity before changing credentials, then check for suspicious activity.',
  account_management: () => 'Make the account change directly rather than sending instructions.',
  shipping_order: (f) => `Check the tracking${ids(f)} and give a delivery estimate.`,
  technical_issue: (f) => `Reproduce the problem${errorCodes(f)} and link it to a bug report if it is new.`,
  legal: () => 'Do not commit to anything; route to the legal or compliance contact.',
  complaint: () => 'Acknowledge the complaint and log it for follow-up.',
};

function amounts(f: readonly KeyFact[]): string {
  const a = f.filter((x) => x.kind === 'amount').map((x) => x.value);
  return a.length ? ` (${a.slice(0, 3).join(', ')})` : '';
}
function ids(f: readonly KeyFact[]): string {
  const a = f.filter((x) => x.kind === 'order_id').map((x) => x.value);
  return a.length ? ` for ${a.slice(0, 2).join(', ')}` : '';
}
function errorCodes(f: readonly KeyFact[]): string {
  const a = f.filter((x) => x.kind === 'error_code').map((x) => x.value);
  return a.length ? ` (${a.slice(0, 2).join(', ')})` : '';
}

export interface NextStepsInput {
  topic: TopicResult;
  triggers: readonly TriggerHit[];
  sentiment: SentimentResult;
  solutions: readonly AttemptedSolution[];
  facts: readonly KeyFact[];
  redactions: RedactionSummary;
}

export function nextSteps(input: NextStepsInput): string[] {
  const out: string[] = [];
  const sig = new Set(input.sentiment.signals.map((s) => s.id));
  const ids = new Set(input.triggers.map((t) => t.id));
  if (sig.has('urgency')) out.push('Reply first: the customer says this is urgent.');
  const topicStep = BY_TOPIC[input.topic.id];
  if (topicStep) out.push(topicStep(input.facts));
  const rejected = input.solutions.filter((s) => s.outcome === 'rejected');
  if (rejected.length > 0) {
    const names = [...new Set(rejected.map((s) => describeSolution(s, 'en')))].slice(0, 2).join(' or ');
    out.push(`Don't resend ${names}: the customer already said it did not help.`);
  }
  if (ids.has('repeat_contact')) out.push('Link the earlier contact(s) so the customer does not have to explain again.');
  if (sig.has('churn_threat')) out.push('Retention risk: consider looping in the account owner.');
  if (input.redactions.total > 0) out.push('The customer shared sensitive data (redacted here); ask them not to send it in chat.');
  if (out.length === 0) out.push('Confirm the issue in one line and resolve it directly.');
  return out.slice(0, 5);
}
