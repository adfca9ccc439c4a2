/** A minimal stored-shape HandoffEvent for store and pipeline tests; `over` replaces whole fields. */
import type { HandoffEvent } from '../../server/types/handoff-event.ts';

export function testEvent(tenantId: string, id: string, over: Partial<HandoffEvent> = {}): HandoffEvent {
  return {
    id: `generic:${id}`,
    tenantId,
    source: 'generic',
    receivedAt: '2026-11-20T10:35:00Z',
    trigger: { kind: 'customer_request', nativeType: 'customer_request' },
    conversation: { nativeId: 'conv_1' },
    customer: { email: 'a@example.com' },
    messages: [{ role: 'customer', text: 'hello' }],
    transcriptComplete: true,
    target: { helpdesk: 'zendesk' },
    raw: {},
    ...over,
  };
}
