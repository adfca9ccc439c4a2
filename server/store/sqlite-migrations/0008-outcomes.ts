/**
 * SQLite migration 8 (issue 11): handoff outcomes — the same tables as Postgres migration 3
 * (server/outcomes/outcomes-schema.ts) — and an index on reports' creation time, which the outcome sync
 * (server/outcomes/sync-reports.ts) reads new reports by.
 */
import { OUTCOMES_SQL } from '../../outcomes/outcomes-schema.ts';

export const OUTCOMES_MIGRATION = `${OUTCOMES_SQL}
  CREATE INDEX reports_created ON reports (created_at);
`;
