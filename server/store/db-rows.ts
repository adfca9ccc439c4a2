/**
 * The jobs and reports rows as both stores read them (same column names in SQLite and Postgres), and their
 * mapping to the Store's shapes. `id` decodes a stored identifier (Postgres escapes U+0000, see postgres/pg-text.ts).
 */
import type { HandoffReport } from '../types/handoff-report.ts';
import type { JobRow, JobState, StoredReport } from './store.ts';

export interface JobDbRow {
  handoff_id: string;
  tenant_id: string;
  event_id: string;
  state: JobState;
  attempts: number;
  run_after: number;
  last_error: string | null;
  updated_at: number;
}

export interface ReportDbRow {
  handoff_id: string;
  tenant_id: string;
  helpdesk: string | null;
  ref_id: string | null;
  report_json: string;
  created_at: number;
}

const same = (v: string): string => v;

export function toJobRow(r: JobDbRow, id: (v: string) => string = same): JobRow {
  return {
    handoffId: r.handoff_id,
    tenantId: r.tenant_id,
    eventId: id(r.event_id),
    state: r.state,
    attempts: r.attempts,
    runAfter: r.run_after,
    lastError: r.last_error,
    updatedAt: r.updated_at,
  };
}

export function toStoredReport(r: ReportDbRow, id: (v: string) => string = same): StoredReport {
  return {
    handoffId: r.handoff_id,
    tenantId: r.tenant_id,
    ref: r.helpdesk !== null && r.ref_id !== null ? { helpdesk: r.helpdesk, id: id(r.ref_id) } : null,
    report: JSON.parse(r.report_json) as HandoffReport,
    createdAt: r.created_at,
  };
}
