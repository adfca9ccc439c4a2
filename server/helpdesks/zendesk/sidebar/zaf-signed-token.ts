/**
 * The Zendesk-signed statement of the user: ZAF signed URLs. With `"signedUrls": true` in the manifest and a
 * location `url` served by Baton (`https://<baton>/zendesk/sidebar`), Zendesk POSTs the first load of the
 * location with a form field `token`: a JWT signed RS256 by Zendesk with the app's key, whose public half is
 * `GET /api/v2/apps/{app_id}/public_key.pem`; `iss` is the account (`<subdomain>.zendesk.com`), `aud` the
 * app installation (`https://<subdomain>.zendesk.com/api/v2/apps/installations/<installation id>.json`), `sub`
 * the signed-in user ("Building a server-side app - Part 5: Securing the app", "Authenticating Zendesk in your
 * server-side app", developer.zendesk.com). Unlike the proxy's HS256 token (sidebar-auth.ts) no browser code
 * writes these claims, so the user id is Zendesk's word.
 *
 * Checks: RS256 only (HS256, `none` and every other alg refused before any key is used); `iss` names a tenant
 * with `zendesk.appId` and `zendesk.appInstallationId`; signature with that tenant's app key (config PEM, or
 * fetched with the tenant's API credentials and cached); `aud` = that tenant's installation; `exp` and `iat`
 * required, CLOCK_SKEW_SEC tolerance, lifetime ≤ MAX_LIFETIME_SEC; `sub` a user id. Every failure is the
 * same answer to the caller (no telling which accounts are tenants); the reason goes to the log only.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { Config, TenantConfig } from '../../../config.ts';
import { authorizationHeader } from '../client.ts';
import { subdomainFromIss } from './sidebar-auth.ts';
import { zendeskConfigOf } from '../zendesk-config.ts';
import { trimTrailingSlashes } from '../../../util/trim-trailing-slashes.ts';
import { tenantIndex } from '../../../tenants/tenant-index.ts';

export const CLOCK_SKEW_SEC = 30;
/** Zendesk's tokens are short-lived; refuse one claiming to live longer than this. */
export const MAX_LIFETIME_SEC = 3600;
export const KEY_CACHE_MS = 60 * 60_000;
const KEY_FAILURE_CACHE_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

export type ZafTokenResult =
  | { ok: true; tenant: TenantConfig; userId: string }
  | { ok: false; status: 401 | 503; reason: string };

export interface PublicKeySource {
  keyFor(tenant: TenantConfig): Promise<KeyObject | undefined>;
}

export function zafAudienceFor(tenant: TenantConfig): string | undefined {
  const z = zendeskConfigOf(tenant);
  if (!z?.appInstallationId) return undefined;
  return `https://${z.subdomain}.zendesk.com/api/v2/apps/installations/${z.appInstallationId}.json`;
}

/** The tenants that can take a signed-URL token, by subdomain (live when given the TenantRegistry). */
export function signedUrlTenants(source: Readonly<Config> | ReadonlyMap<string, TenantConfig>): ReadonlyMap<string, TenantConfig> {
  return tenantIndex('get' in source ? source : source.tenants, (t) => {
    const z = zendeskConfigOf(t);
    return z?.appId && z.appInstallationId ? z.subdomain.toLowerCase() : undefined;
  });
}

/**
 * The app's public key per tenant: `zendesk.appPublicKey` when configured, otherwise
 * `GET {baseUrl}/api/v2/apps/{appId}/public_key.pem` with the tenant's credentials, cached KEY_CACHE_MS
 * (a failed fetch is remembered KEY_FAILURE_CACHE_MS, so bad tokens cannot make Baton hammer Zendesk).
 */
export function createPublicKeySource(
  opts: { fetchImpl?: typeof fetch; now?: () => number; baseUrlFor?: (tenant: TenantConfig) => string | undefined } = {},
): PublicKeySource {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { key: Promise<KeyObject | undefined>; until: number }>();
  async function load(tenant: TenantConfig): Promise<KeyObject | undefined> {
    const z = zendeskConfigOf(tenant);
    if (!z?.appId) return undefined;
    if (z.appPublicKey) return createPublicKey(z.appPublicKey);
    const base = trimTrailingSlashes(opts.baseUrlFor?.(tenant) ?? z.baseUrl ?? `https://${z.subdomain}.zendesk.com`);
    const res = await fetchImpl(`${base}/api/v2/apps/${z.appId}/public_key.pem`, {
      headers: { Authorization: authorizationHeader(z) },
      redirect: 'manual',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`public key: status ${res.status}`);
    return createPublicKey(await res.text());
  }
  return {
    keyFor(tenant) {
      const t = now();
      const hit = cache.get(tenant.id);
      if (hit && hit.until > t) return hit.key;
      const key = load(tenant);
      cache.set(tenant.id, { key, until: t + KEY_CACHE_MS });
      key.catch(() => cache.set(tenant.id, { key, until: t + KEY_FAILURE_CACHE_MS }));
      return key;
    },
  };
}

/** A positive decimal user id (string or number claim). */
function userIdClaim(v: unknown): string | undefined {
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v : '';
  return /^[1-9][0-9]{0,15}$/.test(s) ? s : undefined;
}

export async function verifyZafToken(
  tenants: ReadonlyMap<string, TenantConfig>,
  keys: PublicKeySource,
  token: string | undefined,
  opts: { now?: () => number } = {},
): Promise<ZafTokenResult> {
  const bad = (reason: string): ZafTokenResult => ({ ok: false, status: 401, reason });
  if (!token || token.length > 8192) return bad('no token');
  let iss: unknown;
  try {
    if (decodeProtectedHeader(token).alg !== 'RS256') return bad('alg is not RS256');
    iss = decodeJwt(token).iss;
  } catch {
    return bad('not a JWT');
  }
  if (typeof iss !== 'string' || iss === '') return bad('no iss');
  const tenant = tenants.get(subdomainFromIss(iss));
  const audience = tenant && zafAudienceFor(tenant);
  if (!tenant || !audience) return bad('unknown account');
  let key: KeyObject | undefined;
  try {
    key = await keys.keyFor(tenant);
  } catch {
    return { ok: false, status: 503, reason: 'public key unavailable' };
  }
  if (!key) return bad('no key');
  const now = opts.now ? opts.now() : Math.floor(Date.now() / 1000);
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['RS256'],
      audience,
      requiredClaims: ['iss', 'aud', 'exp', 'iat'],
      clockTolerance: CLOCK_SKEW_SEC,
      currentDate: new Date(now * 1000),
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return bad('expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed) return bad(`claim ${err.claim}: ${err.reason}`);
    return bad('signature');
  }
  const { iat, exp } = payload as { iat: number; exp: number };
  if (iat > now + CLOCK_SKEW_SEC) return bad('iat in the future');
  if (exp - iat > MAX_LIFETIME_SEC) return bad('lifetime too long');
  const userId = userIdClaim(payload.sub);
  if (!userId) return bad('no user in sub');
  return { ok: true, tenant, userId };
}
