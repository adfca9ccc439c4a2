/**
 * Types of the local Intercom sandbox: the part of Intercom's REST API Baton uses, served by `npm start` in
 * sandbox mode under /sandbox/intercom and by tests on a free port (startIntercomSandbox).
 */
import type { Router } from 'express';
import type { KitCall, SandboxScript } from '../kit/types.ts';

export type IntercomAuthorType = 'user' | 'lead' | 'admin' | 'bot' | 'team';

export interface IntercomAdmin {
  id: string;
  name: string;
  email: string;
}

export interface IntercomContact {
  id: string;
  role: 'user' | 'lead';
  name: string | null;
  email: string | null;
  external_id: string | null;
  custom_attributes: Record<string, unknown>;
  created_at: number;
}

export interface IntercomTag {
  id: string;
  name: string;
}

export interface IntercomPart {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  author: { type: IntercomAuthorType; id: string; name: string | null; email: string | null; from_ai_agent?: boolean; is_ai_answer?: boolean };
  assigned_to: { type: string; id: string } | null;
}

export interface IntercomAppliedTag extends IntercomTag {
  applied_at: number;
  applied_by: { type: string; id: string };
}

export interface IntercomAiAgent {
  source_type: string | null;
  source_title: string | null;
  last_answer_type: string | null;
  /** Intercom's 2.16 spec lists assumed_resolution, confirmed_resolution, escalated, negative_feedback, procedure_handoff; issue 8 also names routed_to_team. */
  resolution_state: string | null;
  content_sources: { type: 'content_source.list'; total_count: number; content_sources: Array<{ content_type: string; url: string; title: string; locale: string }> };
}

export interface IntercomConversation {
  id: string;
  title: string | null;
  created_at: number;
  updated_at: number;
  state: 'open' | 'closed' | 'snoozed';
  read: boolean;
  priority: 'priority' | 'not_priority' | 'none' | 'low' | 'medium' | 'high' | 'urgent';
  contactIds: string[];
  admin_assignee_id: number | null;
  team_assignee_id: number | null;
  /** The first message (Intercom's `source`). */
  source: IntercomPart & { subject: string; delivered_as: string; url: string | null };
  parts: IntercomPart[];
  tags: IntercomAppliedTag[];
  custom_attributes: Record<string, unknown>;
  ai_agent_participated: boolean;
  ai_agent: IntercomAiAgent | null;
}

/** A conversation to add (seed or test): the first message becomes the conversation's `source`. */
export interface ConversationSeed {
  id?: string;
  title?: string;
  contact: { id?: string; role?: 'user' | 'lead'; name?: string; email?: string; external_id?: string; custom_attributes?: Record<string, unknown> };
  /** In order. A message from `bot` is Fin's (`from_ai_agent`); `assignTo` is an `assignment` part. */
  parts: Array<
    | { from: 'user' | 'lead' | 'bot' | 'admin'; body: string; part_type?: 'comment' | 'note'; adminId?: string }
    | { assignTo: { type: 'team' | 'admin'; id: string }; by?: 'bot' | 'admin'; body?: string }
  >;
  /** Seconds since epoch of the first part; parts follow a minute apart. Default: the sandbox clock. */
  startedAt?: number;
  ai_agent_participated?: boolean;
  ai_agent?: Partial<IntercomAiAgent> | null;
  /** Article Fin cited (goes to ai_agent.content_sources). */
  articles?: Array<{ title: string; url: string }>;
  state?: IntercomConversation['state'];
}

export interface IntercomSandboxState {
  conversations: Map<string, IntercomConversation>;
  contacts: Map<string, IntercomContact>;
  tags: Map<string, IntercomTag>;
  admins: Map<string, IntercomAdmin>;
  bot: IntercomAdmin;
  workspaceId: string;
  /** Every `Intercom-Version` header value received, in order of first appearance. */
  versionsSeen: string[];
  specPath: string;
}

export interface IntercomSandboxOptions {
  /** Accepted bearer tokens. Default: [DEFAULT_INTERCOM_TOKEN]. */
  accessTokens?: string[];
  /** Request budget per window (X-RateLimit-*; 429 past it). Default 10,000 per 60 s (a private app's per-minute limit). */
  rateLimit?: { limit: number; windowMs: number };
  latencyMs?: number;
  /** Intercom's OpenAPI file. Default: env BATON_INTERCOM_SPEC, else test/fixtures/api-specs/intercom-api.yaml. */
  specPath?: string;
  /** true (default): the built-in conversations; false: none; or your own. */
  seed?: boolean | ConversationSeed[];
  /** Clock (ms since epoch). Default Date.now. */
  now?: () => number;
  /** OAuth clients the consent page and token endpoint accept (oauth-routes.ts). Default: Baton's sandbox client. */
  oauthClients?: import('../kit/oauth-server.ts').OAuthClient[];
}

export interface IntercomSandbox {
  router: Router;
  state: IntercomSandboxState;
  /** The OAuth server: issued tokens, revoke(token), revokeAll() (an admin uninstalling Baton). */
  oauth: import('../kit/oauth-server.ts').OAuthServer;
  script: SandboxScript;
  /** The last CALL_LOG_MAX API calls, oldest first, without credentials (HTML pages are not recorded). */
  calls: KitCall[];
  /** The POST and PUT calls. */
  writes(): KitCall[];
  /** Adds a conversation (and its contact); returns its id. */
  addConversation(seed: ConversationSeed): string;
  /** The conversation as `GET /conversations/{id}` returns it, or undefined. */
  conversationJson(id: string): Record<string, unknown> | undefined;
  /** Note parts of a conversation, oldest first. */
  notes(conversationId: string): IntercomPart[];
  reset(): void;
}

export interface RunningIntercomSandbox extends IntercomSandbox {
  /** API base URL (what an Intercom client uses as baseUrl). */
  url: string;
  port: number;
  close(): Promise<void>;
}
