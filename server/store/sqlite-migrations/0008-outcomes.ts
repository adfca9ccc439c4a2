/** SQLite migration 8 (issue 11): handoff outcomes; the same SQL as Postgres migration 3 (server/outcomes/outcomes-schema.ts). */
import { OUTCOMES_SQL } from '../../outcomes/outcomes-schema.ts';

export const OUTCOMES_MIGRATION = OUTCOMES_SQL;
