/**
 * One-time connect links: who may start a Connect flow. An operator with the admin token mints one
 * (`POST /v1/admin/connect-links`, or `mintConnectLink` from the CLI on the host) and hands it to the helpdesk
 * admin; a stranger without a link cannot start a flow, so cannot create tenants.
 *
 * Stateless so the CLI (another process) and every replica can mint and check them: `<payload>.<mac>`, the
 * payload base64url JSON `{h: helpdesk, t?: tenantId, a?: account, n: nonce, e: expiry ms}`, the mac
 * HMAC-SHA256 under a key derived from the admin token (compared in constant time). Single use per process: a
 * used nonce is remembered until the link expires (across replicas a link could be used once per replica
 * within its lifetime; it still only ever connects the helpdesk account whose admin consents).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CONNECT_LINK_TTL_MS = 24 * 60 * 60_000;

export interface ConnectLinkClaims {
  helpdesk: string;
  /** Connect into this existing tenant (add a helpdesk, or re-connect after a revocation). */
  tenantId?: string;
  /** Only this account (e.g. the Zendesk subdomain). */
  account?: string;
  nonce: string;
  expiresAt: number;
}

function keyFrom(adminToken: string): Buffer {
  return createHmac('sha256', 'baton-connect-link-v1').update(adminToken).digest();
}

export function mintConnectLinkToken(adminToken: string, claims: Omit<ConnectLinkClaims, 'nonce' | 'expiresAt'>, now = Date.now(), ttlMs = CONNECT_LINK_TTL_MS): { token: string; claims: ConnectLinkClaims } {
  const full: ConnectLinkClaims = { ...claims, nonce: randomBytes(16).toString('base64url'), expiresAt: now + ttlMs };
  const payload = Buffer.from(JSON.stringify({ h: full.helpdesk, t: full.tenantId, a: full.account, n: full.nonce, e: full.expiresAt })).toString('base64url');
  const mac = createHmac('sha256', keyFrom(adminToken)).update(payload).digest('base64url');
  return { token: `${payload}.${mac}`, claims: full };
}

/** The URL an admin opens: `${publicUrl}/connect/<helpdesk>?link=…` (plus the account parameter when fixed). */
export function connectLinkUrl(publicUrl: string, token: string, claims: ConnectLinkClaims, accountParam?: string): string {
  const u = new URL(`${publicUrl}/connect/${claims.helpdesk}`);
  if (claims.account && accountParam) u.searchParams.set(accountParam, claims.account);
  u.searchParams.set('link', token);
  return u.toString();
}

export function mintConnectLink(opts: { adminToken: string; publicUrl: string; helpdesk: string; tenantId?: string; account?: string; accountParam?: string; now?: number }): { url: string; expiresAt: number } {
  const { token, claims } = mintConnectLinkToken(
    opts.adminToken,
    { helpdesk: opts.helpdesk, ...(opts.tenantId ? { tenantId: opts.tenantId } : {}), ...(opts.account ? { account: opts.account } : {}) },
    opts.now,
  );
  return { url: connectLinkUrl(opts.publicUrl, token, claims, opts.accountParam), expiresAt: claims.expiresAt };
}

/** The claims of a valid, unexpired link, else undefined (bad shape, bad mac, expired). */
export function verifyConnectLinkToken(adminToken: string, token: string, now = Date.now()): ConnectLinkClaims | undefined {
  if (token.length > 2048) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const want = createHmac('sha256', keyFrom(adminToken)).update(payload).digest();
  if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw.h !== 'string' || typeof raw.n !== 'string' || typeof raw.e !== 'number' || raw.e <= now) return undefined;
  return {
    helpdesk: raw.h,
    nonce: raw.n,
    expiresAt: raw.e,
    ...(typeof raw.t === 'string' ? { tenantId: raw.t } : {}),
    ...(typeof raw.a === 'string' ? { account: raw.a } : {}),
  };
}

/** Remembers used nonces until their link expires (single use within this process). */
export class UsedNonces {
  private readonly used = new Map<string, number>();
  /** True the first time a nonce is taken, false after. */
  take(nonce: string, expiresAt: number, now = Date.now()): boolean {
    for (const [n, exp] of this.used) if (exp <= now) this.used.delete(n);
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, expiresAt);
    return true;
  }
}
