/**
 * The app's Connect state (issue 13): whether this Zendesk account is connected to this Baton.
 *
 *   GET /v1/zendesk/connection?subdomain=<sub>   Authorization: Bearer <proxy token | Baton session> (optional)
 *   → 200 { connected: true }
 *   → 200 { connected: false, reason: "disconnected" | "unverified" | "not_connected", connectUrl? }
 *
 * "connected: true" needs a token that verifies for a tenant of that subdomain. Without one the answer is
 * "unverified" when a tenant has that account (a wrong shared secret: the app keeps its "couldn't verify" state)
 * and "not_connected" when none does. So this endpoint does tell a caller whether an account is a Baton tenant:
 * a first-run Connect screen for a fresh install cannot work without saying so (the sidebar API itself still
 * answers one 401 for both). `connectUrl` starts the
 * Connect flow: for a known tenant whose Zendesk was disconnected, a one-time link bound to it (minted with the
 * admin token); for an unknown account, the plain flow only where it may start without a link (sandbox mode, or
 * BATON_CONNECT_SELF_SERVICE=1). Whoever opens it, only an admin of the account can finish it: the callback asks
 * Zendesk (`GET /api/v2/users/me`) with the new token (server/connect/connect-routes.ts). The app shows the button
 * to admins (ZAF `currentUser.role`) as a convenience only.
 */
import express, { type Router } from 'express';
import type { Config, TenantConfig } from '../../../config.ts';
import type { TenantRegistry } from '../../../tenants/tenant-registry.ts';
import { mintConnectLink } from '../../../connect/connect-links.ts';
import { parseZendeskSubdomain } from '../oauth.ts';
import { ZENDESK } from '../zendesk-config.ts';
import { bearerToken, tenantsBySubdomain, verifySidebarToken } from './sidebar-auth.ts';
import { looksLikeSession, verifySession, type SidebarSessionKey } from './sidebar-session.ts';

export interface ConnectionRouterDeps {
  config: Readonly<Config>;
  tenants: ReadonlyMap<string, TenantConfig>;
  sessionKey: SidebarSessionKey;
  ownBaseUrl(): string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function connectionRouter(deps: ConnectionRouterDeps): Router {
  const env = deps.env ?? process.env;
  const bySubdomain = tenantsBySubdomain(deps.tenants);
  const registry = 'isDisconnected' in deps.tenants ? (deps.tenants as unknown as TenantRegistry) : undefined;
  const publicUrl = (): string | undefined => env.BATON_PUBLIC_URL?.replace(/\/+$/, '') ?? deps.ownBaseUrl();
  const openStart = deps.config.sandbox || env.BATON_CONNECT_SELF_SERVICE === '1';

  async function verifiedTenant(token: string | undefined): Promise<TenantConfig | undefined> {
    if (!token) return undefined;
    if (looksLikeSession(token)) {
      const r = await verifySession(deps.sessionKey, deps.tenants, token);
      return r.ok ? r.session.tenant : undefined;
    }
    const r = await verifySidebarToken(bySubdomain, token);
    return r.ok ? r.principal.tenant : undefined;
  }

  const router = express.Router();
  router.get('/v1/zendesk/connection', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const subdomain = typeof req.query.subdomain === 'string' ? parseZendeskSubdomain(req.query.subdomain) : undefined;
    const tenant = await verifiedTenant(bearerToken(req.get('authorization')));
    const base = publicUrl();
    if (tenant) {
      if (!registry?.isDisconnected(tenant.id, ZENDESK)) return void res.json({ connected: true });
      const account = (tenant.helpdesks[ZENDESK] as { subdomain?: string } | undefined)?.subdomain;
      const link =
        deps.config.adminToken && base
          ? mintConnectLink({ adminToken: deps.config.adminToken, publicUrl: base, helpdesk: ZENDESK, tenantId: tenant.id, ...(account ? { account } : {}), accountParam: 'subdomain' }).url
          : openStart && base && account
            ? `${base}/connect/zendesk?subdomain=${account}`
            : undefined;
      return void res.json({ connected: false, reason: 'disconnected', ...(link ? { connectUrl: link } : {}) });
    }
    // A tenant has this account but the token did not verify (e.g. a wrong shared secret): not a Connect case.
    if (subdomain && [...deps.tenants.values()].some((t) => (t.helpdesks[ZENDESK] as { subdomain?: string } | undefined)?.subdomain === subdomain))
      return void res.json({ connected: false, reason: 'unverified' });
    const connectUrl = openStart && base && subdomain ? `${base}/connect/zendesk?subdomain=${subdomain}` : undefined;
    res.json({ connected: false, reason: 'not_connected', ...(connectUrl ? { connectUrl } : {}) });
  });
  return router;
}
