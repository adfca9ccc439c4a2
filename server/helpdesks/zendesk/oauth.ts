/**
 * "Connect Zendesk": Zendesk's authorization-code grant with a global OAuth client and PKCE (S256).
 *
 * Followed (checked with the docs search, 2026-11-29):
 * - Authorize: `https://{subdomain}.zendesk.com/oauth/authorizations/new?response_type=code&client_id&redirect_uri
 *   &scope&state&code_challenge&code_challenge_method=S256`; token: `POST https://{subdomain}.zendesk.com/oauth/tokens`
 *   `{grant_type: authorization_code, code, client_id, client_secret, redirect_uri, scope, code_verifier}`
 *   (developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/ and
 *   developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce — PKCE applies to the Ticketing API).
 * - Marketplace apps serving many accounts use a global OAuth client (support.zendesk.com 4408845965210).
 * - Who consented: `GET /api/v2/users/me` (role end-user | agent | admin); only an admin may connect.
 * Unverified: whether `tickets:read` covers `GET /api/v2/ticket_fields` (no `ticket_fields` scope was found);
 * refresh tokens / expiring access tokens (Baton asks for a token without `expires_in` and does not refresh yet).
 */
import type { AuthorizeParams, ExchangeParams, HelpdeskOAuth, OAuthConnection } from '../../connect/helpdesk-oauth.ts';
import { OAuthExchangeError } from '../../connect/helpdesk-oauth.ts';

/**
 * What Baton needs: write the note/tags/fields (tickets:write), read tickets and ticket fields (tickets:read),
 * the sidebar's access check and the consent check (users:read), and the outcome webhook + trigger.
 */
export const ZENDESK_OAUTH_SCOPES = ['tickets:read', 'tickets:write', 'users:read', 'webhooks:write', 'triggers:write'] as const;

/** The sandbox's built-in OAuth client (sandbox/zendesk accepts it; sandbox mode uses it by default). */
export const ZENDESK_SANDBOX_OAUTH_CLIENT = { clientId: 'baton_sandbox', clientSecret: 'zd_oauth_client_secret_local_only' } as const;

/** A Zendesk subdomain: lowercase letters, digits, inner hyphens, 1–63 characters (a DNS label). */
export function parseZendeskSubdomain(raw: string): string | undefined {
  const s = raw.trim().toLowerCase();
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(s) ? s : undefined;
}

function base(p: { account?: string; baseUrl?: string }): string {
  if (p.baseUrl) return p.baseUrl;
  if (!p.account) throw new Error('zendesk oauth: the subdomain is required');
  return `https://${p.account}.zendesk.com`;
}

async function postJson(url: string, body: unknown, timeoutMs: number, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  let res: globalThis.Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new OAuthExchangeError(`Zendesk could not be reached (${(err as Error).name})`, true);
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, json: typeof json === 'object' && json !== null ? json : {} };
}

export const zendeskOAuth: HelpdeskOAuth = {
  accountParam: 'subdomain',
  parseAccount: parseZendeskSubdomain,
  scopes: ZENDESK_OAUTH_SCOPES,
  pkce: true,
  clientEnv: { id: 'BATON_ZENDESK_CLIENT_ID', secret: 'BATON_ZENDESK_CLIENT_SECRET' },
  sandboxClient: ZENDESK_SANDBOX_OAUTH_CLIENT,
  sandboxBaseUrl: (own) => `${own}/sandbox/zendesk`,
  sandboxAccount: 'acme',
  accountOf: (section) => (section as { subdomain?: string } | undefined)?.subdomain,

  authorizeUrl(p: AuthorizeParams): string {
    const u = new URL(`${base(p)}/oauth/authorizations/new`);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('client_id', p.client.clientId);
    u.searchParams.set('redirect_uri', p.redirectUri);
    u.searchParams.set('scope', ZENDESK_OAUTH_SCOPES.join(' '));
    u.searchParams.set('state', p.state);
    if (p.codeChallenge) {
      u.searchParams.set('code_challenge', p.codeChallenge);
      u.searchParams.set('code_challenge_method', 'S256');
    }
    return u.toString();
  },

  async connect(p: ExchangeParams): Promise<OAuthConnection> {
    const root = base(p);
    const token = await postJson(
      `${root}/oauth/tokens`,
      {
        grant_type: 'authorization_code',
        code: p.code,
        client_id: p.client.clientId,
        client_secret: p.client.clientSecret,
        redirect_uri: p.redirectUri,
        scope: ZENDESK_OAUTH_SCOPES.join(' '),
        ...(p.codeVerifier ? { code_verifier: p.codeVerifier } : {}),
      },
      p.timeoutMs,
    );
    const accessToken = token.json.access_token;
    if (token.status !== 200 || typeof accessToken !== 'string' || accessToken === '') {
      const why = typeof token.json.error === 'string' ? token.json.error : `HTTP ${token.status}`;
      throw new OAuthExchangeError(`Zendesk refused the authorization code (${why})`, token.status >= 500);
    }
    const me = await postJson(`${root}/api/v2/users/me`, undefined, p.timeoutMs, { authorization: `Bearer ${accessToken}` });
    const user = me.json.user as { role?: unknown } | undefined;
    if (me.status !== 200 || !user) throw new OAuthExchangeError(`Zendesk did not say who authorized (HTTP ${me.status})`, me.status >= 500);
    const account = p.account ?? '';
    return {
      account,
      consentedByAdmin: user.role === 'admin',
      section: { subdomain: account, ...(p.baseUrl ? { baseUrl: p.baseUrl } : {}), oauthToken: accessToken },
    };
  },
};
