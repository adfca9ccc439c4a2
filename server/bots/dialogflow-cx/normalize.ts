/**
 * A parsed CX handoff request → HandoffEvent. Pure. The transcript is what the caller supplied (the session
 * parameter named by `transcriptParameter`, default `baton_transcript`, or `payload.messages`), then this turn:
 * the end user's query and the responses generated so far, which carry the matched intent and its confidence.
 * Identity and target come from `payload` (generic field names, see ../caller-fields.ts) or the session
 * parameters `baton_customer`, `baton_ticket_id`, `baton_reason`; other scalar session and form parameters
 * become customer attributes the briefing shows. Dedupe id: `dialogflow:<detectIntentResponseId>`.
 */
import type { HandoffEvent, HandoffMessage } from '../../types/handoff-event.ts';
import { cutTranscript } from '../../util/cut-transcript.ts';
import { triggerKindFromReason } from '../generic/normalize.ts';
import type { FieldProblem } from '../bot-adapter.ts';
import { callerFields, isObj, scalarAttributes, str, targetFrom, transcriptFrom } from '../caller-fields.ts';
import type { CxRequest } from './parse.ts';

type Obj = Record<string, unknown>;

/** Session parameters Baton reads itself (never shown as attributes). */
const BATON_PARAMS = new Set(['baton_customer', 'baton_ticket_id', 'baton_reason', 'baton_handoff_id']);

/** A person asked for: the intent that matched says so (e.g. `live_agent_handoff`, "Talk to a human"). */
const ASKS_FOR_PERSON = /(human|agent|person|representative|operator|live[ _-]?chat|escalat)/i;

/** Scalars, and one level of objects with scalar values (`bill_amount.amount`). */
function flatAttributes(params: Obj, skip: ReadonlySet<string>): Record<string, string | number | boolean | null> {
  const out = scalarAttributes(params, skip);
  for (const [k, v] of Object.entries(params)) {
    if (skip.has(k) || !isObj(v)) continue;
    for (const [k2, v2] of Object.entries(scalarAttributes(v))) out[`${k}.${k2}`] = v2;
  }
  return out;
}

export function normalizeCxHandoff(r: CxRequest, opts: { tenantId: string; receivedAt: string; transcriptParameter: string; defaultHelpdesk: string | undefined }): { event: HandoffEvent } | { errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const p = r.parameters;
  // Session parameters first, then the caller's payload over them.
  const fromParams = callerFields(
    {
      ...(p.baton_customer !== undefined ? { customer: p.baton_customer } : {}),
      ...(p.baton_ticket_id !== undefined && p.baton_ticket_id !== null ? { ticket: { id: typeof p.baton_ticket_id === 'number' ? p.baton_ticket_id : String(p.baton_ticket_id) } } : {}),
      ...(str(p.baton_reason) ? { handoff: { reason: p.baton_reason } } : {}),
    },
    'sessionInfo.parameters',
    errors,
  );
  const fromPayload = callerFields(r.payload, 'payload', errors);
  const supplied = transcriptFrom(p[opts.transcriptParameter], `sessionInfo.parameters.${opts.transcriptParameter}`, errors) ?? fromPayload.messages ?? [];
  if (errors.length) return { errors };

  const messages: HandoffMessage[] = [...supplied];
  const lastCustomer = [...messages].reverse().find((m) => m.role === 'customer');
  if (r.query && lastCustomer?.text.trim() !== r.query.trim()) messages.push({ role: 'customer', text: r.query });
  const botInfo: NonNullable<HandoffMessage['bot']> = {};
  const intentName = r.intent?.displayName ?? r.intent?.name;
  if (intentName) botInfo.intent = intentName;
  if (r.intent?.confidence !== undefined) botInfo.confidence = r.intent.confidence;
  for (const text of r.responses) messages.push({ role: 'bot', text, ...(Object.keys(botInfo).length ? { bot: { ...botInfo } } : {}) });
  const { messages: kept, cuts } = cutTranscript(messages);

  const reason = fromPayload.reason ?? fromParams.reason ?? (r.triggerEvent?.startsWith('sys.no-match') ? 'no_match' : r.triggerEvent?.startsWith('sys.no-input') ? 'no_input' : undefined);
  let kind = triggerKindFromReason(reason);
  if (kind === 'unknown' && intentName && ASKS_FOR_PERSON.test(intentName)) kind = 'customer_request';
  const customer = { ...fromParams.customer, ...fromPayload.customer };
  const attributes = { ...flatAttributes(r.formParameters, BATON_PARAMS), ...flatAttributes(p, new Set([...BATON_PARAMS, opts.transcriptParameter])), ...customer.attributes };
  if (Object.keys(attributes).length) customer.attributes = attributes;

  const event: HandoffEvent = {
    id: `dialogflow:${r.responseId}`,
    tenantId: opts.tenantId,
    source: 'dialogflow',
    receivedAt: opts.receivedAt,
    trigger: { kind, nativeType: `fulfillmentInfo.tag:${r.tag}` },
    conversation: { nativeId: r.sessionId, channel: fromPayload.channel ?? 'dialogflow-cx' },
    customer,
    messages: kept,
    transcriptComplete: true,
    target: targetFrom(Object.keys(fromPayload.targets).some((k) => k === 'ticket' || k === 'intercom') ? fromPayload : fromParams, opts.defaultHelpdesk),
    raw: r,
  };
  if (cuts) event.cuts = cuts;
  if (reason) event.trigger.reason = reason;
  else if (intentName) event.trigger.reason = intentName;
  if (fromPayload.botName) event.trigger.botName = fromPayload.botName;
  const locale = fromPayload.locale ?? r.languageCode;
  if (locale) event.conversation.locale = locale;
  if (fromPayload.pageUrl) event.conversation.pageUrl = fromPayload.pageUrl;
  return { event };
}
