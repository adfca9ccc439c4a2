/**
 * A Fin Agent API `fin_status_updated` event (developers.intercom.com, Fin Agent API, "Fin Agent Status Updated
 * Event": `event_name`, `conversation_id`, `user_id`, `status` escalated | resolved | complete |
 * awaiting_user_reply, `reason` when escalated, `created_at_ms`), relayed with the conversation the relay holds:
 * `history` in the shape of `/fin/start`'s `conversation_metadata.history` (`{author, body, timestamp}`), the
 * `user` object it passed to `/fin/start` (`{id, name, email, attributes}`), and optionally `baton` (generic
 * fields: ticket, customer, reason; ../caller-fields.ts). Only `status: "escalated"` is a handoff. Pure.
 */
import type { FieldProblem } from '../bot-adapter.ts';
import { isObj, str } from '../caller-fields.ts';

type Obj = Record<string, unknown>;

export interface FinEscalation {
  conversationId: string;
  userId?: string;
  reason?: string;
  createdAt: string;
  history: Obj[];
  user: Obj;
  baton: unknown;
}

export type FinParse = { kind: 'handoff'; escalation: FinEscalation } | { kind: 'ignored'; reason: string } | { kind: 'invalid'; errors: FieldProblem[] };

const MAX_ID = 500;

export function parseFinEvent(body: unknown): FinParse {
  if (!isObj(body)) return { kind: 'invalid', errors: [{ field: '(body)', problem: 'must be a JSON object (a fin_status_updated event)' }] };
  const errors: FieldProblem[] = [];
  const name = str(body.event_name);
  if (!name) errors.push({ field: 'event_name', problem: 'must be the Fin event name, e.g. "fin_status_updated"' });
  else if (name !== 'fin_status_updated') return { kind: 'ignored', reason: `event ${name.slice(0, 100)} is not fin_status_updated` };
  const status = str(body.status);
  if (!status) errors.push({ field: 'status', problem: 'must be Fin\'s status, e.g. "escalated"' });
  const conversationId = str(body.conversation_id);
  if (!conversationId || conversationId.length > MAX_ID) errors.push({ field: 'conversation_id', problem: `must be a non-empty string of at most ${MAX_ID} characters` });
  const createdAt = str(body.created_at_ms);
  if (!createdAt || !Number.isFinite(Date.parse(createdAt))) errors.push({ field: 'created_at_ms', problem: 'must be the event time (ISO 8601 with milliseconds)' });
  if (body.history !== undefined && !Array.isArray(body.history)) errors.push({ field: 'history', problem: 'must be a list of {author, body, timestamp} messages' });
  if (Array.isArray(body.history))
    body.history.forEach((m, i) => {
      if (!isObj(m) || typeof m.body !== 'string') errors.push({ field: `history[${i}]`, problem: 'must be {author, body, timestamp?} with a string body' });
    });
  if (body.user !== undefined && !isObj(body.user)) errors.push({ field: 'user', problem: 'must be an object' });
  if (errors.length || !status || !conversationId || !createdAt) return { kind: 'invalid', errors };
  if (status !== 'escalated') return { kind: 'ignored', reason: `Fin status "${status.slice(0, 50)}" is not an escalation` };
  const escalation: FinEscalation = { conversationId, createdAt, history: (body.history as Obj[] | undefined) ?? [], user: isObj(body.user) ? body.user : {}, baton: body.baton };
  const userId = str(body.user_id);
  if (userId) escalation.userId = userId;
  const reason = str(body.reason);
  if (reason) escalation.reason = reason;
  return { kind: 'handoff', escalation };
}
