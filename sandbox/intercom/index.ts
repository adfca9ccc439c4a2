/** The Intercom sandbox: a local fake of the Intercom REST API for sandbox mode and tests. */
export { createIntercomSandbox, DEFAULT_INTERCOM_RATE_LIMIT, DEFAULT_INTERCOM_SPEC_PATH, DEFAULT_INTERCOM_TOKEN, resolveIntercomSpecPath } from './create-intercom-sandbox.ts';
export { startIntercomSandbox, type StartIntercomSandboxOptions } from './start-intercom-sandbox.ts';
export { SEED_CONVERSATIONS, SEED_CONVERSATION_ID, SUPPORT_TEAM_ID } from './seed-conversations.ts';
export { SANDBOX_ADMIN, SANDBOX_FIN } from './conversation-store.ts';
export { SpecUnavailableError } from '../kit/openapi-spec.ts';
export type * from './types.ts';
