/** Seeds a finished handoff on a Zendesk ticket for the sidebar tests; the same function backs the preview's sample button. */
import { storeFinishedHandoff } from '../../server/http/store-finished-handoff.ts';
import type { Store } from '../../server/store/store.ts';
import type { HandoffReport } from '../../server/types/handoff-report.ts';

export function seedHandoff(store: Store, tenantId: string, ticketId: number, report: HandoffReport, outcome?: string): Promise<string> {
  return storeFinishedHandoff(store, tenantId, { helpdesk: 'zendesk', id: String(ticketId) }, report, outcome);
}
