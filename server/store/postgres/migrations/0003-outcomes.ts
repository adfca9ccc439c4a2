/** Postgres migration: handoff outcomes (issue 11). Filled in by that work. */
export const OUTCOMES_MIGRATION = `
  SELECT 1;
`;
