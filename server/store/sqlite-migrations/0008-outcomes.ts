/**
 * SQLite migration 8 (issue 11): handoff outcomes — the same tables as Postgres migration 3
 * (server/outcomes/outcomes-schema.ts) — an index on reports' creation time, which the outcome sync
 * (server/outcomes/sync-reports.ts) reads new reports by, and one on feedback's handoff (Postgres's core has it).
 */
import { OUTCOMES_SQL } from '../../outcomes/outcomes-schema.ts';

export const OUTCOMES_MIGRATION = `${OUTCOMES_SQL}
  CREATE INDEX reports_created ON reports (created_at);
  CREATE INDEX feedback_handoff ON feedback (handoff_id);
`;
