/**
 * Puts a finished handoff (event + report) into a Store the way the pipeline does, without analysis or a
 * helpdesk write: accept -> complete. Backs the preview's sample button, the e2e/route tests and the bench.
 */
import type { Store } from '../store/store.ts';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HandoffReport } from '../types/handoff-report.ts';
import type { HelpdeskRef } from '../helpdesks/helpdesk-module.ts';

let seq = 0;

export async function storeFinishedHandoff(store: Store, tenantId: string, ref: HelpdeskRef, report: HandoffReport, outcome = 'seeded'): Promise<string> {
  seq += 1;
  const event: HandoffEvent = {
    id: `generic:${outcome}-${ref.id}-${Date.now()}-${seq}`,
    tenantId,
    source: 'generic',
    receivedAt: new Date().toISOString(),
    trigger: { kind: 'customer_request', nativeType: outcome, reason: 'sample handoff' },
    conversation: { nativeId: `${outcome}-${ref.id}-${seq}` },
    customer: { name: report.context.customerName ?? 'Customer', ...(report.context.customerEmail ? { email: report.context.customerEmail } : {}) },
    messages: report.transcript.map((l) => ({ role: l.role, text: l.text, ...(l.at ? { at: l.at } : {}) })),
    transcriptComplete: true,
    target: { helpdesk: ref.helpdesk, id: ref.id },
    raw: {},
  };
  const { handoffId } = await store.accept(event);
  // On SQLite the complete follows in the same microtask run, before any worker timer can claim the job; on
  // Postgres another replica may claim it first and write the sample itself (seeding is a sandbox-mode aid).
  await store.complete({ handoffId, tenantId, ref, outcome }, { ...report, eventId: event.id });
  return handoffId;
}
