/**
 * Auth for the Zendesk sidebar. The app calls us through Zendesk's request proxy with
 * `secure: true` + a `jwt` option, so Zendesk signs an HS256 token with the app's secure setting
 * (`shared_secret`) and puts it in `Authorization: Bearer …`. We map the `iss` claim (the account
 * subdomain) to the tenant whose `zendesk.subdomain` it is and verify with that tenant's `appSecret`.
 *
 * What a valid token proves: the request came through this app's installation (only Zendesk's proxy knows
 * the secret). What it does NOT prove: the claims. Zendesk signs whatever claims the app's browser code
 * sends (zendesk/zendesk_app_framework_sdk#206), so `sub` (the agent) and `ticket_id` are the browser's word.
 * So the token is only a short-lived ticket pass: `iat` and `exp` required, at most TOKEN_MAX_LIFETIME_SEC
 * apart, `iat` at most IAT_MAX_FUTURE_SEC ahead, and bound to the route's ticket (`ticket_id` claim, 403 on
 * mismatch); the agent it names is then checked against Zendesk (sidebar-access.ts). docs/sidebar.md,
 * "Threat model", says what remains.
 *
 * A token for an unknown subdomain and a token with a bad signature get the SAME 401 body, so the
 * endpoint does not reveal which subdomains are Baton tenants.
 */
import type { NextFunction, Request, Response, RequestHandler } from 'express';
import { decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import type { Config, TenantConfig } from '../../../config.ts';
import { sendError, type ErrorCode } from '../../../http/errors.ts';
import { looksLikeSession, verifySession, type SidebarSessionKey } from './sidebar-session.ts';
import { zendeskConfigOf } from '../zendesk-config.ts';
import { tenantIndex } from '../../../tenants/tenant-index.ts';

export interface SidebarPrincipal {
  /**
   * `proxy`: the HS256 token Zendesk's request proxy signed with the app's shared secret (claims written by
   * the browser). `session`: Baton's session started from a Zendesk-signed RS256 token (sidebar-session.ts):
   * the agent id is Zendesk's word, nothing the browser sends can change it.
   */
  kind: 'proxy' | 'session';
  tenant: TenantConfig;
  /**
   * The agent: for `proxy` the token's `sub`, written by the browser; for `session` the user Zendesk signed
   * for. Either way handlers use it only after sidebar-access.ts has checked it with Zendesk
   * (res.locals.sidebarAgent holds the checked id).
   */
  claimedAgentId: string;
  /** The ticket a proxy token was issued for (`ticket_id` claim); a session is not bound to one ticket. */
  ticketId?: number;
  /** The account subdomain. */
  subdomain: string;
}

export type SidebarAuthResult =
  | { ok: true; principal: SidebarPrincipal }
  | { ok: false; code: Extract<ErrorCode, 'missing_token' | 'invalid_token' | 'token_expired'>; message: string };

const INVALID = { ok: false, code: 'invalid_token', message: 'The token is invalid, or not signed for a known account.' } as const;

/** Clock skew we accept between Zendesk's proxy and this server (for `exp`). */
export const CLOCK_TOLERANCE_SEC = 30;
/** Longest `exp - iat` we accept: the app asks for 300 s (app/src/api.ts). */
export const TOKEN_MAX_LIFETIME_SEC = 300;
/** How far in the future `iat` may be (clock skew), in seconds. */
export const IAT_MAX_FUTURE_SEC = 60;

export interface SidebarAuthOptions {
  /** Seconds since epoch; injectable for tests. */
  now?: () => number;
  /** The key of Baton's sidebar sessions (signed-URL mode); without it only proxy tokens are accepted. */
  sessionKey?: SidebarSessionKey;
  /** The TenantRegistry (tenants at run time); default the config's file tenants. */
  tenants?: ReadonlyMap<string, TenantConfig>;
}

/**
 * The subdomain → tenant lookup; only tenants with both a subdomain and an appSecret can sign in. Given the
 * TenantRegistry it follows tenants added and removed at run time (server/tenants/tenant-index.ts).
 */
export function tenantsBySubdomain(source: Readonly<Config> | ReadonlyMap<string, TenantConfig>): ReadonlyMap<string, TenantConfig> {
  return tenantIndex('get' in source ? source : source.tenants, (t) => (t.appSecret ? zendeskConfigOf(t)?.subdomain.toLowerCase() : undefined));
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

/** A positive safe integer from a number or a decimal string claim. */
function idClaim(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
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
  const now = opts.now ? opts.now() : Math.floor(Date.now() / 1000);
  let payload;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(tenant.appSecret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'iss'],
      clockTolerance: CLOCK_TOLERANCE_SEC,
      currentDate: new Date(now * 1000),
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return { ok: false, code: 'token_expired', message: 'The token has expired.' };
    return INVALID;
  }
  const { iat, exp } = payload as { iat: number; exp: number };
  // A signed token is still browser-made: cap how long it lives and how far ahead it may claim to be issued.
  if (iat > now + IAT_MAX_FUTURE_SEC) return { ok: false, code: 'invalid_token', message: `The token's iat is more than ${IAT_MAX_FUTURE_SEC} s in the future.` };
  if (exp - iat > TOKEN_MAX_LIFETIME_SEC) return { ok: false, code: 'invalid_token', message: `The token lives longer than ${TOKEN_MAX_LIFETIME_SEC} s (exp - iat).` };
  const agent = idClaim(payload.sub);
  if (agent === undefined) return { ok: false, code: 'invalid_token', message: 'The token must name the Zendesk user in "sub".' };
  const ticketId = idClaim(payload.ticket_id);
  if (ticketId === undefined) return { ok: false, code: 'invalid_token', message: 'The token must name the ticket in "ticket_id".' };
  return { ok: true, principal: { kind: 'proxy', tenant, subdomain, claimedAgentId: String(agent), ticketId } };
}

/** Express middleware: on success `res.locals.sidebar` holds the SidebarPrincipal; otherwise 401 JSON. */
export function sidebarAuth(config: Readonly<Config>, opts: SidebarAuthOptions = {}): RequestHandler {
  const tenants = tenantsBySubdomain(opts.tenants ?? config);
  const verify = async (token: string | undefined): Promise<SidebarAuthResult> => {
    // A Baton session is checked as one and only as one: no falling back to the proxy-token rules.
    if (token && opts.sessionKey && looksLikeSession(token)) {
      const r = await verifySession(opts.sessionKey, opts.tenants ?? config, token, opts.now ? opts.now() : undefined);
      if (!r.ok) return r;
      const { tenant, userId } = r.session;
      return { ok: true, principal: { kind: 'session', tenant, subdomain: zendeskConfigOf(tenant)?.subdomain ?? '', claimedAgentId: userId } };
    }
    return verifySidebarToken(tenants, token, opts);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    verify(bearerToken(req.get('authorization'))).then(
      (result) => {
        if (result.ok) {
          res.locals.sidebar = result.principal;
          next();
          return;
        }
        res.set('WWW-Authenticate', 'Bearer realm="baton-sidebar"').set('Cache-Control', 'no-store');
        sendError(res, result.code, result.message);
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
