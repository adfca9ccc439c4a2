/**
 * The two calls to the Baton server, made through Zendesk's request proxy: `secure: true` + `jwt` makes
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
