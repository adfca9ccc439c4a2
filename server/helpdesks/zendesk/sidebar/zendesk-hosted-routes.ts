/**
 * The sidebar served by Baton itself, for a signed-URL install (manifest `"signedUrls": true`, location url
 * `https://<baton>/zendesk/sidebar`; build with BATON_PUBLIC_URL, docs/sidebar.md):
 *
 *   POST /zendesk/sidebar      form field `token` (Zendesk's RS256 JWT, zaf-signed-token.ts) → the built
 *                              sidebar page (dist/assets/iframe.html, assets under /zendesk/assets/) with a
 *                              Baton session for the user Zendesk vouched for embedded as JSON;
 *                              any bad token → the same 401 page (or JSON), 503 when the key is unavailable
 *   GET  /zendesk/sidebar      401: the page only opens from Zendesk's signed POST
 *   POST /zendesk/insights     the same for the nav_bar location "Baton insights" (dist/assets/insights.html),
 *                              plus the tenant's insights endpoint embedded (`#baton-insights-config`)
 *   POST /zendesk/session      Authorization: Bearer <session> → a renewed session { token, expiresAt }
 *   GET  /zendesk/assets/:file the built app's JS, CSS and images
 *
 * Zendesk frames the page from https://<subdomain>.zendesk.com, so this page (only) may be framed by
 * Zendesk's origins (`frame-ancestors`; no X-Frame-Options). The session lives in the page, never in a cookie.
 */
import express, { type Request, type Response } from 'express';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../../config.ts';
import { sendError } from '../../../http/errors.ts';
import { bearerToken } from './sidebar-auth.ts';
import { issueSession, looksLikeSession, SESSION_MAX_AGE_SEC, verifySession, type SidebarSessionKey } from './sidebar-session.ts';
import { createPublicKeySource, signedUrlTenants, verifyZafToken, type PublicKeySource } from './zaf-signed-token.ts';

export const HOSTED_ASSETS_PREFIX = '/zendesk/assets';
/** Signed-URL location url → the built page it serves (manifest: ticket_sidebar and nav_bar; app/vite.config.ts). */
export const HOSTED_PAGES = { '/zendesk/sidebar': 'iframe.html', '/zendesk/insights': 'insights.html' } as const;
/** Who may frame the hosted sidebar: Zendesk's agent interface, and this origin (the /preview host). */
export const HOSTED_FRAME_ANCESTORS = ["'self'", 'https://*.zendesk.com'];

export interface ZendeskHostedRouterDeps {
  config: Readonly<Config>;
  logger: Logger;
  distDir: string;
  sessionKey: SidebarSessionKey;
  keys?: PublicKeySource;
  /** Zendesk API base of a tenant when it differs from its config (sandbox mode: the port bound). */
  baseUrlFor?: (tenant: TenantConfig) => string | undefined;
  /** Seconds since epoch; tests. */
  now?: () => number;
  /** The TenantRegistry (tenants at run time); default the config's file tenants. */
  tenants?: ReadonlyMap<string, TenantConfig>;
}

const ZAF_CDN_TAG = /\s*<script[^>]*src="https:\/\/static\.zdassets\.com\/zendesk_app_framework_sdk\/[^"]*"[^>]*><\/script>/;

function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const UNAUTHORIZED_MESSAGE = 'This page opens only from Zendesk, with a valid Zendesk-signed token for an installation this Baton serves.';

function unauthorizedPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baton: not signed in</title></head>
<body><main data-phase="unauthorized"><h1>Baton could not verify Zendesk's signature</h1><p>${UNAUTHORIZED_MESSAGE}</p>
<p>Reload the app in the Zendesk Agent Workspace. If this persists, ask an admin to check the app's installation in Baton's config.</p></main></body></html>`;
}

/** Lets Zendesk frame this response: `frame-ancestors` in the CSP helmet set, and no X-Frame-Options. */
function allowZendeskFraming(res: Response): void {
  res.removeHeader('X-Frame-Options');
  const csp = String(res.getHeader('Content-Security-Policy') ?? '');
  const directives = csp.split(';').map((d) => d.trim()).filter((d) => d && !d.startsWith('frame-ancestors'));
  directives.push(`frame-ancestors ${HOSTED_FRAME_ANCESTORS.join(' ')}`);
  res.setHeader('Content-Security-Policy', directives.join(';'));
}

export function zendeskHostedRouter(deps: ZendeskHostedRouterDeps): express.Router {
  const { config, logger, sessionKey } = deps;
  const assetsDir = join(resolve(deps.distDir), 'assets');
  const tenants = signedUrlTenants(deps.tenants ?? config);
  const keys = deps.keys ?? createPublicKeySource(deps.baseUrlFor ? { baseUrlFor: deps.baseUrlFor } : {});
  const nowSec = () => (deps.now ? deps.now() : Math.floor(Date.now() / 1000));
  const router = express.Router();

  router.use('/zendesk', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const refuse = (req: Request, res: Response, status: 401 | 503) => {
    res.status(status);
    if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="baton-sidebar"');
    if (req.accepts(['html', 'json']) === 'json') {
      return sendError(res, status === 401 ? 'invalid_token' : 'helpdesk_unavailable', status === 401 ? UNAUTHORIZED_MESSAGE : undefined);
    }
    allowZendeskFraming(res);
    res.type('html').send(status === 401 ? unauthorizedPage() : unauthorizedPage().replace('could not verify', 'could not reach Zendesk to verify'));
  };

  // The same signed POST opens either location's page: the ticket sidebar, or the nav_bar dashboard "Baton
  // insights" (issue 11), which also gets the tenant's insights endpoint (the API checks the user is an admin).
  for (const [path, file] of Object.entries(HOSTED_PAGES)) {
    router.post(path, express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }), async (req: Request, res: Response, next) => {
      try {
        const body = req.body as Record<string, unknown> | undefined;
        const token = typeof body?.token === 'string' ? body.token : undefined;
        const result = await verifyZafToken(tenants, keys, token, { now: nowSec });
        if (!result.ok) {
          logger.warn({ reason: result.reason, path }, 'signed-url page: token refused');
          return refuse(req, res, result.status);
        }
        // `sdk=bundled` (the offline /preview) drops Zendesk's CDN tag; the app then loads its bundled SDK copy.
        const html = hostedPage(assetsDir, file, req.query.sdk === 'bundled');
        if (!html) return void res.status(503).type('text').send('The app is not built (npm run build).');
        const now = nowSec();
        const session = await issueSession(sessionKey, { tenantId: result.tenant.id, userId: result.userId, authTime: now }, now);
        logger.info({ tenantId: result.tenant.id, userId: result.userId, path }, 'signed-url page: session started');
        allowZendeskFraming(res);
        let embedded = `<script type="application/json" id="baton-session">${jsonForScript({ token: session.token, expiresAt: session.expiresAt })}</script>`;
        if (file === 'insights.html') {
          embedded += `\n<script type="application/json" id="baton-insights-config">${jsonForScript({ endpoint: `/v1/tenants/${encodeURIComponent(result.tenant.id)}/insights` })}</script>`;
        }
        res.type('html').send(html.replace('</head>', `${embedded}\n</head>`));
      } catch (err) {
        next(err);
      }
    });

    router.get(path, (req, res) => refuse(req, res, 401));
  }

  // Renewal: a valid session gets a fresh one, up to SESSION_MAX_AGE_SEC after Zendesk vouched for the user.
  router.post('/zendesk/session', async (req: Request, res: Response, next) => {
    try {
      const token = bearerToken(req.get('authorization'));
      if (!token || !looksLikeSession(token)) return sendError(res, 'missing_token', 'Send the Baton session as "Authorization: Bearer <token>".');
      const now = nowSec();
      const r = await verifySession(sessionKey, deps.tenants ?? config, token, now);
      if (!r.ok) return sendError(res, r.code, r.message);
      if (now - r.session.authTime > SESSION_MAX_AGE_SEC) return sendError(res, 'token_expired', 'The session is too old to renew: reload the app.');
      const s = await issueSession(sessionKey, { tenantId: r.session.tenant.id, userId: r.session.userId, authTime: r.session.authTime }, now);
      res.status(200).json(s);
    } catch (err) {
      next(err);
    }
  });

  router.get(`${HOSTED_ASSETS_PREFIX}/:file`, (req: Request, res: Response) => {
    const file = String(req.params.file);
    // The HTML pages only leave through the signed POSTs above.
    if (!/^[A-Za-z0-9._-]+$/.test(file) || file.startsWith('.') || file.endsWith('.html')) return void res.status(404).end();
    const path = join(assetsDir, file);
    if (!existsSync(path) || !statSync(path).isFile()) return void res.status(404).type('text').send('not found');
    res.set('Cache-Control', /-[A-Za-z0-9_-]{8}\.(js|css)$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.sendFile(file, { root: assetsDir, dotfiles: 'deny' });
  });

  return router;
}

/** A built page (iframe.html or insights.html), relative asset paths resolved under /zendesk/assets/ by a <base>. */
function hostedPage(assetsDir: string, file: string, bundledSdk: boolean): string | undefined {
  const path = join(assetsDir, file);
  if (!existsSync(path)) return undefined;
  let html = readFileSync(path, 'utf8');
  html = html.replace(/<head>/i, `<head>\n    <base href="${HOSTED_ASSETS_PREFIX}/">`);
  if (bundledSdk) html = html.replace(ZAF_CDN_TAG, '');
  return html;
}
