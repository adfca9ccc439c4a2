/**
 * The sandbox Intercom's OAuth (developers.intercom.com, "Setting up OAuth"): consent page `GET /oauth`
 * (client_id, state, redirect_uri; no scope, no PKCE) and `POST /auth/eagle/token` `{code, client_id,
 * client_secret}` → `{token_type, token, access_token}`. The API accepts issued tokens until `revoke`/`revokeAll`.
 */
import { createOAuthServer, type OAuthClient, type OAuthServer } from '../kit/oauth-server.ts';
import { INTERCOM_SANDBOX_OAUTH_CLIENT } from '../../server/helpdesks/intercom/oauth.ts';

export function createIntercomOAuth(clients: OAuthClient[] = [{ ...INTERCOM_SANDBOX_OAUTH_CLIENT }], now?: () => number): OAuthServer {
  return createOAuthServer({
    platform: 'Intercom sandbox',
    clients,
    users: [{ id: '814860', name: 'Sandbox Admin', role: 'admin' }],
    authorizePath: '/oauth',
    tokenPath: '/auth/eagle/token',
    pkce: false,
    redirectUriOptional: true,
    tokenBody: (token) => ({ token_type: 'Bearer', token, access_token: token }),
    tokenError: (_status, error, description) => ({ type: 'error.list', errors: [{ code: error, message: description }] }),
    ...(now ? { now } : {}),
  });
}
