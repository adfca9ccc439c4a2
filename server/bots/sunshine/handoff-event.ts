/**
 * HandoffEvents from Sunshine Conversations: the one stored when `switchboard:passControl` arrives (no
 * transcript: the webhook carries none, `transcriptComplete: false`), and the complete one the worker builds
 * from the conversation's messages and the customer's user record. Pure.
 *
 * The briefing goes to the Zendesk messaging ticket that Zendesk creates when the agent workspace takes
 * control: Baton cannot name it at receipt, so the target waits on `conversation:<id>` until Zendesk's "ticket
 * created" webhook binds the ticket (helpdesks/zendesk/ticket-created-webhook.ts), and gives up after
 * `ticketWaitMinutes`.
 */
import type { HandoffEvent, HandoffMessage, TriggerKind } from '../../types/handoff-event.ts';
import { cutTranscript } from '../../util/cut-transcript.ts';
import type { SunshineHandoff } from './parse.ts';
import { PASS_CONTROL } from './parse.ts';
import { customerDisplayName, customerUserId, isObj, str, sunshineCustomer, sunshineMessages } from './normalize.ts';
import type { SunshineSettings } from './settings.ts';

export const SUNSHINE_TARGET_HELPDESK = 'zendesk';

export const conversationAwaitKey = (conversationId: string): string => `conversation:${conversationId}`;

/** Keys a bot may put in passControl metadata to say why it handed over (unverified conventions, read if present). */
const REASON_KEYS = ['reason', 'handoffReason', 'handoff_reason', 'escalationReason'];

function triggerKind(reason: string | undefined): TriggerKind {
  if (!reason) return 'unknown';
  if (/human|agent|person/i.test(reason)) return 'customer_request';
  if (/fail|confus|unknown|fallback|no.?match/i.test(reason)) return 'bot_failure';
  return 'unknown';
}

export interface SunshineRaw {
  appId: string;
  mode: SunshineSettings['mode'];
  eventId: string;
  conversationId: string;
  active: SunshineHandoff['active'];
  metadata: SunshineHandoff['metadata'];
}

export function rawOf(event: HandoffEvent): SunshineRaw | undefined {
  const r = event.raw;
  return isObj(r) && typeof r.appId === 'string' && typeof r.conversationId === 'string' ? (r as unknown as SunshineRaw) : undefined;
}

export function webhookHandoffEvent(h: SunshineHandoff, appId: string, settings: Pick<SunshineSettings, 'mode' | 'ticketWaitMinutes'>, tenantId: string, receivedAt: string): HandoffEvent {
  const reason = REASON_KEYS.map((k) => h.metadata[k]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const requestedAt = h.createdAt ?? receivedAt;
  const awaitUntil = new Date(Date.parse(receivedAt) + settings.ticketWaitMinutes * 60_000).toISOString();
  return {
    id: `sunshine:${h.eventId}`,
    tenantId,
    source: 'sunshine',
    receivedAt,
    trigger: { kind: triggerKind(reason), nativeType: PASS_CONTROL, requestedAt, ...(reason ? { reason: reason.slice(0, 500) } : {}) },
    conversation: { nativeId: h.conversationId, channel: 'sunshine' },
    customer: {},
    messages: [],
    transcriptComplete: false,
    // Note mode has nothing to do before the ticket exists; relay passes control (after analysis) first.
    target: { helpdesk: SUNSHINE_TARGET_HELPDESK, awaitKey: conversationAwaitKey(h.conversationId), awaitUntil, ...(settings.mode === 'note' ? { awaitBeforeAnalysis: true } : {}) },
    raw: { appId, mode: settings.mode, eventId: h.eventId, conversationId: h.conversationId, active: h.active, metadata: h.metadata } satisfies SunshineRaw,
  };
}

/**
 * The stored event completed: the messages up to the passControl (oldest first), the customer from the user
 * record (name, email, external id), the locale. `messages` are the pages as fetched, oldest first.
 */
export function completedHandoffEvent(event: HandoffEvent, messages: readonly unknown[], user: unknown, channel?: string): HandoffEvent {
  const transcript: HandoffMessage[] = sunshineMessages(messages, { ...(event.trigger.requestedAt ? { until: event.trigger.requestedAt } : {}) });
  const { messages: kept, cuts } = cutTranscript(transcript);
  const customer = sunshineCustomer(user, event.customer, customerDisplayName(messages));
  const u = isObj(user) && isObj(user.user) ? user.user : undefined;
  const locale = u && isObj(u.profile) ? str(u.profile.locale) : undefined;
  const first = transcript[0]?.at;
  const completed: HandoffEvent = {
    ...event,
    conversation: { ...event.conversation, ...(channel ? { channel } : {}), ...(locale ? { locale } : {}), ...(first ? { startedAt: first } : {}) },
    customer,
    messages: kept.length ? kept : [{ role: 'system', text: 'The conversation had no messages before the handoff.' }],
    transcriptComplete: true,
  };
  // Relay mode starts the ticket's transcript at the conversation's first message (passControl `first_message_id`).
  const firstId = messages.length && isObj(messages[0]) ? str(messages[0].id) : undefined;
  if (firstId && isObj(event.raw)) completed.raw = { ...event.raw, firstMessageId: firstId };
  if (cuts) completed.cuts = cuts;
  return completed;
}

export { customerUserId };
