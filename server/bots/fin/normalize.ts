/**
 * A relayed Fin escalation → HandoffEvent. Pure. `history` authors: `user` is the customer, `fin` (and `bot`,
 * `ai`, `assistant`) the bot, `agent` / `teammate` / `admin` a person (the /fin/start example's `agent` turn is
 * read literally as a person: which side it means is not documented). Fin's documented escalation reasons map
 * to the trigger: "Escalation requested by user" → customer request, "Escalation rule…" → policy, "Routed to
 * team" → transfer, "Conversation finished without resolution" → bot failure. Dedupe id:
 * `fin:<conversation_id>:<created_at_ms>`.
 */
import type { HandoffEvent, HandoffMessage, MessageRole, TriggerKind } from '../../types/handoff-event.ts';
import { cutTranscript } from '../../util/cut-transcript.ts';
import { triggerKindFromReason } from '../generic/normalize.ts';
import type { FieldProblem } from '../bot-adapter.ts';
import { callerFields, customerFrom, isObj, str, targetFrom } from '../caller-fields.ts';
import type { FinEscalation } from './parse.ts';

const AUTHORS: Readonly<Record<string, MessageRole>> = { user: 'customer', customer: 'customer', fin: 'bot', bot: 'bot', ai: 'bot', assistant: 'bot', agent: 'agent', teammate: 'agent', admin: 'agent', human: 'agent' };

function kindOf(reason: string | undefined): TriggerKind {
  const r = (reason ?? '').toLowerCase();
  if (r.startsWith('escalation requested by user')) return 'customer_request';
  if (r.startsWith('escalation rule')) return 'policy';
  if (r.startsWith('routed to team')) return 'agent_transfer';
  if (r.startsWith('conversation finished without resolution')) return 'bot_failure';
  return triggerKindFromReason(reason);
}

const isoOf = (v: unknown): string | undefined => {
  const s = str(v);
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
};

export function normalizeFinEscalation(f: FinEscalation, opts: { tenantId: string; receivedAt: string; defaultHelpdesk: string | undefined }): { event: HandoffEvent } | { errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const caller = callerFields(f.baton, 'baton', errors);
  const user = customerFrom(f.user, 'user', errors);
  if (errors.length) return { errors };
  const messages: HandoffMessage[] = [];
  for (const m of f.history) {
    const author = (str(m.author) ?? 'user').toLowerCase();
    const role = Object.hasOwn(AUTHORS, author) ? (AUTHORS[author] as MessageRole) : 'customer';
    const text = str(m.body);
    if (!text) continue;
    const at = isoOf(m.timestamp);
    messages.push({ role, text, ...(at ? { at } : {}) });
  }
  const { messages: kept, cuts } = cutTranscript(caller.messages?.length ? caller.messages : messages);
  const reason = caller.reason ?? f.reason;
  const customer = { ...user, ...caller.customer };
  if (!customer.id && f.userId) customer.id = f.userId;
  const event: HandoffEvent = {
    id: `fin:${f.conversationId}:${f.createdAt}`,
    tenantId: opts.tenantId,
    source: 'fin',
    receivedAt: opts.receivedAt,
    trigger: { kind: kindOf(reason), nativeType: 'fin_status_updated:escalated', botName: caller.botName ?? 'Fin' },
    conversation: { nativeId: f.conversationId, channel: caller.channel ?? 'fin-agent-api' },
    customer,
    messages: kept,
    transcriptComplete: true,
    target: targetFrom(caller, opts.defaultHelpdesk),
    raw: { conversation_id: f.conversationId, user_id: f.userId, reason: f.reason, created_at_ms: f.createdAt, history: f.history, user: isObj(f.user) ? f.user : undefined, baton: f.baton },
  };
  if (cuts) event.cuts = cuts;
  if (reason) event.trigger.reason = reason;
  const requestedAt = isoOf(f.createdAt);
  if (requestedAt) event.trigger.requestedAt = requestedAt;
  const startedAt = kept.find((m) => m.at)?.at;
  if (startedAt) event.conversation.startedAt = startedAt;
  if (caller.locale) event.conversation.locale = caller.locale;
  if (caller.pageUrl) event.conversation.pageUrl = caller.pageUrl;
  return { event };
}
