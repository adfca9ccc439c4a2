/**
 * The sandbox Zendesk's OAuth: consent page `GET /oauth/authorizations/new`, `POST /oauth/tokens`
 * (authorization_code grant with PKCE S256,
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/), `GET /api/v2/users/me` for a
 * token it issued (who consented), and revocation `DELETE /api/v2/oauth/tokens/current`
 * (https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/#revoke-token): afterwards the
 * API answers that token 401. Error bodies follow RFC 6749 §5.2 (`error`, `error_description`).
 */
import express, { type Router } from 'express';
import { createOAuthServer, type OAuthClient, type OAuthServer, type OAuthUser } from '../kit/oauth-server.ts';
import { ZENDESK_SANDBOX_OAUTH_CLIENT } from '../../server/helpdesks/zendesk/oauth.ts';

/** Who can consent on the sandbox page: an admin (may connect Baton) and the /preview agent (may not). */
export const ZENDESK_OAUTH_USERS: readonly OAuthUser[] = [
  { id: '4200', name: 'Ada Admin', role: 'admin' },
  { id: '4242', name: 'Alex Agent', role: 'agent' },
];

export interface ZendeskOAuth {
  server: OAuthServer;
  router: Router;
}

export function createZendeskOAuth(clients: OAuthClient[] = [{ ...ZENDESK_SANDBOX_OAUTH_CLIENT }], now?: () => number): ZendeskOAuth {
  const server = createOAuthServer({
    platform: 'Zendesk sandbox',
    clients,
    users: [...ZENDESK_OAUTH_USERS],
    authorizePath: '/oauth/authorizations/new',
    tokenPath: '/oauth/tokens',
    pkce: true,
    tokenBody: (token, grant) => ({ access_token: token, token_type: 'bearer', scope: grant.scope }),
    ...(now ? { now } : {}),
  });
  const router = express.Router();
  router.use(server.router);
  // One middleware, not routes: these two answer only for tokens this server issued, else fall through to the API.
  router.use((req, res, next) => {
    const path = req.path.replace(/\.json$/, '');
    if (req.method === 'GET' && path === '/api/v2/users/me') {
      const grant = server.grantOf(req.headers.authorization);
      if (!grant) return next();
      const u = grant.user;
      return void res.json({ user: { id: Number(u.id), name: u.name, email: `${u.name.split(' ')[0]?.toLowerCase()}@baton.local`, role: u.role, active: true } });
    }
    if (req.method === 'DELETE' && path === '/api/v2/oauth/tokens/current') {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m || !server.grantOf(req.headers.authorization)) return next();
      server.revoke(m[1] as string);
      return void res.status(204).end();
    }
    next();
  });
  return { server, router };
}
