/** SQLite migration 8 (issue 11): handoff outcomes. Owned by the outcomes work; filled in there. */
export const OUTCOMES_MIGRATION = `
  SELECT 1;
`;
