/** Postgres migration: the queue, events, reports, deliveries, feedback, bindings, leases, rate budgets (issue 10). Filled in by that work. */
export const CORE_MIGRATION = `
  SELECT 1;
`;
