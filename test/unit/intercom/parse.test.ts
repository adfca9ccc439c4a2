import { describe, expect, it } from 'vitest';
import { intercomEventId, parseIntercomWebhook } from '../../../server/bots/intercom/parse.ts';
import { finHandoff, intercomFixture, type Obj } from './fixtures.ts';

const off = { workflowHandoffs: false };
const on = { workflowHandoffs: true };

/** A conversation where nobody but the customer spoke, then a bot (Workflow) assigned it. */
function workflowAssignment(): Obj {
  const w = finHandoff();
  const item = w.data.item;
  item.ai_agent_participated = false;
  item.ai_agent = null;
  item.conversation_parts.conversation_parts = item.conversation_parts.conversation_parts.filter((p: Obj) => p.author.type !== 'bot' || p.part_type === 'assignment');
  const assignment = item.conversation_parts.conversation_parts.find((p: Obj) => p.part_type === 'assignment');
  assignment.author = { type: 'bot', id: '279', name: 'Operator' };
  return w;
}

describe('parseIntercomWebhook', () => {
  it('reads a Fin handoff: conversation, assignment part, via fin', () => {
    const r = parseIntercomWebhook(finHandoff(), off);
    expect(r).toMatchObject({ kind: 'handoff', conversationId: '215468352873095', assignmentPartId: '9004', via: 'fin', topic: 'conversation.admin.assigned' });
    if (r.kind !== 'handoff') throw new Error('not a handoff');
    expect(intercomEventId(r)).toBe('intercom:215468352873095:9004');
  });

  it('counts Fin by resolution state alone, and a bot that spoke before the assignment', () => {
    const byState = finHandoff();
    byState.data.item.ai_agent_participated = false;
    expect(parseIntercomWebhook(byState, off)).toMatchObject({ kind: 'handoff', via: 'fin' });
    byState.data.item.ai_agent.resolution_state = 'escalated';
    expect(parseIntercomWebhook(byState, off)).toMatchObject({ kind: 'handoff', via: 'fin' });

    const byParts = finHandoff();
    byParts.data.item.ai_agent_participated = false;
    byParts.data.item.ai_agent = null;
    for (const p of byParts.data.item.conversation_parts.conversation_parts) if (p.author.type === 'bot') p.author = { type: 'bot', id: '9', name: 'Custom bot' };
    expect(parseIntercomWebhook(byParts, off)).toMatchObject({ kind: 'handoff', via: 'bot' });
  });

  it('treats a Workflow assignment without bot conversation as a handoff only with workflowHandoffs', () => {
    const off1 = parseIntercomWebhook(workflowAssignment(), off);
    expect(off1.kind).toBe('ignored');
    expect(off1.kind === 'ignored' && off1.reason).toMatch(/workflowHandoffs/);
    expect(parseIntercomWebhook(workflowAssignment(), on)).toMatchObject({ kind: 'handoff', via: 'workflow' });
  });

  it('ignores an assignment without any bot, one made by a teammate, and an unassignment', () => {
    const human = workflowAssignment();
    const assignment = human.data.item.conversation_parts.conversation_parts.find((p: Obj) => p.part_type === 'assignment');
    assignment.author = { type: 'admin', id: '814860', name: 'Sam Agent' };
    const r = parseIntercomWebhook(human, on);
    expect(r).toMatchObject({ kind: 'ignored' });

    const reassigned = finHandoff();
    reassigned.data.item.conversation_parts.conversation_parts.push({ type: 'conversation_part', id: '9010', part_type: 'assignment', body: null, author: { type: 'admin', id: '814860' }, assigned_to: { type: 'admin', id: '814861' } });
    expect(parseIntercomWebhook(reassigned, on)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/re-assigned/) });

    const unassigned = finHandoff();
    unassigned.data.item.conversation_parts.conversation_parts[3].assigned_to = { type: 'nobody_admin', id: null };
    expect(parseIntercomWebhook(unassigned, on)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/unassigned/) });
  });

  it('accepts a Fin handover whose assignment part is authored by an admin, when no teammate had taken part', () => {
    const w = finHandoff();
    w.data.item.conversation_parts.conversation_parts[3].author = { type: 'admin', id: '991267715', name: 'Support inbox' };
    expect(parseIntercomWebhook(w, off)).toMatchObject({ kind: 'handoff', via: 'fin', assignmentPartId: '9004' });
    // …but not once a teammate has replied before it.
    w.data.item.conversation_parts.conversation_parts.splice(3, 0, { type: 'conversation_part', id: '9003b', part_type: 'comment', body: '<p>Hi, Sam here</p>', author: { type: 'admin', id: '814860' } });
    expect(parseIntercomWebhook(w, off)).toMatchObject({ kind: 'ignored' });
  });

  it('ignores other topics, the ping, and the legacy user.created example', () => {
    expect(parseIntercomWebhook(intercomFixture('webhook-conversation-user-created.legacy-v1.json'), on)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/conversation\.user\.created/),
    });
    expect(parseIntercomWebhook({ type: 'notification_event', topic: 'ping', data: { item: {} } }, on)).toMatchObject({ kind: 'ignored' });
    const replied = finHandoff();
    replied.topic = 'conversation.admin.replied';
    expect(parseIntercomWebhook(replied, on).kind).toBe('ignored');
  });

  it('names what is wrong with a malformed body', () => {
    expect(parseIntercomWebhook([], on)).toMatchObject({ kind: 'invalid' });
    expect(parseIntercomWebhook({ topic: 'conversation.admin.assigned' }, on)).toMatchObject({ kind: 'invalid', errors: [{ field: 'type' }] });
    expect(parseIntercomWebhook({ type: 'notification_event' }, on)).toMatchObject({ kind: 'invalid', errors: [{ field: 'topic' }] });
    const noItem = finHandoff();
    delete noItem.data.item;
    expect(parseIntercomWebhook(noItem, on)).toMatchObject({ kind: 'invalid', errors: [{ field: 'data.item' }] });
    const badId = finHandoff();
    badId.data.item.id = '../../admins';
    expect(parseIntercomWebhook(badId, on)).toMatchObject({ kind: 'invalid', errors: [{ field: 'data.item.id' }] });
    const noId = finHandoff();
    delete noId.data.item.id;
    expect(parseIntercomWebhook(noId, on)).toMatchObject({ kind: 'invalid', errors: [{ field: 'data.item.id' }] });
  });

  it('gives a redelivery and a second notification of the same assignment the same event id', () => {
    const first = parseIntercomWebhook(finHandoff(), off);
    const again = finHandoff();
    again.id = 'notif_other';
    again.delivery_attempts = 2;
    const second = parseIntercomWebhook(again, off);
    if (first.kind !== 'handoff' || second.kind !== 'handoff') throw new Error('not handoffs');
    expect(intercomEventId(second)).toBe(intercomEventId(first));
    const later = finHandoff();
    later.data.item.conversation_parts.conversation_parts[3].id = '9100';
    const third = parseIntercomWebhook(later, off);
    if (third.kind !== 'handoff') throw new Error('not a handoff');
    expect(intercomEventId(third)).not.toBe(intercomEventId(first));
  });

  it('falls back to the last assignment time, then the notification id, when the item has no assignment part', () => {
    const w = finHandoff();
    w.data.item.conversation_parts.conversation_parts = w.data.item.conversation_parts.conversation_parts.slice(0, 3);
    const a = parseIntercomWebhook(w, off);
    if (a.kind !== 'handoff') throw new Error('not a handoff');
    expect(intercomEventId(a)).toBe('intercom:215468352873095:nnotif_8b1f6a52-3c1e-4f5a-9a57-2a1c0e7d9f01');
    w.data.item.statistics = { last_assignment_at: 1734537181 };
    const b = parseIntercomWebhook(w, off);
    if (b.kind !== 'handoff') throw new Error('not a handoff');
    expect(intercomEventId(b)).toBe('intercom:215468352873095:at1734537181');
  });
});
