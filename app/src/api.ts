/**
 * Two ways to call the Baton server. Signed-URL install (Baton serves this page after verifying Zendesk's
 * RS256 token, server/http/zendesk-hosted-routes.ts): the page embeds a Baton session
 * (`<script type="application/json" id="baton-session">`), and the app calls Baton directly, same origin,
 * with `Authorization: Bearer <session>` (renewed by POST /zendesk/session before it runs out); the agent is
 * whoever Zendesk signed for, nothing this code sends can change it. Otherwise (Zendesk-hosted install) the
 * calls go through Zendesk's request proxy: `secure: true` + `jwt` makes
 * Zendesk sign an HS256 token with the secure setting `shared_secret` and substitute it for
 * `{{jwt.token}}`. The browser never sees the secret. The claims name the agent (`sub`) and bind the token
 * to the ticket (`ticket_id`); the server checks both (server/http/sidebar-auth.ts, sidebar-access.ts).
 */
import type { AppClient, HttpResult } from './zaf/client.ts';
import type { ZafRequestOptions } from './zaf/types.ts';
import type { HandoffReport } from '../../server/types/handoff-report.ts';

export const JWT_EXPIRY_SEC = 300;

export interface HandoffPayload {
  handoffId: string;
  createdAt: string;
  report: HandoffReport;
}

export interface CallContext {
  serverUrl: string;
  subdomain: string;
  userId?: string;
  /** The embedded Baton session (signed-URL mode): direct same-origin calls, no proxy. */
  session?: BatonSession;
}

export interface BatonSession {
  token: string;
  /** Seconds since epoch. */
  expiresAt: number;
}

/** Renew the session when it has less than this left (seconds). */
export const SESSION_RENEW_BEFORE_SEC = 300;

/** The session Baton embedded in the page, if it served it (signed-URL mode). */
export function readEmbeddedSession(doc: Document | undefined = typeof document !== 'undefined' ? document : undefined): BatonSession | undefined {
  const el = doc?.getElementById('baton-session');
  if (!el?.textContent) return undefined;
  try {
    const v = JSON.parse(el.textContent) as Partial<BatonSession>;
    return typeof v.token === 'string' && typeof v.expiresAt === 'number' ? { token: v.token, expiresAt: v.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}

export async function sessionBearer(ctx: CallContext, fetchImpl: typeof fetch): Promise<string> {
  const s = ctx.session as BatonSession;
  const now = Date.now() / 1000;
  if (s.expiresAt - now < SESSION_RENEW_BEFORE_SEC && s.expiresAt > now) {
    try {
      const res = await fetchImpl(`${baseUrl(ctx.serverUrl)}/zendesk/session`, { method: 'POST', headers: { Authorization: `Bearer ${s.token}` } });
      if (res.ok) {
        const next = (await res.json()) as Partial<BatonSession>;
        if (typeof next.token === 'string' && typeof next.expiresAt === 'number') {
          s.token = next.token;
          s.expiresAt = next.expiresAt;
        }
      }
    } catch {
      // Keep the current one: the call below tells whether it still works.
    }
  }
  return `Bearer ${s.token}`;
}

/** A direct call to Baton with the session (signed-URL mode). */
async function sessionCall(ctx: CallContext, path: string, init: { method: 'GET' | 'POST'; body?: string } = { method: 'GET' }, fetchImpl: typeof fetch = fetch): Promise<HttpResult> {
  const headers: Record<string, string> = { Authorization: await sessionBearer(ctx, fetchImpl), Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetchImpl(`${baseUrl(ctx.serverUrl)}${path}`, { method: init.method, headers, ...(init.body !== undefined ? { body: init.body } : {}), signal: AbortSignal.timeout(10_000) });
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  return { status: res.status, body } as HttpResult;
}

export type LoadOutcome =
  | { kind: 'ok'; data: HandoffPayload }
  | { kind: 'no_handoff' }
  | { kind: 'unauthorized' }
  | { kind: 'unreachable' }
  | { kind: 'error'; status: number };

export function baseUrl(serverUrl: string): string {
  return serverUrl.trim().replace(/\/+$/, '');
}

function signedOptions(ctx: CallContext, ticketId: number, url: string, extra: Partial<ZafRequestOptions> = {}): ZafRequestOptions {
  return {
    url,
    type: 'GET',
    secure: true,
    cors: false,
    dataType: 'json',
    timeout: 10_000,
    headers: { Authorization: 'Bearer {{jwt.token}}' },
    jwt: {
      algorithm: 'HS256',
      secret_key: '{{setting.shared_secret}}',
      expiry: JWT_EXPIRY_SEC,
      claims: { iss: ctx.subdomain, ticket_id: ticketId, ...(ctx.userId ? { sub: ctx.userId } : {}) },
    },
    ...extra,
  };
}

export function classify(res: HttpResult): LoadOutcome {
  const { status, body } = res;
  if (status >= 200 && status < 300) {
    const b = body as Partial<HandoffPayload> | undefined;
    if (b && typeof b.handoffId === 'string' && b.report && typeof b.report === 'object') return { kind: 'ok', data: b as HandoffPayload };
    return { kind: 'error', status };
  }
  if (status === 404) return { kind: 'no_handoff' };
  if (status === 401 || status === 403) return { kind: 'unauthorized' };
  if (status === 0 || status === 502 || status === 503 || status === 504) return { kind: 'unreachable' };
  return { kind: 'error', status };
}

export async function fetchHandoff(client: AppClient, ctx: CallContext, ticketId: number): Promise<LoadOutcome> {
  try {
    if (ctx.session) return classify(await sessionCall(ctx, `/v1/tickets/${ticketId}/handoff`));
    const res = await client.request(signedOptions(ctx, ticketId, `${baseUrl(ctx.serverUrl)}/v1/tickets/${ticketId}/handoff`));
    return classify(res);
  } catch {
    return { kind: 'unreachable' };
  }
}

export async function postFeedback(
  client: AppClient,
  ctx: CallContext,
  ticketId: number,
  body: { handoffId: string; accurate: boolean; comment?: string },
): Promise<boolean> {
  try {
    if (ctx.session) {
      const r = await sessionCall(ctx, `/v1/tickets/${ticketId}/handoff/feedback`, { method: 'POST', body: JSON.stringify(body) });
      return r.status === 201 || r.status === 200;
    }
    const res = await client.request(
      signedOptions(ctx, ticketId, `${baseUrl(ctx.serverUrl)}/v1/tickets/${ticketId}/handoff/feedback`, {
        type: 'POST',
        contentType: 'application/json',
        data: JSON.stringify(body),
      }),
    );
    return res.status === 201 || res.status === 200;
  } catch {
    return false;
  }
}

/** What GET /v1/zendesk/connection says (server/helpdesks/zendesk/sidebar/connection-routes.ts). */
export interface ConnectionState {
  connected: boolean;
  reason?: 'disconnected' | 'unverified' | 'not_connected';
  /** Where an admin starts the Connect flow, when Baton offers one. */
  connectUrl?: string;
}

/** Whether this account is connected to Baton; undefined when Baton cannot be asked (then the usual states apply). */
export async function fetchConnection(client: AppClient, ctx: CallContext, ticketId: number): Promise<ConnectionState | undefined> {
  const path = `/v1/zendesk/connection?subdomain=${encodeURIComponent(ctx.subdomain)}`;
  try {
    const res = ctx.session ? await sessionCall(ctx, path) : await client.request(signedOptions(ctx, ticketId, `${baseUrl(ctx.serverUrl)}${path}`));
    const b = res.body as Partial<ConnectionState> | undefined;
    if (res.status !== 200 || !b || typeof b.connected !== 'boolean') return undefined;
    const url = typeof b.connectUrl === 'string' && /^https?:\/\//.test(b.connectUrl) ? b.connectUrl : undefined;
    return { connected: b.connected, ...(b.reason === 'disconnected' || b.reason === 'unverified' || b.reason === 'not_connected' ? { reason: b.reason } : {}), ...(url ? { connectUrl: url } : {}) };
  } catch {
    return undefined;
  }
}
