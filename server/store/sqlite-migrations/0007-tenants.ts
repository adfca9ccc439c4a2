/** SQLite migration 7 (issue 13): tenants kept in the store. Owned by the tenants work; filled in there. */
export const TENANTS_MIGRATION = `
  SELECT 1;
`;
