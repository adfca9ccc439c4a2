/**
 * "Connect <helpdesk>" (issue 13): the OAuth authorization-code flow that creates or re-connects a tenant.
 *
 *   POST /v1/admin/connect-links {helpdesk, tenantId?, account?}  admin bearer → 201 {url, expiresAt}
 *   GET  /connect/:helpdesk?link=…[&subdomain=…]  → 302 to the helpdesk's consent page (state + PKCE)
 *   GET  /connect/:helpdesk/callback?code&state   → 201 "Connected" (webhook URL + secrets, shown once) | 200 re-connected
 *
 * Who may start: the holder of a one-time link an operator minted with the admin token (connect-links.ts); in
 * sandbox mode, anyone on this machine (loopback); with BATON_CONNECT_SELF_SERVICE=1 (a Marketplace deployment
 * serving any account), anyone — the callback's admin check then is what keeps strangers out of other accounts. The callback trusts nothing the browser says: the
 * `state` must equal the one stored for the HttpOnly session cookie this browser got at the start, the code is
 * exchanged server-side with the client secret (and PKCE verifier), and the helpdesk itself must say the
 * consenting user is an admin of the account. Any failure → a 4xx page naming the problem, no tenant touched.
 */
import { createHash } from 'node:crypto';
import { sameSecret } from './admin-bearer.ts';
import express, { type Request, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { TenantRegistry } from '../tenants/tenant-registry.ts';
import { TENANT_ID_PATTERN, TenantError } from '../tenants/tenant-registry.ts';
import { OAuthExchangeError, type HelpdeskOAuth, type OAuthClientCredentials } from './helpdesk-oauth.ts';
import { ConnectSessions, randomToken } from './connect-sessions.ts';
import { UsedNonces, mintConnectLink, verifyConnectLinkToken } from './connect-links.ts';
import { sendConnectError, sendConnectResult } from './connect-pages.ts';
import { sendError } from '../http/errors.ts';

export const CONNECT_COOKIE = 'baton_connect';

export interface ConnectRouterDeps {
  config: Pick<Readonly<Config>, 'adminToken' | 'sandbox'> & { worker?: { requestTimeoutMs?: number } };
  tenants: Pick<TenantRegistry, 'get' | 'create' | 'connectHelpdesk'>;
  /** Helpdesk name → its OAuth (HelpdeskModule.oauth). */
  providers: ReadonlyMap<string, HelpdeskOAuth>;
  logger: Logger;
  ownBaseUrl(): string | undefined;
  /** BATON_PUBLIC_URL: where browsers reach Baton (redirect URI, links); default ownBaseUrl(). */
  publicUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the helpdesk's OAuth lives, overriding the real host (sandbox mode; tests with a sandbox on a port). */
  helpdeskBaseUrl?(helpdesk: string): string | undefined;
  now?: () => number;
  /** Notified after a tenant is created or re-connected (e.g. alerts, worker wake-up). */
  onConnected?(tenantId: string, helpdesk: string): void;
}


function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function isLoopback(req: Request): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

function one(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A tenant id for a newly connected account: the account itself when it fits, else `<helpdesk>-<account>`. */
export function tenantIdFor(helpdesk: string, account: string): string {
  const a = account.toLowerCase();
  if (TENANT_ID_PATTERN.test(a)) return a;
  const cleaned = `${helpdesk}-${a.replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);
  return TENANT_ID_PATTERN.test(cleaned) ? cleaned : `${helpdesk}-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
}

export function connectRouter(deps: ConnectRouterDeps): Router {
  const env = deps.env ?? process.env;
  const now = deps.now ?? Date.now;
  const sessions = new ConnectSessions(now);
  const used = new UsedNonces();
  const timeoutMs = deps.config.worker?.requestTimeoutMs ?? 10_000;
  const publicUrl = (): string | undefined => deps.publicUrl ?? deps.ownBaseUrl();

  /** The global client: env, else (sandbox mode) the sandbox's own client; undefined → this helpdesk cannot connect. */
  function clientOf(oauth: HelpdeskOAuth): { client: OAuthClientCredentials; sandbox: boolean } | undefined {
    const id = env[oauth.clientEnv.id];
    const secret = env[oauth.clientEnv.secret];
    if (id && secret) return { client: { clientId: id, clientSecret: secret }, sandbox: false };
    return deps.config.sandbox ? { client: oauth.sandboxClient, sandbox: true } : undefined;
  }
  function baseUrlOf(helpdesk: string, oauth: HelpdeskOAuth, sandbox: boolean): string | undefined {
    const override = deps.helpdeskBaseUrl?.(helpdesk);
    if (override) return override;
    const own = deps.ownBaseUrl();
    return sandbox && own ? oauth.sandboxBaseUrl(own) : undefined;
  }

  const router = express.Router();

  router.post('/v1/admin/connect-links', express.json({ limit: '4kb' }), (req, res) => {
    const token = deps.config.adminToken;
    if (!token) return sendError(res, 'admin_disabled');
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !sameSecret(given, token)) return sendError(res, 'unauthorized');
    const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const helpdesk = one(b.helpdesk);
    const oauth = helpdesk ? deps.providers.get(helpdesk) : undefined;
    if (!helpdesk || !oauth) return sendError(res, 'invalid_body', `"helpdesk" must be one of ${[...deps.providers.keys()].join(', ')}`);
    const tenantId = one(b.tenantId);
    if (tenantId !== undefined && !deps.tenants.get(tenantId)) return sendError(res, 'tenant_not_found', `No tenant ${tenantId}`);
    const rawAccount = one(b.account);
    const account = rawAccount !== undefined ? oauth.parseAccount?.(rawAccount) : undefined;
    if (rawAccount !== undefined && !account) return sendError(res, 'invalid_account', `"account" is not a valid ${helpdesk} account`);
    const base = publicUrl();
    if (!base) return sendError(res, 'public_url_unknown');
    const link = mintConnectLink({ adminToken: token, publicUrl: base, helpdesk, ...(tenantId ? { tenantId } : {}), ...(account ? { account } : {}), ...(oauth.accountParam ? { accountParam: oauth.accountParam } : {}), now: now() });
    res.status(201).set('Cache-Control', 'no-store').json(link);
  });

  router.get('/connect/:helpdesk', (req, res) => {
    const helpdesk = req.params.helpdesk;
    const oauth = deps.providers.get(helpdesk);
    if (!oauth) return sendConnectError(req, res, 'not_found', `Baton cannot connect "${helpdesk}"`);
    const creds = clientOf(oauth);
    if (!creds) return sendConnectError(req, res, 'connect_unavailable', `Connecting ${helpdesk} is off: set ${oauth.clientEnv.id} and ${oauth.clientEnv.secret}`);

    // Who may start: a valid one-time link, or sandbox mode on this machine.
    const linkParam = one(req.query.link);
    let link = linkParam && deps.config.adminToken ? verifyConnectLinkToken(deps.config.adminToken, linkParam, now()) : undefined;
    if (link && link.helpdesk !== helpdesk) link = undefined;
    // BATON_CONNECT_SELF_SERVICE=1: any admin of a helpdesk account may connect it (the consent check below still holds).
    const selfService = env.BATON_CONNECT_SELF_SERVICE === '1';
    if (!link && !selfService && !(deps.config.sandbox && isLoopback(req)))
      return sendConnectError(req, res, 'connect_link_invalid', 'This connect link is missing, invalid or expired. Ask your Baton operator for a new one.');

    let account: string | undefined;
    if (oauth.accountParam) {
      const raw = one(req.query[oauth.accountParam]) ?? link?.account ?? (creds.sandbox ? oauth.sandboxAccount : undefined);
      account = raw !== undefined ? oauth.parseAccount?.(raw) : undefined;
      if (!account) return sendConnectError(req, res, 'invalid_account', `Give your ${helpdesk} account as "${oauth.accountParam}" (letters, digits and hyphens).`);
      if (link?.account && link.account !== account) return sendConnectError(req, res, 'connect_link_invalid', `This connect link is for ${helpdesk} account "${link.account}".`);
    }
    if (link && !used.take(link.nonce, link.expiresAt, now()))
      return sendConnectError(req, res, 'connect_link_invalid', 'This connect link was already used. Ask your Baton operator for a new one.');

    const base = publicUrl();
    if (!base) return sendConnectError(req, res, 'public_url_unknown');
    const redirectUri = `${base}/connect/${helpdesk}/callback`;
    const state = randomToken();
    const codeVerifier = oauth.pkce ? randomToken(48) : undefined;
    const id = sessions.start({ helpdesk, state, redirectUri, ...(codeVerifier ? { codeVerifier } : {}), ...(account ? { account } : {}), ...(link?.tenantId ? { tenantId: link.tenantId } : {}) });
    const baseUrl = baseUrlOf(helpdesk, oauth, creds.sandbox);
    const location = oauth.authorizeUrl({
      client: creds.client,
      redirectUri,
      state,
      ...(account ? { account } : {}),
      ...(codeVerifier ? { codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') } : {}),
      ...(baseUrl ? { baseUrl } : {}),
    });
    res.cookie(CONNECT_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure: base.startsWith('https:'), path: '/connect', maxAge: 10 * 60_000 });
    res.set('Cache-Control', 'no-store').redirect(302, location);
  });

  router.get('/connect/:helpdesk/callback', async (req, res) => {
    const helpdesk = req.params.helpdesk;
    const oauth = deps.providers.get(helpdesk);
    if (!oauth) return sendConnectError(req, res, 'not_found', `Baton cannot connect "${helpdesk}"`);
    // Single use: the session is gone whatever happens next.
    const session = sessions.take(cookieValue(req.get('cookie'), CONNECT_COOKIE));
    res.clearCookie(CONNECT_COOKIE, { path: '/connect' });
    if (!session || session.helpdesk !== helpdesk)
      return sendConnectError(req, res, 'connect_session_missing', 'This browser has no Connect flow in progress (expired, already finished, cookies blocked, or started in another browser). Start again from the connect link.');
    const state = one(req.query.state) ?? '';
    if (!sameSecret(state, session.state)) return sendConnectError(req, res, 'connect_state_mismatch', 'The "state" returned does not match this browser\'s Connect flow; nothing was connected.');
    const error = one(req.query.error);
    if (error === 'access_denied') return sendConnectError(req, res, 'connect_denied', `Access was not granted in ${helpdesk}, so Baton is not connected.`);
    if (error) return sendConnectError(req, res, 'connect_failed', `${helpdesk} answered "${error.slice(0, 100)}".`);
    const code = one(req.query.code);
    if (!code || code.length > 2048) return sendConnectError(req, res, 'connect_failed', `${helpdesk} sent no authorization code.`);

    const creds = clientOf(oauth);
    if (!creds) return sendConnectError(req, res, 'connect_unavailable', `Connecting ${helpdesk} is off`);
    const baseUrl = baseUrlOf(helpdesk, oauth, creds.sandbox);
    let connection;
    try {
      connection = await oauth.connect({
        code,
        client: creds.client,
        redirectUri: session.redirectUri,
        timeoutMs,
        ...(session.account ? { account: session.account } : {}),
        ...(session.codeVerifier ? { codeVerifier: session.codeVerifier } : {}),
        ...(baseUrl ? { baseUrl } : {}),
      });
    } catch (err) {
      if (err instanceof OAuthExchangeError) {
        deps.logger.warn({ helpdesk, err: err.message }, 'connect: code exchange failed');
        return err.unreachable ? sendConnectError(req, res, 'helpdesk_unreachable', err.message) : sendConnectError(req, res, 'oauth_exchange_failed', err.message);
      }
      throw err;
    }
    if (!connection.consentedByAdmin)
      return sendConnectError(req, res, 'connect_not_admin', `Only an admin of the ${helpdesk} account can connect Baton; ask your ${helpdesk} admin to open the link.`);

    const base = publicUrl() ?? '';
    try {
      const targetId = session.tenantId ?? tenantIdFor(helpdesk, connection.account);
      const existing = deps.tenants.get(targetId);
      if (existing) {
        const section = existing.helpdesks[helpdesk];
        const sameAccount = section !== undefined && (oauth.accountOf?.(section) ?? connection.account) === connection.account;
        if (!session.tenantId && !sameAccount) return sendConnectError(req, res, 'connect_conflict', `Tenant "${targetId}" already exists for another account; ask your Baton operator for a link naming your tenant.`);
        await deps.tenants.connectHelpdesk(targetId, helpdesk, connection.section);
        deps.onConnected?.(targetId, helpdesk);
        deps.logger.info({ tenantId: targetId, helpdesk }, 'connect: helpdesk re-connected');
        return sendConnectResult(req, res, { tenantId: targetId, helpdesk, account: connection.account, created: false, scopes: oauth.scopes, webhookUrl: `${base}/v1/tenants/${targetId}/handoffs` });
      }
      const created = await deps.tenants.create({ id: targetId, [helpdesk]: connection.section });
      deps.onConnected?.(targetId, helpdesk);
      deps.logger.info({ tenantId: targetId, helpdesk }, 'connect: tenant created');
      return sendConnectResult(req, res, { tenantId: targetId, helpdesk, account: connection.account, created: true, scopes: oauth.scopes, webhookUrl: `${base}/v1/tenants/${targetId}/handoffs`, secrets: created.secrets });
    } catch (err) {
      if (err instanceof TenantError) {
        const code = ({ invalid: 'invalid_tenant', exists: 'tenant_exists', not_found: 'tenant_not_found', read_only: 'tenant_read_only', conflict: 'tenant_conflict', no_master_key: 'no_master_key' } as const)[err.kind];
        return sendConnectError(req, res, code, err.message);
      }
      throw err;
    }
  });

  return router;
}
