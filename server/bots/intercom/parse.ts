/**
 * An Intercom webhook (`notification_event`, https://developers.intercom.com/docs/references/webhooks/webhook-models)
 * → a handoff, an ignored topic, or a list of what is wrong with the body. Pure.
 *
 * A handoff is `conversation.admin.assigned` (the conversation was assigned to a teammate or team inbox) after
 * Fin or a bot took part: `ai_agent_participated`, Fin's `ai_agent.resolution_state` saying it passed the
 * conversation on, or bot-authored messages before the assignment. An assignment made by a Workflow bot with no
 * bot conversation before it counts only when the tenant turns `workflowHandoffs` on. Everything else (other
 * topics, `ping`, a teammate re-assigning after people took over, an unassignment) is acknowledged and ignored.
 */
import type { FieldError } from '../generic/schema.ts';
import { idOf, isObj, partsOf, roleOf, str } from './normalize.ts';

export const HANDOFF_TOPIC = 'conversation.admin.assigned';

/** Fin's resolution states that mean it passed the conversation to people (2.16 enum; `routed_to_team` in older payloads). */
const FIN_HANDED_OVER = new Set(['routed_to_team', 'escalated', 'procedure_handoff', 'negative_feedback']);

export type HandoffVia = 'fin' | 'bot' | 'workflow';

export type IntercomWebhook =
  | {
      kind: 'handoff';
      notificationId?: string;
      conversationId: string;
      /** The assignment part that handed over, when the item carries it (the dedupe key uses it). */
      assignmentPartId?: string;
      via: HandoffVia;
      conversation: Record<string, unknown>;
      topic: string;
    }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; errors: FieldError[] };

const isAssignment = (partType: string | undefined): boolean => partType !== undefined && partType.includes('assign');

export function parseIntercomWebhook(body: unknown, opts: { workflowHandoffs: boolean }): IntercomWebhook {
  if (!isObj(body)) return { kind: 'invalid', errors: [{ field: '(body)', problem: 'must be a JSON object (an Intercom notification_event)' }] };
  const errors: FieldError[] = [];
  if (body.type !== 'notification_event') errors.push({ field: 'type', problem: 'must be "notification_event"' });
  const topic = str(body.topic);
  if (!topic) errors.push({ field: 'topic', problem: 'must be a non-empty string' });
  if (errors.length) return { kind: 'invalid', errors };
  if (topic !== HANDOFF_TOPIC) return { kind: 'ignored', reason: `topic ${topic} is not a handoff (Baton acts on ${HANDOFF_TOPIC})` };

  const data = isObj(body.data) ? body.data : undefined;
  const item = data && isObj(data.item) ? data.item : undefined;
  if (!item) return { kind: 'invalid', errors: [{ field: 'data.item', problem: 'must be the conversation object' }] };
  if (item.type !== undefined && item.type !== 'conversation') errors.push({ field: 'data.item.type', problem: 'must be "conversation"' });
  const conversationId = idOf(item.id);
  if (!conversationId) errors.push({ field: 'data.item.id', problem: 'must be the conversation id' });
  else if (!/^[0-9]{1,32}$/.test(conversationId)) errors.push({ field: 'data.item.id', problem: 'must be a numeric Intercom conversation id' });
  if (item.conversation_parts !== undefined && !isObj(item.conversation_parts)) errors.push({ field: 'data.item.conversation_parts', problem: 'must be an object' });
  if (errors.length || !conversationId) return { kind: 'invalid', errors };

  const parts = partsOf(item);
  let assignIndex = -1;
  for (let i = parts.length - 1; i >= 0; i--) if (isAssignment(str(parts[i]?.part_type))) { assignIndex = i; break; }
  const assignment = assignIndex >= 0 ? parts[assignIndex] : undefined;
  if (assignment && isObj(assignment.assigned_to) && assignment.assigned_to.type === 'nobody_admin') {
    return { kind: 'ignored', reason: 'the conversation was unassigned, not handed to a teammate' };
  }

  // A teammate passing the conversation on after people took over is not a bot handoff (and would brief the
  // conversation a second time). Whether Intercom authors Fin's or a Workflow's handover assignment as a bot or
  // "on behalf of" an admin is not documented, so an admin-authored assignment is only set aside when a
  // teammate already wrote, or the conversation was already assigned, before it.
  if (assignment && roleOf(assignment.author) === 'agent') {
    const earlier = parts.slice(0, assignIndex);
    const peopleTookOver = earlier.some((p) => isAssignment(str(p.part_type)) || (roleOf(p.author) === 'agent' && str(p.body) !== undefined && !String(p.part_type ?? '').includes('note')));
    if (peopleTookOver) return { kind: 'ignored', reason: 'a teammate re-assigned the conversation after it was handed over: not a new bot handoff' };
  }
  const ai = isObj(item.ai_agent) ? item.ai_agent : undefined;
  const finState = ai ? str(ai.resolution_state) : undefined;
  const before = assignIndex >= 0 ? parts.slice(0, assignIndex) : parts;
  const botSpoke =
    before.some((p) => roleOf(p.author) === 'bot' && str(p.body) !== undefined && !String(p.part_type ?? '').includes('note')) ||
    (isObj(item.source) && roleOf(item.source.author) === 'bot' && str(item.source.body) !== undefined);
  const botAssigned = assignment !== undefined && roleOf(assignment.author) === 'bot';

  let via: HandoffVia | undefined;
  if (item.ai_agent_participated === true || (finState !== undefined && FIN_HANDED_OVER.has(finState))) via = 'fin';
  else if (botSpoke) via = 'bot';
  else if (botAssigned && opts.workflowHandoffs) via = 'workflow';
  if (!via) {
    return {
      kind: 'ignored',
      reason: botAssigned
        ? 'assigned by a Workflow without Fin or bot conversation (turn on "workflowHandoffs" to treat these as handoffs)'
        : 'assigned without Fin or a bot taking part: not a bot handoff',
    };
  }
  const result: IntercomWebhook = { kind: 'handoff', conversationId, via, conversation: item, topic };
  const notificationId = str(body.id);
  if (notificationId) result.notificationId = notificationId;
  const partId = assignment ? idOf(assignment.id) : undefined;
  if (partId) result.assignmentPartId = partId;
  return result;
}

/**
 * The dedupe key: one handoff per assignment, however often Intercom delivers it (a redelivery has the same
 * notification id; a second notification for the same assignment has the same part id). Without an assignment
 * part in the item, the last assignment time, then the notification id, stand in.
 */
export function intercomEventId(w: Extract<IntercomWebhook, { kind: 'handoff' }>): string {
  if (w.assignmentPartId) return `intercom:${w.conversationId}:${w.assignmentPartId}`;
  const stats = isObj(w.conversation.statistics) ? w.conversation.statistics : undefined;
  const at = stats && typeof stats.last_assignment_at === 'number' ? stats.last_assignment_at : undefined;
  if (at !== undefined) return `intercom:${w.conversationId}:at${at}`;
  return `intercom:${w.conversationId}:n${w.notificationId ?? 'unknown'}`;
}
