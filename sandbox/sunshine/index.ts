/** The Sunshine Conversations sandbox: a local fake of the Sunshine Conversations API v2 for sandbox mode and tests. */
export { createSunshineSandbox, DEFAULT_SUNSHINE_KEY, DEFAULT_SUNSHINE_SPEC_PATH } from './create-sunshine-sandbox.ts';
export { startSunshineSandbox } from './start-sunshine-sandbox.ts';
export { SEED_APP_ID, SEED_CONVERSATION_ID, SEED_CONVERSATIONS } from './seed-conversations.ts';
export { AGENT_WORKSPACE_TYPE } from './conversation-store.ts';
export { PAGE_SIZE } from './operation-handlers.ts';
export type * from './types.ts';
export { createMessagingBridge, signTicketCreated, type MessagingBridge, type MessagingBridgeOptions } from './messaging-bridge.ts';
