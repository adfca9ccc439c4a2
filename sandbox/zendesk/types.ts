/**
 * Types of the local Zendesk sandbox: a fake of the part of the Zendesk Support API Baton uses, served by
 * `npm start` in demo mode under /sandbox/zendesk and by tests on a free port.
 */
import type { Router } from 'express';
import type { SandboxTicketField } from './ticket-fields.ts';
import type { KitCall, SandboxScript } from '../kit/types.ts';

/** Credentials the sandbox accepts: an API token (Basic `email/token:apiToken`) or an OAuth bearer token. */
export type SandboxCredential = { email: string; apiToken: string } | { oauthToken: string };

export interface ZendeskSandboxOptions {
  /** Accepted credentials. Default: email `demo@baton.local`, API token `sandbox`. */
  credentials?: SandboxCredential | SandboxCredential[];
  /** Account-wide limit in requests per minute (sliding minute). Zendesk plans: 200/400/700/2500. Default 700. */
  rateLimitPerMinute?: number;
  /** Zendesk's endpoint limit on updates of one ticket: default 30 per 10 minutes. */
  ticketUpdateLimit?: { max: number; windowMs: number };
  /** Latency added to every API request, in ms. Default 0. */
  latencyMs?: number;
  /**
   * Path of Zendesk's OpenAPI file used to validate request bodies. Default: env `BATON_ZENDESK_SPEC`, else
   * the repo's `test/fixtures/api-specs/zendesk-support-oas.yaml`. A missing or unreadable file throws
   * (ZendeskSpecUnavailableError); only `false` turns validation off.
   */
  specPath?: string | false;
  /**
   * Ticket fields: `installed` (default) is an account where Baton's app is installed (system fields plus
   * requirements.json's), `system` one where it is not.
   */
  ticketFields?: 'installed' | 'system';
  /** Seed tickets: true (default) for the built-in ones, false for none, or your own. */
  seed?: boolean | SandboxTicketSeed[];
  /** First id given to a created ticket. Default 40001. */
  firstTicketId?: number;
  /** How long an Idempotency-Key is remembered. Zendesk: 2 hours. */
  idempotencyTtlMs?: number;
  /** Clock (ms since epoch) for timestamps, rate limits and key expiry; tests can move it. Default Date.now. */
  now?: () => number;
  /** OAuth clients the consent page and token endpoint accept (oauth-routes.ts). Default: Baton's sandbox client. */
  oauthClients?: import('../kit/oauth-server.ts').OAuthClient[];
  /** The app's signing key pair: serves `GET /api/v2/apps/{appId}/public_key.pem` (app-keys.ts). */
  appKeys?: import('./app-keys.ts').SandboxAppKeys;
}

export interface SandboxUser {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
}

export interface SandboxComment {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  audit_id: number;
  created_at: string;
}

export interface SandboxCustomField {
  id: number;
  value: string | number | boolean | string[] | null;
}

export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type TicketPriority = 'urgent' | 'high' | 'normal' | 'low';

export interface SandboxTicket {
  id: number;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority | null;
  type: 'problem' | 'incident' | 'question' | 'task' | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  group_id: number | null;
  external_id: string | null;
  tags: string[];
  custom_fields: SandboxCustomField[];
  created_at: string;
  updated_at: string;
  comments: SandboxComment[];
}

export interface SandboxTicketSeed {
  id: number;
  subject: string;
  requester: { name: string; email: string };
  comment: string;
  status?: TicketStatus;
  priority?: TicketPriority | null;
  group_id?: number | null;
  tags?: string[];
  created_at: string;
}

export type ValidationState = 'enabled' | 'disabled';

export interface SandboxState {
  tickets: Map<number, SandboxTicket>;
  ticketFields: SandboxTicketField[];
  users: Map<number, SandboxUser>;
  /** `disabled` only with `specPath: false`; a missing spec throws at construction instead. */
  validation: ValidationState;
  /** Why validation is not enabled (missing file path, parse error), for the start-up log. */
  validationNote?: string;
  specPath?: string;
  rateLimitPerMinute: number;
}

export type { ValidationIssue } from '../kit/types.ts';

export type SandboxOperation =
  | 'CreateTicket'
  | 'UpdateTicket'
  | 'ShowTicket'
  | 'ListTickets'
  | 'ListTicketComments'
  | 'ListTicketFields'
  | 'ShowUser'
  | 'ListUserGroupMemberships';

/** One API request as the sandbox recorded it (the kit's call, sandbox/kit/types.ts, with Zendesk's fields). */
export interface SandboxCall extends Omit<KitCall, 'operation'> {
  /** The implemented operation it called, when the path matched one (`.json` suffix optional). */
  operation?: SandboxOperation;
  ticketId?: number;
  /** For ticket creates carrying an Idempotency-Key. */
  idempotency?: 'hit' | 'miss' | 'mismatch';
}

export type { ScriptedResponse, SandboxScript } from '../kit/types.ts';

export interface ZendeskSandbox {
  router: Router;
  state: SandboxState;
  script: SandboxScript;
  /** Every API request in order of arrival (the HTML view is not recorded). */
  /** The last CALL_LOG_MAX calls (call-log.ts), oldest first, without credentials. */
  calls: SandboxCall[];
  /** The OAuth server: issued tokens, revoke(token), revokeAll() (an admin removing Baton's access). */
  oauth: import('../kit/oauth-server.ts').OAuthServer;
  /** The fingerprint `call.credential` holds for this Authorization header value. */
  credentialFingerprint(authorization: string): string | undefined;
  /** The POST and PUT calls. */
  writes(): SandboxCall[];
  /** Back to the seeded state: tickets, ids, calls, script, idempotency keys, rate-limit windows. */
  reset(): void;
}

export interface RunningZendeskSandbox extends ZendeskSandbox {
  /** API base URL (what a Zendesk client uses as baseUrl), e.g. http://127.0.0.1:53121 */
  url: string;
  port: number;
  close(): Promise<void>;
}
