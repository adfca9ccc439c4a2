/** The Sunshine Conversations sandbox's state and options (sandbox/sunshine/create-sunshine-sandbox.ts). */
import type { Router } from 'express';
import type { KitCall, SandboxScript } from '../kit/types.ts';

export interface SunshineAuthor {
  type: 'user' | 'business';
  subtypes?: Array<'AI' | 'activity' | 'agent' | 'bot'>;
  userId?: string;
  displayName?: string;
}

export interface SunshineMessage {
  id: string;
  received: string;
  author: SunshineAuthor;
  content: { type: 'text'; text: string; actions?: Array<{ type: 'link'; text: string; uri: string }> };
  source: { type: string };
}

export interface SwitchboardIntegration {
  id: string;
  name: string;
  integrationId: string;
  integrationType: string;
}

export interface SunshineUser {
  id: string;
  externalId?: string;
  zendeskId?: string;
  profile: { givenName?: string; surname?: string; email?: string; locale?: string };
}

/** One passControl the sandbox accepted: who took control, with which metadata. */
export interface PassRecord {
  at: number;
  to: SwitchboardIntegration;
  metadata: Record<string, string | number | boolean>;
}

export interface SunshineConversation {
  id: string;
  appId: string;
  userId: string;
  messages: SunshineMessage[];
  active: SwitchboardIntegration;
  passes: PassRecord[];
  createdAt: string;
}

export interface SunshineState {
  appId: string;
  conversations: Map<string, SunshineConversation>;
  users: Map<string, SunshineUser>;
  /** The app's switchboard integrations, by name: `bot`, `baton` and `zd-agentWorkspace` (type `zd:agentWorkspace`). */
  integrations: Map<string, SwitchboardIntegration>;
}

export interface ConversationSeed {
  id?: string;
  user: { id?: string; givenName?: string; surname?: string; email?: string; externalId?: string; locale?: string };
  /** Oldest first; `at` defaults to one minute apart before the sandbox clock. */
  messages: Array<{ from: 'user' | 'bot' | 'agent' | 'activity'; text: string; links?: Array<{ text: string; uri: string }>; at?: string }>;
  /** Integration in control at the start (default `bot`). */
  active?: string;
  channel?: string;
}

export interface SunshineSandboxOptions {
  appId?: string;
  /** Accepted API keys (Basic key id : secret). */
  keys?: Array<{ keyId: string; secret: string }>;
  seed?: boolean;
  specPath?: string;
  latencyMs?: number;
  now?: () => number;
  /**
   * Called when control passes to the agent workspace: the Zendesk messaging side (tests and the demo create
   * the ticket in the Zendesk sandbox and send Baton the ticket-created webhook from here).
   */
  onAgentWorkspace?: (conversation: SunshineConversation, pass: PassRecord) => void;
}

export interface SunshineSandbox {
  router: Router;
  state: SunshineState;
  script: SandboxScript;
  calls: readonly KitCall[];
  addConversation(seed: ConversationSeed): SunshineConversation;
  /** The `switchboard:passControl` webhook body Sunshine would send for this conversation's current control. */
  passControlEvent(conversationId: string, eventId?: string): Record<string, unknown>;
  /** Gives control to an integration by name, as a bot's passControl would (no API call recorded). */
  setActive(conversationId: string, name: string): void;
  reset(): void;
}

export interface RunningSunshineSandbox extends SunshineSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}
