/**
 * A small OAuth 2.0 authorization server for the sandboxes (authorization-code grant, RFC 6749 §4.1, with
 * optional PKCE S256, RFC 7636): a consent page with Allow / Deny, a token endpoint, revocation. Each sandbox
 * mounts it at its platform's paths (Zendesk: /oauth/authorizations/new + /oauth/tokens; Intercom: /oauth +
 * /auth/eagle/token) and accepts the bearer tokens it issued on its API.
 *
 * Development aid only: the consent page asks who you are (a sandbox user) instead of a login, and every
 * redirect URI on a loopback host is accepted for the built-in client (its port is only known at run time).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { escapeHtml as e } from './escape-html.ts';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; absent: any http(s) URI on 127.0.0.1 / localhost / [::1] (sandbox only). */
  redirectUris?: string[];
}

/** Who can consent on the page (the platform's users). */
export interface OAuthUser {
  id: string;
  name: string;
  role: string;
}

export interface OAuthServerOptions {
  /** Shown on the consent page, e.g. "Zendesk sandbox". */
  platform: string;
  clients: OAuthClient[];
  users: OAuthUser[];
  authorizePath: string;
  tokenPath: string;
  /** Require `code_challenge` (S256) at authorize and `code_verifier` at token when the client sends one. */
  pkce: boolean;
  /** Intercom's authorize takes no redirect_uri (the app's default is used): then this one must be given. */
  redirectUriOptional?: boolean;
  /** Token response body for an issued token (each platform's own shape). */
  tokenBody(token: string, grant: IssuedToken): Record<string, unknown>;
  /** Error body at the token endpoint. */
  tokenError?(status: number, error: string, description: string): Record<string, unknown>;
  now?: () => number;
}

export interface IssuedToken {
  clientId: string;
  user: OAuthUser;
  scope: string;
  issuedAt: number;
  revoked: boolean;
}

interface PendingCode {
  clientId: string;
  redirectUri: string | undefined;
  codeChallenge: string | undefined;
  scope: string;
  user: OAuthUser;
  expiresAt: number;
}

export interface OAuthServer {
  router: Router;
  /** The grant behind `Authorization: Bearer <token>`, when it is one this server issued and did not revoke. */
  grantOf(authorization: string | undefined): IssuedToken | undefined;
  /** Revokes one token (true if it existed). */
  revoke(token: string): boolean;
  /** Revokes every token issued so far (the admin "uninstalled the app" case); returns how many. */
  revokeAll(): number;
  /** Tokens issued so far, newest last (tests). */
  issued(): Array<{ token: string; grant: IssuedToken }>;
}

/** An authorization code lives 10 minutes at most (RFC 6749 §4.1.2 recommends a short lifetime). */
export const CODE_TTL_MS = 10 * 60_000;

function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

function isLoopbackUri(uri: string): boolean {
  try {
    const u = new URL(uri);
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** base64url(sha256(verifier)) — PKCE S256 (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * The body as a flat record, JSON or form-encoded. A host router may already have read the bytes (the Zendesk
 * sandbox reads every body raw), so a Buffer is parsed here; an object parsed by the host is taken as is.
 */
function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (Buffer.isBuffer(b)) {
    const text = b.toString('utf8');
    if (/json/i.test(req.headers['content-type'] ?? '')) {
      try {
        const parsed: unknown = JSON.parse(text);
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      } catch {
        return {};
      }
    }
    return Object.fromEntries(new URLSearchParams(text));
  }
  return typeof b === 'object' && b !== null ? (b as Record<string, unknown>) : {};
}

const readBody = [express.json({ limit: '16kb' }), express.urlencoded({ extended: false, limit: '16kb' }), express.raw({ type: () => true, limit: '16kb' })];

function one(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const now = options.now ?? Date.now;
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, IssuedToken>();
  const order: string[] = [];
  const tokenError = options.tokenError ?? ((_s, error, description) => ({ error, error_description: description }));
  const clientOf = (id: string | undefined): OAuthClient | undefined => (id ? options.clients.find((c) => c.clientId === id) : undefined);
  const redirectAllowed = (client: OAuthClient, uri: string): boolean =>
    client.redirectUris ? client.redirectUris.includes(uri) : isLoopbackUri(uri);

  const router = express.Router();
  const page = (res: Response, status: number, title: string, body: string): void => {
    res
      .status(status)
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title>` +
          `<style>body{font:15px system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#2f3941}` +
          `button{font:inherit;padding:.5rem 1.2rem;margin-right:.6rem;border-radius:4px;border:1px solid #1f73b7}` +
          `button[value=allow]{background:#1f73b7;color:#fff}</style></head><body><main>${body}</main></body></html>`,
      );
  };

  /** Checks the authorize parameters (GET shows the page, POST decides); a bad client or redirect never redirects. */
  function readAuthorize(q: Record<string, unknown>): { ok: true; client: OAuthClient; redirectUri?: string; state?: string; scope: string; challenge?: string } | { ok: false; problem: string } {
    const client = clientOf(one(q.client_id));
    if (!client) return { ok: false, problem: 'Unknown client_id.' };
    const redirectUri = one(q.redirect_uri) ?? (options.redirectUriOptional ? client.redirectUris?.[0] : undefined);
    if (!redirectUri) return { ok: false, problem: 'redirect_uri is required.' };
    if (!redirectAllowed(client, redirectUri)) return { ok: false, problem: 'redirect_uri is not registered for this client.' };
    if (!options.redirectUriOptional && one(q.response_type) !== 'code') return { ok: false, problem: 'response_type must be "code".' };
    const challenge = one(q.code_challenge);
    if (challenge !== undefined) {
      if (!options.pkce) return { ok: false, problem: 'This platform does not take code_challenge.' };
      if (one(q.code_challenge_method) !== 'S256') return { ok: false, problem: 'code_challenge_method must be S256.' };
      if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return { ok: false, problem: 'code_challenge must be base64url of a SHA-256.' };
    }
    const state = one(q.state);
    return { ok: true, client, redirectUri, scope: one(q.scope) ?? '', ...(state !== undefined ? { state } : {}), ...(challenge ? { challenge } : {}) };
  }

  function back(redirectUri: string, params: Record<string, string | undefined>): string {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  router.get(options.authorizePath, (req: Request, res: Response) => {
    const a = readAuthorize(req.query);
    if (!a.ok) return page(res, 400, 'Cannot authorize', `<h1>Cannot authorize</h1><p>${e(a.problem)}</p>`);
    const hidden = ['client_id', 'redirect_uri', 'response_type', 'state', 'scope', 'code_challenge', 'code_challenge_method']
      .map((k) => (one(req.query[k]) !== undefined ? `<input type="hidden" name="${k}" value="${e(one(req.query[k]))}">` : ''))
      .join('');
    const users = options.users.map((u, i) => `<option value="${e(u.id)}"${i === 0 ? ' selected' : ''}>${e(u.name)} (${e(u.role)})</option>`).join('');
    const scopes = a.scope ? `<p>It asks for: <code>${e(a.scope)}</code></p>` : '';
    page(
      res,
      200,
      `Authorize Baton — ${options.platform}`,
      `<h1>Allow Baton to access your ${e(options.platform)} account?</h1>${scopes}` +
        `<form method="post" action="${e(req.baseUrl + options.authorizePath)}">${hidden}` +
        `<p><label>Signed in as <select name="user_id">${users}</select></label></p>` +
        `<button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
    );
  });

  router.post(options.authorizePath, ...readBody, (req: Request, res: Response) => {
    const body = bodyOf(req);
    const a = readAuthorize(body);
    if (!a.ok || !a.redirectUri) return page(res, 400, 'Cannot authorize', `<h1>Cannot authorize</h1><p>${e(a.ok ? 'redirect_uri is required.' : a.problem)}</p>`);
    if (one(body.decision) !== 'allow')
      return void res.redirect(302, back(a.redirectUri, { error: 'access_denied', error_description: 'The end-user or authorization server denied the request.', state: a.state }));
    const user = options.users.find((u) => u.id === one(body.user_id)) ?? options.users[0];
    if (!user) return page(res, 400, 'Cannot authorize', '<h1>No user to sign in as</h1>');
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { clientId: a.client.clientId, redirectUri: one(body.redirect_uri), codeChallenge: a.challenge, scope: a.scope, user, expiresAt: now() + CODE_TTL_MS });
    res.redirect(302, back(a.redirectUri, { code, state: a.state }));
  });

  // Token endpoint: JSON or form bodies (both platforms document JSON; form is the RFC's).
  router.post(options.tokenPath, ...readBody, (req: Request, res: Response) => {
    const b = bodyOf(req);
    const fail = (status: number, error: string, description: string): void => void res.status(status).json(tokenError(status, error, description));
    if (!options.redirectUriOptional && one(b.grant_type) !== 'authorization_code') return fail(400, 'unsupported_grant_type', 'grant_type must be authorization_code');
    const client = clientOf(one(b.client_id));
    const secret = one(b.client_secret);
    if (!client || secret === undefined || !safeEqual(secret, client.clientSecret)) return fail(401, 'invalid_client', 'Client authentication failed');
    const code = one(b.code);
    const pending = code ? codes.get(code) : undefined;
    // Single use: a code is gone after its first exchange, successful or not (RFC 6749 §4.1.2).
    if (code) codes.delete(code);
    if (!pending || pending.expiresAt <= now() || pending.clientId !== client.clientId) return fail(400, 'invalid_grant', 'The authorization code is invalid, expired or already used');
    // RFC 6749 §4.1.3: the same redirect_uri as at authorize. Intercom's token request carries none (redirectUriOptional).
    if (!options.redirectUriOptional && pending.redirectUri !== undefined && one(b.redirect_uri) !== pending.redirectUri) return fail(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
    if (pending.codeChallenge !== undefined) {
      const verifier = one(b.code_verifier);
      if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !safeEqual(s256(verifier), pending.codeChallenge))
        return fail(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const token = randomBytes(32).toString('hex');
    const grant: IssuedToken = { clientId: client.clientId, user: pending.user, scope: pending.scope, issuedAt: now(), revoked: false };
    tokens.set(token, grant);
    order.push(token);
    res.status(200).set('Cache-Control', 'no-store').json(options.tokenBody(token, grant));
  });

  return {
    router,
    grantOf(authorization) {
      const m = /^Bearer\s+([A-Za-z0-9]{64})\s*$/i.exec(authorization ?? '');
      const grant = m ? tokens.get(m[1] as string) : undefined;
      return grant && !grant.revoked ? grant : undefined;
    },
    revoke(token) {
      const grant = tokens.get(token);
      if (grant) grant.revoked = true;
      return grant !== undefined;
    },
    revokeAll() {
      let n = 0;
      for (const g of tokens.values()) {
        if (g.revoked) continue;
        g.revoked = true;
        n++;
      }
      return n;
    },
    issued: () => order.map((token) => ({ token, grant: tokens.get(token) as IssuedToken })),
  };
}
