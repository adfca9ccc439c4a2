/**
 * Baton's own sidebar session, started from a verified Zendesk-signed token (zaf-signed-token.ts) and
 * embedded in the sidebar page Baton serves. An HS256 JWT signed with a key only this server holds (never a
 * tenant's appSecret): `sub` = the Zendesk user Zendesk vouched for, `tid` = the tenant, `auth_time` = when
 * Zendesk vouched; SESSION_TTL_SEC long, renewable while valid (POST /zendesk/session) up to
 * SESSION_MAX_AGE_SEC after `auth_time`; after that the app must be reloaded (Zendesk POSTs a new token).
 *
 * The key is `<dataDir>/sidebar-session.key` (32 random bytes, mode 0600, made on first start), so sessions
 * survive a restart; tests pass a key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Config, TenantConfig } from '../../../config.ts';
import { zendeskConfigOf } from '../zendesk-config.ts';

export const SESSION_ISSUER = 'baton';
export const SESSION_AUDIENCE = 'baton-sidebar';
export const SESSION_TYP = 'baton-session+jwt';
export const SESSION_TTL_SEC = 3600;
export const SESSION_MAX_AGE_SEC = 12 * 3600;

export interface SidebarSessionKey {
  key: Uint8Array;
}

export interface SessionClaims {
  tenant: TenantConfig;
  userId: string;
  authTime: number;
}

export function loadOrCreateSessionKey(dataDir: string): SidebarSessionKey {
  const path = join(dataDir, 'sidebar-session.key');
  if (existsSync(path)) {
    const raw = readFileSync(path);
    if (raw.length >= 32) return { key: new Uint8Array(raw) };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key, { mode: 0o600 });
  return { key: new Uint8Array(key) };
}

export function randomSessionKey(): SidebarSessionKey {
  return { key: new Uint8Array(randomBytes(32)) };
}

export async function issueSession(
  k: SidebarSessionKey,
  claims: { tenantId: string; userId: string; authTime: number },
  now = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = now + SESSION_TTL_SEC;
  const token = await new SignJWT({ tid: claims.tenantId, auth_time: claims.authTime })
    .setProtectedHeader({ alg: 'HS256', typ: SESSION_TYP })
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(k.key);
  return { token, expiresAt };
}

/** True when a bearer token claims to be a Baton session (then only the session check applies, no fallback). */
export function looksLikeSession(token: string): boolean {
  try {
    const p = decodeJwt(token);
    return p.iss === SESSION_ISSUER && (p.aud === SESSION_AUDIENCE || (Array.isArray(p.aud) && p.aud.includes(SESSION_AUDIENCE)));
  } catch {
    return false;
  }
}

export type SessionResult = { ok: true; session: SessionClaims } | { ok: false; code: 'invalid_token' | 'token_expired'; message: string };

export async function verifySession(
  k: SidebarSessionKey,
  /** The tenants: the live TenantRegistry (tenants added at run time), or a config's file tenants. */
  config: Readonly<Config> | ReadonlyMap<string, TenantConfig>,
  token: string,
  now = Math.floor(Date.now() / 1000),
): Promise<SessionResult> {
  const invalid = { ok: false, code: 'invalid_token', message: 'The Baton session is invalid.' } as const;
  let payload;
  try {
    ({ payload } = await jwtVerify(token, k.key, {
      algorithms: ['HS256'],
      typ: SESSION_TYP,
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: new Date(now * 1000),
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return { ok: false, code: 'token_expired', message: 'The Baton session has expired: reload the app.' };
    return invalid;
  }
  const tenant = 'get' in config ? (typeof payload.tid === 'string' ? config.get(payload.tid) : undefined) : config.tenants.find((t) => t.id === payload.tid);
  const userId = typeof payload.sub === 'string' && /^[1-9][0-9]{0,15}$/.test(payload.sub) ? payload.sub : undefined;
  const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : undefined;
  if (!tenant || !zendeskConfigOf(tenant) || !userId || authTime === undefined) return invalid;
  return { ok: true, session: { tenant, userId, authTime } };
}
