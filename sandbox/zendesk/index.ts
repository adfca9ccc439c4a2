/** The Zendesk sandbox: a local fake of the Zendesk Support API for demo mode and tests. */
export { createZendeskSandbox, DEFAULT_SANDBOX_CREDENTIALS, DEFAULT_RATE_LIMIT_PER_MINUTE, isAuthorized, matchRoute } from './create-zendesk-sandbox.ts';
export { startZendeskSandbox, type StartZendeskSandboxOptions } from './start-zendesk-sandbox.ts';
export { DEFAULT_ZENDESK_SPEC_PATH, loadZendeskSpecValidator, requireZendeskSpecValidator, resolveZendeskSpecPath, ZendeskSpecUnavailableError, type ZendeskSpecValidator } from './spec-validator.ts';
export { SEED_TICKETS, FIRST_CREATED_TICKET_ID } from './seed-tickets.ts';
export { installedTicketFields, systemTicketFields, type SandboxTicketField } from './ticket-fields.ts';
export { IDEMPOTENCY_TTL_MS } from './idempotency-store.ts';
export type * from './types.ts';
export { createSandboxAppKeys, signZafToken, zafAudience, type SandboxAppKeys } from './app-keys.ts';
