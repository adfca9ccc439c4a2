/** Postgres migration: tenants kept in the store (issue 13). Filled in by that work. */
export const TENANTS_MIGRATION = `
  SELECT 1;
`;
