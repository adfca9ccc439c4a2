/**
 * Postgres migrations, applied in order at start-up in one transaction under an advisory lock (see the
 * Postgres store). Each entry is one version; never edit a shipped one, add the next.
 */
import { CORE_MIGRATION } from './0001-core.ts';
import { TENANTS_MIGRATION } from './0002-tenants.ts';
import { OUTCOMES_MIGRATION } from './0003-outcomes.ts';

export const POSTGRES_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'core', sql: CORE_MIGRATION },
  { version: 2, name: 'tenants', sql: TENANTS_MIGRATION },
  { version: 3, name: 'outcomes', sql: OUTCOMES_MIGRATION },
];
