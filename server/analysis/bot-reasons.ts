/**
 * The bot's own reason for handing over (generic `handoff.reason`, Dialogflow CX `fulfillmentInfo.tag`,
 * Sunshine switchboard metadata, Fin's escalation reason...) mapped onto Baton's trigger taxonomy. The table
 * is built in and each tenant can override or extend it (`analysis.botReasonTriggers`); a reason the table
 * does not know stays `bot_reported`, with the bot's words as detail. See docs/analysis.md, "The bot's reason".
 */
import { TRIGGER_IDS, type TriggerId } from '../types/handoff-report.ts';

/**
 * Keys are normalised reasons (normalizeBotReason). The vocabulary is the generic webhook's documented
 * values plus the names the common platforms and bot builders use for the same ideas; what a given
 * platform sends beyond `handoff.reason` is not verified here (tenants add their own names).
 */
export const DEFAULT_BOT_REASON_TRIGGERS: Readonly<Record<string, TriggerId>> = Object.freeze({
  // The customer asked for a person.
  customer_request: 'customer_requested_human',
  customer_requested: 'customer_requested_human',
  human_requested: 'customer_requested_human',
  agent_requested: 'customer_requested_human',
  requested_agent: 'customer_requested_human',
  requested_human: 'customer_requested_human',
  user_request: 'customer_requested_human',
  talk_to_agent: 'customer_requested_human',
  escalation_requested: 'customer_requested_human',
  // The bot was unsure or did not understand.
  low_confidence: 'low_bot_confidence',
  low_bot_confidence: 'low_bot_confidence',
  no_match: 'low_bot_confidence',
  nlu_fallback: 'low_bot_confidence',
  fallback: 'low_bot_confidence',
  not_understood: 'low_bot_confidence',
  unknown_intent: 'low_bot_confidence',
  // The bot kept failing.
  bot_loop: 'repeated_failure',
  loop_detected: 'repeated_failure',
  repeated_failure: 'repeated_failure',
  repeated_fallback: 'repeated_failure',
  max_retries: 'repeated_failure',
  max_no_match: 'repeated_failure',
  too_many_attempts: 'repeated_failure',
  unresolved: 'repeated_failure',
  // Subjects a person must handle.
  sensitive_topic: 'sensitive_topic',
  security_concern: 'sensitive_topic',
  security: 'sensitive_topic',
  fraud: 'sensitive_topic',
  fraud_suspected: 'sensitive_topic',
  account_compromised: 'sensitive_topic',
  legal_request: 'sensitive_topic',
  legal: 'sensitive_topic',
  compliance: 'sensitive_topic',
  data_request: 'sensitive_topic',
  billing_dispute: 'sensitive_topic',
  chargeback: 'sensitive_topic',
  // Who the customer is.
  priority_customer: 'vip_account',
  vip: 'vip_account',
  vip_customer: 'vip_account',
  high_value_customer: 'vip_account',
  // How the customer feels.
  customer_frustrated: 'negative_sentiment',
  frustrated: 'negative_sentiment',
  frustration: 'negative_sentiment',
  negative_sentiment: 'negative_sentiment',
  angry_customer: 'negative_sentiment',
  complaint: 'negative_sentiment',
  // History and length.
  repeat_contact: 'repeat_contact',
  returning_customer: 'repeat_contact',
  long_conversation: 'long_conversation',
  max_turns: 'long_conversation',
});

/**
 * "Low confidence", "low-confidence", "LOW_CONFIDENCE" and "handoff.low_confidence" are the same key. Only
 * short identifier-like reasons are looked up: a sentence of free text is the bot's words, not a code.
 */
export function normalizeBotReason(reason: string): string | undefined {
  const t = reason.trim().toLowerCase();
  if (t === '' || t.length > 64) return undefined;
  let key = '';
  let sep = false;
  for (const ch of t) {
    const letter = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (letter) {
      if (sep && key !== '') key += '_';
      key += ch;
      sep = false;
    } else if (ch === ' ' || ch === '_' || ch === '-') sep = true;
    else if (ch === '.' || ch === ':' || ch === '/') {
      // A namespace ("handoff.low_confidence", "escalation:bot_loop"): the last part is the reason.
      key = '';
      sep = false;
    } else return undefined;
  }
  return key === '' ? undefined : key;
}

/** The trigger the bot's reason names, or undefined (unknown, free text, or mapped to bot_reported). */
export function triggerForBotReason(reason: string | undefined, table: Readonly<Record<string, TriggerId>>): TriggerId | undefined {
  if (!reason) return undefined;
  const key = normalizeBotReason(reason);
  if (key === undefined || !Object.hasOwn(table, key)) return undefined;
  const id = table[key]!;
  return id === 'bot_reported' ? undefined : id;
}

/** Built-in table with the tenant's entries over it (keys normalised; `bot_reported` switches a built-in off). */
export function mergeBotReasonTriggers(overrides: Readonly<Record<string, TriggerId>> | undefined): Record<string, TriggerId> {
  const out: Record<string, TriggerId> = { ...DEFAULT_BOT_REASON_TRIGGERS };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    const key = normalizeBotReason(k);
    if (key !== undefined) out[key] = v;
  }
  return out;
}

export const isTriggerId = (v: unknown): v is TriggerId => typeof v === 'string' && (TRIGGER_IDS as readonly string[]).includes(v);
