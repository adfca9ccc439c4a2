/**
 * Auth for the Zendesk sidebar. The app calls us through Zendesk's request proxy with
 * `secure: true` + a `jwt` option, so Zendesk signs an HS256 token with the app's secure setting
 * (`shared_secret`) and puts it in `Authorization: Bearer …`. We map the `iss` claim (the account
 * subdomain) to the tenant whose `zendesk.subdomain` it is and verify with that tenant's `appSecret`.
 *
 * A token for an unknown subdomain and a token with a bad signature get the SAME 401 body, so the
 * endpoint does not reveal which subdomains are Baton tenants.
 */
import type { NextFunction, Request, Response, RequestHandler } from 'express';
import { decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import type { Config, TenantConfig } from '../config.ts';

export interface SidebarPrincipal {
  tenant: TenantConfig;
  /** The agent the token names (`sub` claim), when the app put one in. Informational only. */
  agentId?: string;
  /** The account subdomain from `iss`. */
  subdomain: string;
}

export type SidebarAuthResult =
  | { ok: true; principal: SidebarPrincipal }
  | { ok: false; code: 'missing_token' | 'invalid_token' | 'token_expired'; message: string };

const INVALID = { ok: false, code: 'invalid_token', message: 'The token is invalid, or not signed for a known account.' } as const;

/** Clock skew we accept between Zendesk's proxy and this server. */
export const CLOCK_TOLERANCE_SEC = 30;

export interface SidebarAuthOptions {
  /** Seconds since epoch; injectable for tests. */
  now?: () => number;
}

/** Builds the subdomain → tenant lookup once; only tenants with both a subdomain and an appSecret can sign in. */
export function tenantsBySubdomain(config: Readonly<Config>): ReadonlyMap<string, TenantConfig> {
  const map = new Map<string, TenantConfig>();
  for (const t of config.tenants) {
    if (t.zendesk?.subdomain && t.appSecret) map.set(t.zendesk.subdomain.toLowerCase(), t);
  }
  return map;
}

/** `acme`, `acme.zendesk.com` and `https://acme.zendesk.com` all name the subdomain `acme`. */
export function subdomainFromIss(iss: string): string {
  let s = iss.trim().toLowerCase();
  s = s.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  s = s.replace(/\.zendesk\.com$/, '');
  return s;
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(header);
  return m?.[1];
}

export async function verifySidebarToken(
  tenants: ReadonlyMap<string, TenantConfig>,
  token: string | undefined,
  opts: SidebarAuthOptions = {},
): Promise<SidebarAuthResult> {
  if (!token) return { ok: false, code: 'missing_token', message: 'Send the Zendesk-signed token as "Authorization: Bearer <jwt>".' };
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    return INVALID;
  }
  if (typeof iss !== 'string' || iss === '') return INVALID;
  const subdomain = subdomainFromIss(iss);
  const tenant = tenants.get(subdomain);
  if (!tenant?.appSecret) return INVALID;
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(tenant.appSecret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iss'],
      clockTolerance: CLOCK_TOLERANCE_SEC,
      ...(opts.now ? { currentDate: new Date(opts.now() * 1000) } : {}),
    });
    const sub = payload.sub;
    return {
      ok: true,
      principal: { tenant, subdomain, ...(typeof sub === 'string' && sub !== '' ? { agentId: sub } : {}) },
    };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return { ok: false, code: 'token_expired', message: 'The token has expired.' };
    return INVALID;
  }
}

/** Express middleware: on success `res.locals.sidebar` holds the SidebarPrincipal; otherwise 401 JSON. */
export function sidebarAuth(config: Readonly<Config>, opts: SidebarAuthOptions = {}): RequestHandler {
  const tenants = tenantsBySubdomain(config);
  return (req: Request, res: Response, next: NextFunction) => {
    verifySidebarToken(tenants, bearerToken(req.get('authorization')), opts).then(
      (result) => {
        if (result.ok) {
          res.locals.sidebar = result.principal;
          next();
          return;
        }
        res
          .status(401)
          .set('WWW-Authenticate', 'Bearer realm="baton-sidebar"')
          .set('Cache-Control', 'no-store')
          .json({ error: { code: result.code, message: result.message } });
      },
      (err: unknown) => next(err),
    );
  };
}

export function principalOf(res: Response): SidebarPrincipal {
  const p = res.locals.sidebar as SidebarPrincipal | undefined;
  if (!p) throw new Error('sidebarAuth must run before this handler');
  return p;
}
