/**
 * Puts a finished handoff (event + report) into a Store the way the pipeline does, without running
 * the analysis: accept → claim → complete. Used by the sidebar route tests, the e2e tests and the bench.
 */
import type { Store } from '../../server/store/store.ts';
import type { HandoffEvent } from '../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../server/types/handoff-report.ts';

let seq = 0;

export function seedHandoff(store: Store, tenantId: string, ticketId: number, report: HandoffReport): string {
  seq += 1;
  const event: HandoffEvent = {
    id: `generic:seed-${process.pid}-${Date.now()}-${seq}`,
    tenantId,
    source: 'generic',
    receivedAt: new Date().toISOString(),
    trigger: { kind: 'customer_request', nativeType: 'handoff', reason: 'customer asked for a human' },
    conversation: { nativeId: `conv-${seq}` },
    customer: { name: report.context.customerName ?? 'Customer' },
    messages: report.transcript.map((l) => ({ role: l.role, text: l.text, ...(l.at ? { at: l.at } : {}) })),
    transcriptComplete: true,
    target: { helpdesk: 'zendesk', ticketId },
    raw: {},
  };
  const { handoffId } = store.accept(event);
  // accept + complete run synchronously back to back, so a worker in this process cannot claim the job
  // in between; complete() marks the job done.
  store.complete({ handoffId, tenantId, helpdesk: 'zendesk', ticketId, outcome: 'seeded' }, { ...report, eventId: event.id });
  return handoffId;
}
