/**
 * Generic handoff event v1 (schemas/generic-handoff-v1.schema.json) -> HandoffEvent.
 * Pure: the HTTP layer validates the body first; the CLI reuses this for `baton analyze`.
 */
import type { HandoffEvent, HandoffMessage, TriggerKind } from '../../types/handoff-event.ts';

export interface GenericHandoffV1 {
  id: string;
  conversation: { id: string; channel?: string; locale?: string; pageUrl?: string; startedAt?: string };
  customer?: { id?: string; email?: string; name?: string; tier?: string; attributes?: Record<string, string | number | boolean | null> };
  messages: Array<{
    role: HandoffMessage['role'];
    text: string;
    at?: string;
    bot?: { intent?: string; confidence?: number; articles?: Array<{ title?: string; url: string }>; actions?: string[] };
  }>;
  handoff?: { reason?: string; botName?: string; requestedAt?: string };
  ticket?: { id: number };
}

const REASON_KINDS: Record<string, TriggerKind> = {
  customer_request: 'customer_request',
  human_requested: 'customer_request',
  agent_requested: 'customer_request',
  bot_failure: 'bot_failure',
  fallback: 'bot_failure',
  low_confidence: 'bot_failure',
  no_match: 'bot_failure',
  policy: 'policy',
  sensitive_topic: 'policy',
  agent_transfer: 'agent_transfer',
};

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function normalizeGenericHandoff(body: GenericHandoffV1, tenantId: string, receivedAt: string): HandoffEvent {
  const reason = body.handoff?.reason;
  return {
    id: `generic:${body.id}`,
    tenantId,
    source: 'generic',
    receivedAt,
    trigger: definedOnly({
      kind: (reason && REASON_KINDS[reason.toLowerCase()]) || 'unknown',
      nativeType: reason ?? 'handoff',
      reason,
      botName: body.handoff?.botName,
      requestedAt: body.handoff?.requestedAt,
    }),
    conversation: definedOnly({
      nativeId: body.conversation.id,
      channel: body.conversation.channel,
      locale: body.conversation.locale,
      pageUrl: body.conversation.pageUrl,
      startedAt: body.conversation.startedAt,
    }),
    customer: definedOnly({ ...(body.customer ?? {}) }),
    messages: body.messages.map((m) => definedOnly({ role: m.role, text: m.text, at: m.at, bot: m.bot })),
    transcriptComplete: true,
    target: definedOnly({ helpdesk: 'zendesk' as const, ticketId: body.ticket?.id }),
    raw: body,
  };
}
