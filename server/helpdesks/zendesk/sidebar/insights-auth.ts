/**
 * Who may read a tenant's insights from Zendesk (issue 11): an ADMIN of that tenant's Zendesk account, proven
 * by Baton's sidebar session — started from a token Zendesk signed (signed URLs, sidebar-session.ts), so the
 * user id is Zendesk's word — with the role asked of Zendesk's Users API for that user (`role` is end-user,
 * agent or admin: developer.zendesk.com/api-reference/ticketing/users/users/). The request-proxy token is
 * refused here: its `sub` is written by the browser (zendesk/zendesk_app_framework_sdk#206), so it cannot
 * prove who is asking, let alone their role. A token for another tenant is 403; a role Zendesk cannot be asked
 * about now is 503, never "allowed".
 */
import type { Request } from 'express';
import type { Config, TenantConfig } from '../../../config.ts';
import type { InsightsAuth, InsightsAuthorizer } from '../../../outcomes/insights-routes.ts';
import { bearerToken, tenantsBySubdomain, verifySidebarToken } from './sidebar-auth.ts';
import { looksLikeSession, verifySession, type SidebarSessionKey } from './sidebar-session.ts';
import { authorizationHeader } from '../client.ts';
import { zendeskConfigOf } from '../zendesk-config.ts';
import { trimTrailingSlashes } from '../../../util/trim-trailing-slashes.ts';

export type RoleAnswer = 'admin' | 'agent' | 'end-user' | 'none' | 'unavailable';
export type RoleOf = (tenant: TenantConfig, userId: string) => Promise<RoleAnswer>;

const ROLE_CACHE_MS = 60_000;
const TIMEOUT_MS = 5_000;

/** Asks Zendesk for a user's role (cached a minute per tenant and user); network trouble is 'unavailable'. */
export function zendeskRoleOf(opts: { fetchImpl?: typeof fetch; baseUrlFor?: (t: TenantConfig) => string | undefined; now?: () => number } = {}): RoleOf {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { role: RoleAnswer; until: number }>();
  return async (tenant, userId) => {
    if (!/^[1-9][0-9]{0,15}$/.test(userId)) return 'none';
    const key = `${tenant.id}\u0000${userId}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.role;
    const z = zendeskConfigOf(tenant);
    if (!z) return 'none';
    const base = trimTrailingSlashes(opts.baseUrlFor?.(tenant) ?? z.baseUrl ?? `https://${z.subdomain}.zendesk.com`);
    let role: RoleAnswer;
    try {
      const res = await fetchImpl(`${base}/api/v2/users/${userId}.json`, {
        headers: { Authorization: authorizationHeader(z), Accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.status === 404) role = 'none';
      else if (!res.ok) return 'unavailable';
      else {
        const user = ((await res.json()) as { user?: { role?: string; active?: boolean; suspended?: boolean } }).user;
        role = !user || user.active === false || user.suspended === true ? 'none' : user.role === 'admin' ? 'admin' : user.role === 'agent' ? 'agent' : 'end-user';
      }
    } catch {
      return 'unavailable';
    }
    if (cache.size > 5_000) cache.clear();
    cache.set(key, { role, until: now() + ROLE_CACHE_MS });
    return role;
  };
}

export function zendeskInsightsAuthorizer(deps: {
  config: Readonly<Config>;
  sessionKey?: SidebarSessionKey;
  roleOf: RoleOf;
  now?: () => number;
  /** The TenantRegistry (tenants at run time); default the config's file tenants. */
  tenants?: ReadonlyMap<string, TenantConfig>;
}): InsightsAuthorizer {
  const bySubdomain = tenantsBySubdomain(deps.tenants ?? deps.config);
  return async (req: Request, tenantId: string): Promise<InsightsAuth> => {
    const token = bearerToken(req.get('authorization'));
    if (!token) return { ok: 'pass' };
    const nowSec = deps.now ? deps.now() : undefined;
    if (deps.sessionKey && looksLikeSession(token)) {
      const r = await verifySession(deps.sessionKey, deps.tenants ?? deps.config, token, nowSec);
      if (!r.ok) return { ok: false, code: r.code, message: r.message };
      if (r.session.tenant.id !== tenantId) return { ok: false, code: 'insights_forbidden', message: 'The token belongs to another tenant' };
      const role = await deps.roleOf(r.session.tenant, r.session.userId);
      if (role === 'unavailable') return { ok: false, code: 'helpdesk_unavailable', message: "Zendesk could not be asked for this user's role; retry" };
      if (role !== 'admin') return { ok: false, code: 'insights_forbidden', message: 'Only Zendesk admins may read insights' };
      return { ok: true, via: 'helpdesk_admin', tenantId };
    }
    const proxy = await verifySidebarToken(bySubdomain, token, nowSec !== undefined ? { now: () => nowSec } : {});
    if (!proxy.ok) return { ok: 'pass' };
    // Signed by the proxy, but its user is the browser's claim: it cannot prove an admin.
    if (proxy.principal.tenant.id !== tenantId) return { ok: false, code: 'insights_forbidden', message: 'The token belongs to another tenant' };
    return { ok: false, code: 'insights_forbidden', message: 'Insights need the signed sidebar session (the request-proxy token cannot prove the user is an admin)' };
  };
}
