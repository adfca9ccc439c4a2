/**
 * HandoffEvents from Intercom: the partial one stored when the webhook arrives (`transcriptComplete: false`:
 * a webhook item carries only the latest parts), and the complete one the worker builds from
 * `GET /conversations/{id}` and `GET /contacts/{id}` before analysis. Pure.
 */
import type { HandoffEvent } from '../../types/handoff-event.ts';
import { cutTranscript } from '../../util/cut-transcript.ts';
import { INTERCOM } from '../../helpdesks/intercom/intercom-config.ts';
import { contactCustomer, conversationMessages, conversationTrigger, firstContact, idOf, isObj, str } from './normalize.ts';
import { intercomEventId, type IntercomWebhook } from './parse.ts';

type Handoff = Extract<IntercomWebhook, { kind: 'handoff' }>;

const isoAt = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? new Date(v * 1000).toISOString() : undefined);

function conversationFields(item: Record<string, unknown>, conversationId: string): HandoffEvent['conversation'] {
  const c: HandoffEvent['conversation'] = { nativeId: conversationId };
  const startedAt = isoAt(item.created_at);
  if (startedAt) c.startedAt = startedAt;
  const source = isObj(item.source) ? item.source : undefined;
  const channel = source ? str(source.type) : undefined;
  if (channel && channel !== 'conversation') c.channel = channel;
  else c.channel = 'intercom';
  const url = source ? str(source.url) : undefined;
  if (url && /^https?:\/\//i.test(url)) c.pageUrl = url;
  return c;
}

/** What the webhook itself says; the worker completes it. `receivedAt` is when Baton accepted the request. */
export function webhookHandoffEvent(w: Handoff, tenantId: string, receivedAt: string, region = 'us'): HandoffEvent {
  const { messages, cuts } = cutTranscript(conversationMessages(w.conversation, { ...(w.assignmentPartId ? { untilPartId: w.assignmentPartId } : {}), region }));
  const event: HandoffEvent = {
    id: intercomEventId(w),
    tenantId,
    source: 'intercom',
    receivedAt,
    trigger: conversationTrigger(w.conversation, w.topic),
    conversation: conversationFields(w.conversation, w.conversationId),
    customer: firstContact(w.conversation),
    messages,
    transcriptComplete: false,
    target: { helpdesk: INTERCOM, id: w.conversationId },
    raw: { notificationId: w.notificationId, topic: w.topic, via: w.via, assignmentPartId: w.assignmentPartId, item: w.conversation },
  };
  if (cuts) event.cuts = cuts;
  const requestedAt = w.assignmentPartId
    ? isoAt((w.conversation.conversation_parts as { conversation_parts?: Array<{ id?: unknown; created_at?: unknown }> } | undefined)?.conversation_parts?.find((p) => idOf(p.id) === w.assignmentPartId)?.created_at)
    : undefined;
  if (requestedAt) event.trigger.requestedAt = requestedAt;
  return event;
}

/** The assignment part the stored event was cut at (kept in `raw` by webhookHandoffEvent). */
export function assignmentPartOf(event: HandoffEvent): string | undefined {
  return isObj(event.raw) ? str(event.raw.assignmentPartId) : undefined;
}

/**
 * The stored event completed from the API: the full transcript up to the handing-over assignment, the
 * contact's name, email and custom attributes, Fin's reason. Identity, target and receipt time stay.
 */
export function completedHandoffEvent(event: HandoffEvent, conversation: unknown, contact: unknown, region = 'us'): HandoffEvent {
  if (!isObj(conversation)) throw new Error('Intercom answered no conversation object');
  const until = assignmentPartOf(event);
  const { messages, cuts } = cutTranscript(conversationMessages(conversation, { ...(until ? { untilPartId: until } : {}), region }));
  const trigger = { ...conversationTrigger(conversation, event.trigger.nativeType), ...(event.trigger.requestedAt ? { requestedAt: event.trigger.requestedAt } : {}) };
  const completed: HandoffEvent = {
    ...event,
    trigger,
    conversation: { ...event.conversation, ...conversationFields(conversation, event.conversation.nativeId) },
    customer: contactCustomer(contact, { ...event.customer, ...firstContact(conversation) }),
    // The webhook's partial transcript stays when the API has nothing more (e.g. every part redacted).
    messages: messages.length ? messages : event.messages,
    transcriptComplete: true,
  };
  if (messages.length) {
    if (cuts) completed.cuts = cuts;
    else delete completed.cuts;
  }
  return completed;
}
