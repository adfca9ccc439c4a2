/**
 * "Connect Intercom": Intercom's OAuth for public apps.
 *
 * Followed (developers.intercom.com, "Setting up OAuth", checked with the docs search 2026-11-29):
 * - Authorize: `https://app.intercom.com/oauth?client_id&state&redirect_uri` — the permissions are chosen per
 *   app in the Developer Hub, not per request (no `scope` parameter), and redirect URLs must be HTTPS.
 * - Token: `POST https://api.intercom.io/auth/eagle/token` `{code, client_id, client_secret}` → `{token, access_token,
 *   token_type}`; tokens do not expire and come without a refresh token.
 * - Who consented: `GET /me` (the admin, with `app.id_code` the workspace and `app.region`).
 * Intercom's OAuth has no PKCE (none documented), so Baton relies on `state` + the client secret.
 * Unverified: whether EU/AU workspaces exchange codes at api.intercom.io too (Baton does; the API calls then go
 * to the region `GET /me` names).
 */
import type { AuthorizeParams, ExchangeParams, HelpdeskOAuth, OAuthConnection } from '../../connect/helpdesk-oauth.ts';
import { OAuthExchangeError } from '../../connect/helpdesk-oauth.ts';
import { INTERCOM_VERSION } from './client.ts';
import { INTERCOM_REGIONS, type IntercomRegion } from './intercom-config.ts';

/** The permissions Baton's Intercom app is registered with (Developer Hub): read and write conversations, read admins, tags. */
export const INTERCOM_OAUTH_PERMISSIONS = ['Read and list users and companies', 'Read and write conversations', 'Read admins', 'Read and write tags'] as const;

/** The sandbox's built-in OAuth client (sandbox/intercom accepts it; sandbox mode uses it by default). */
export const INTERCOM_SANDBOX_OAUTH_CLIENT = { clientId: 'baton_sandbox_ic', clientSecret: 'ic_oauth_client_secret_local_only' } as const;

async function call(url: string, init: { body?: unknown; token?: string; timeoutMs: number }): Promise<{ status: number; json: Record<string, unknown> }> {
  let res: globalThis.Response;
  try {
    res = await fetch(url, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.token ? { authorization: `Bearer ${init.token}`, 'Intercom-Version': INTERCOM_VERSION } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      redirect: 'error',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (err) {
    throw new OAuthExchangeError(`Intercom could not be reached (${(err as Error).name})`, true);
  }
  const json = (await res.json().catch(() => ({}))) as unknown;
  return { status: res.status, json: typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {} };
}

export const intercomOAuth: HelpdeskOAuth = {
  scopes: INTERCOM_OAUTH_PERMISSIONS,
  pkce: false,
  clientEnv: { id: 'BATON_INTERCOM_CLIENT_ID', secret: 'BATON_INTERCOM_CLIENT_SECRET' },
  sandboxClient: INTERCOM_SANDBOX_OAUTH_CLIENT,
  sandboxBaseUrl: (own) => `${own}/sandbox/intercom`,

  authorizeUrl(p: AuthorizeParams): string {
    const u = new URL(`${p.baseUrl ?? 'https://app.intercom.com'}/oauth`);
    u.searchParams.set('client_id', p.client.clientId);
    u.searchParams.set('state', p.state);
    u.searchParams.set('redirect_uri', p.redirectUri);
    return u.toString();
  },

  async connect(p: ExchangeParams): Promise<OAuthConnection> {
    const tokenRes = await call(`${p.baseUrl ?? 'https://api.intercom.io'}/auth/eagle/token`, {
      body: { code: p.code, client_id: p.client.clientId, client_secret: p.client.clientSecret },
      timeoutMs: p.timeoutMs,
    });
    const token = typeof tokenRes.json.access_token === 'string' ? tokenRes.json.access_token : tokenRes.json.token;
    if (tokenRes.status !== 200 || typeof token !== 'string' || token === '') {
      const why = typeof tokenRes.json.error === 'string' ? tokenRes.json.error : `HTTP ${tokenRes.status}`;
      throw new OAuthExchangeError(`Intercom refused the authorization code (${why})`, tokenRes.status >= 500);
    }
    const me = await call(`${p.baseUrl ?? 'https://api.intercom.io'}/me`, { token, timeoutMs: p.timeoutMs });
    const app = me.json.app as { id_code?: unknown; region?: unknown } | undefined;
    if (me.status !== 200 || typeof me.json.id !== 'string' || !app || typeof app.id_code !== 'string')
      throw new OAuthExchangeError(`Intercom did not say who authorized (HTTP ${me.status})`, me.status >= 500);
    const region = String(app.region ?? 'us').toLowerCase();
    return {
      account: app.id_code,
      // Every Intercom teammate is an "admin" object; installing an app needs the workspace's app-install permission,
      // which Intercom enforces on its consent page.
      consentedByAdmin: me.json.type === 'admin',
      section: {
        accessToken: token,
        adminId: me.json.id,
        clientSecret: p.client.clientSecret,
        region: (INTERCOM_REGIONS as readonly string[]).includes(region) ? (region as IntercomRegion) : 'us',
        ...(p.baseUrl ? { baseUrl: p.baseUrl } : {}),
      },
    };
  },
};
