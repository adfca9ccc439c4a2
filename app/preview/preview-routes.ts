/**
 * Local preview of the Zendesk sidebar (sandbox mode only): `GET /preview` is an Agent Workspace
 * look-alike that hosts the REAL built app (dist/assets/iframe.html, served under
 * /preview/app/0/assets/… like Zendesk serves it under a prefix) beside a sandbox ticket, and plays
 * Zendesk's side of the ZAF postMessage protocol (app/preview/zaf-host.js): registration with context and
 * settings, get/set/invoke, events, and the request proxy. The proxy half lives here, server-side like
 * Zendesk's: `{{setting.*}}` substitution (secure settings only for `secure: true`), HS256 JWT signing
 * with the secure setting for the `jwt` option, `{{jwt.token}}` substitution, then the HTTP call.
 *
 * Query parameters of /preview: ticket, theme=light|dark, locale, server=up|down, secret=good|bad,
 * sdk=bundled|cdn.
 *
 * Sandbox mode stays on one machine: every /preview route answers only to a loopback Host (no DNS
 * rebinding) unless BATON_ALLOW_PUBLIC_SANDBOX is set; POSTs must come from this origin (Origin and
 * Sec-Fetch-Site checked: no cross-site seeding or proxying); `server_url` is this process's own address
 * (config host + the port bound), never the request's Host; and the proxy only calls Baton's own sidebar
 * API, substituting settings into headers and body only — the URL gets no secure setting and no JWT.
 */
import express, { type Request, type Response } from 'express';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../server/config.ts';
import type { Store } from '../../server/store/store.ts';
import { storeFinishedHandoff } from '../../server/http/store-finished-handoff.ts';
import { HttpError, sendError } from '../../server/http/errors.ts';
import { requireJsonBody } from '../../server/http/content-type.ts';
import { ownBaseUrl } from '../../server/http/local-url.ts';
import { PREVIEW_AGENT_ID } from '../../sandbox/zendesk/sandbox-agents.ts';
import { isLoopbackHostHeader, loopbackHostGuard } from '../../server/http/loopback-guard.ts';
import { sampleReport, SAMPLE_TICKET_ID } from '../src/demo/sample-report.ts';
import { signZafToken, type SandboxAppKeys } from '../../sandbox/zendesk/app-keys.ts';
import { zendeskConfigOf } from '../../server/helpdesks/zendesk/zendesk-config.ts';

export interface PreviewRouterDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  /** The built app package (contains assets/iframe.html). */
  distDir: string;
  /** The sandbox's app key pair: /preview then loads the sidebar the signed-URL way (auth=signed, the default). */
  appKeys?: SandboxAppKeys;
}

export const PREVIEW_APP_PREFIX = '/preview/app/0/assets';
export const DEFAULT_PREVIEW_TICKET = SAMPLE_TICKET_ID;
/** Nothing listens on port 1: the "server unreachable" scenario points the app there. */
export const UNREACHABLE_SERVER_URL = 'http://127.0.0.1:1';
export const BAD_SECRET = 'not-the-secret-baton-knows';
const PROXY_TIMEOUT_MS = 10_000;
/** The only paths the preview proxy calls: the sidebar API (sidebar-routes.ts). */
export const PROXY_PATH_PREFIX = '/v1/tickets/';
/** The app's Connect-state check (issue 13), the one other path the emulated proxy may call. */
export const PROXY_CONNECTION_PATH = '/v1/zendesk/connection';
/** `/preview?connect=admin|agent`: the sidebar in a Zendesk account Baton does not know yet, as an admin or an agent. */
export const PREVIEW_UNCONNECTED_SUBDOMAIN = 'new-account';

/** Zendesk's side of the ZAF postMessage protocol, as a plain browser script (app/preview/zaf-host.js). */
const HOST_SCRIPT_PATH = resolve(dirname(fileURLToPath(import.meta.url)), 'zaf-host.js');

const ZAF_CDN_TAG = /\s*<script[^>]*src="https:\/\/static\.zdassets\.com\/zendesk_app_framework_sdk\/[^"]*"[^>]*><\/script>/;

export interface PreviewScenario {
  server: 'up' | 'down';
  secret: 'good' | 'bad';
}

/**
 * How /preview loads the sidebar. `signed` (default when the sandbox has an app key): like a signed-URL
 * install, a form POST of a sandbox-signed RS256 `token` naming the preview's agent to /zendesk/sidebar,
 * and the app calls Baton directly with the session it gets. `proxy`: like a Zendesk-hosted install, the
 * asset URL, and calls through the request proxy with the HS256 JWT (the `server`/`secret` scenarios).
 */
export type PreviewAuth = 'signed' | 'proxy';

/** Lifetime of the preview's signed token (Zendesk's are short-lived too). */
export const PREVIEW_SIGNED_TOKEN_SEC = 300;

export interface ProxyOptions {
  url: string;
  type?: string;
  contentType?: string;
  data?: string;
  headers?: Record<string, string>;
  secure?: boolean;
  timeout?: number;
  jwt?: { algorithm?: string; secret_key?: string; expiry?: number; claims?: Record<string, unknown> };
}

export interface ProxyResult {
  status: number;
  statusText: string;
  responseText: string;
  headers: Record<string, string>;
}

function demoTenant(config: Readonly<Config>): TenantConfig | undefined {
  return config.tenants.find((t) => t.id === 'demo' && t.appSecret && zendeskConfigOf(t)) ?? config.tenants.find((t) => t.appSecret && zendeskConfigOf(t));
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON safe to embed in <script type="application/json">. */
function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** Replaces `{{setting.name}}`; secure settings only when the request is secure (as Zendesk does). */
export function substituteSettings(text: string, settings: Record<string, unknown>, secureSettings: Record<string, string>, secure: boolean): string {
  return text.replace(/\{\{\s*setting\.([A-Za-z0-9_]+)\s*\}\}/g, (m, name: string) => {
    if (name in secureSettings) return secure ? (secureSettings[name] as string) : m;
    const v = settings[name];
    return v === undefined || v === null ? m : String(v);
  });
}

function refused(why: string): ProxyResult {
  return { status: 400, statusText: 'Bad Request', responseText: JSON.stringify({ error: { code: 'proxy_target_forbidden', message: why } }), headers: {} };
}

/** True when `url` is on `base`'s origin and under PROXY_PATH_PREFIX (after URL normalisation of `..`). */
export function isUnder(url: string, base: string): boolean {
  try {
    const u = new URL(url);
    const b = new URL(base);
    return u.origin === b.origin && u.username === '' && u.password === '' && (u.pathname.startsWith(PROXY_PATH_PREFIX) || u.pathname === PROXY_CONNECTION_PATH);
  } catch {
    return false;
  }
}

/** Zendesk's proxy, emulated: settings + JWT substitution, then the call. Never throws. */
export async function proxyRequest(
  options: ProxyOptions,
  settings: Record<string, unknown>,
  secureSettings: Record<string, string>,
  fetchImpl: typeof fetch = fetch,
  /** Server URLs the proxy may call (path under PROXY_PATH_PREFIX); undefined only in unit tests of substitution. */
  allowedBases?: readonly string[],
): Promise<ProxyResult> {
  const secure = options.secure === true;
  const sub = (s: string) => substituteSettings(s, settings, secureSettings, secure);
  let token: string | undefined;
  if (options.jwt) {
    const secret = sub(options.jwt.secret_key ?? '');
    if (!secret || /\{\{/.test(secret)) return { status: 400, statusText: 'Bad Request', responseText: '{"error":"jwt secret_key did not resolve"}', headers: {} };
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options.jwt.claims ?? {})) claims[k] = typeof v === 'string' ? sub(v) : v;
    token = await new SignJWT(claims as Record<string, never>)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(now + Math.max(1, Math.min(Number(options.jwt.expiry) || 300, 3600)))
      .sign(new TextEncoder().encode(secret));
  }
  const full = (s: string) => (token ? sub(s).replace(/\{\{\s*jwt\.token\s*\}\}/g, token) : sub(s));
  // The URL gets plain settings only: a secure setting or the JWT in a URL would end up in access logs, and
  // could be sent anywhere. An unresolved placeholder left in it is refused.
  const url = substituteSettings(options.url, settings, {}, false);
  if (/\{\{/.test(url)) return refused('the url may hold only non-secure {{setting.*}} placeholders');
  if (!/^https?:\/\//i.test(url)) return refused('url must be absolute http(s)');
  if (allowedBases && !allowedBases.some((b) => isUnder(url, b))) return refused(`the url must start with a configured server URL and ${PROXY_PATH_PREFIX}`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = full(String(v));
  const method = (options.type ?? 'GET').toUpperCase();
  if (options.data !== undefined && method !== 'GET') headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8';
  try {
    const res = await fetchImpl(url, {
      method,
      headers,
      ...(options.data !== undefined && method !== 'GET' ? { body: full(options.data) } : {}),
      signal: AbortSignal.timeout(Math.min(options.timeout ?? PROXY_TIMEOUT_MS, PROXY_TIMEOUT_MS)),
      redirect: 'manual',
    });
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      out[k] = v;
    });
    return { status: res.status, statusText: res.statusText, responseText: await res.text(), headers: out };
  } catch (err) {
    // The upstream could not be reached: a proxy answers 502 Bad Gateway.
    return { status: 502, statusText: 'Bad Gateway', responseText: JSON.stringify({ error: 'upstream unreachable', detail: (err as Error).name }), headers: {} };
  }
}

function appBuilt(distDir: string): boolean {
  return existsSync(join(distDir, 'assets', 'iframe.html'));
}

function notBuiltPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baton preview: app not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#2f3941}code{background:#f3f4f6;padding:2px 6px;border-radius:4px}</style></head>
<body><main><h1>The sidebar app is not built yet</h1>
<p>The preview hosts the real built Zendesk app from <code>dist/</code>, which does not exist yet. Run</p>
<p><code>npm run build</code></p><p>then reload this page.</p></main></body></html>`;
}

function parseScenario(q: Request['query']): PreviewScenario {
  return { server: q.server === 'down' ? 'down' : 'up', secret: q.secret === 'bad' ? 'bad' : 'good' };
}

function hostPage(opts: {
  auth: PreviewAuth;
  /** The signed-URL POST (auth=signed): where, and the sandbox-signed token. */
  signed?: { action: string; token: string };
  ticketId: number;
  theme: 'light' | 'dark';
  locale: string;
  scenario: PreviewScenario;
  sdk: 'bundled' | 'cdn';
  subdomain: string;
  /** ZAF currentUser.role of the preview's user (default agent). */
  role?: 'agent' | 'admin';
  serverUrl: string;
  hasReport: boolean;
  requester: { name: string; email: string };
  subject: string;
  messages: Array<{ role: string; text: string }>;
}): string {
  const appGuid = `baton-preview-${opts.ticketId}`;
  const cfg = {
    ticketId: opts.ticketId,
    colorScheme: opts.theme,
    locale: opts.locale,
    scenario: opts.scenario,
    appGuid,
    subdomain: opts.subdomain,
    requester: { id: 9001, ...opts.requester },
    // An unrestricted agent of the built-in Zendesk sandbox, so the sidebar's access check passes as on Zendesk.
    currentUser: { id: PREVIEW_AGENT_ID, name: 'Alex Agent', email: 'alex@baton.local', role: opts.role ?? 'agent', locale: opts.locale },
    subject: opts.subject,
    settings: { title: 'Baton', server_url: opts.serverUrl, show_transcript: true },
    appPath: `${PREVIEW_APP_PREFIX}/iframe.html`,
    sdk: opts.sdk,
    auth: opts.auth,
    ...(opts.signed ? { signed: opts.signed } : {}),
  };
  const sel = (v: string, cur: string) => (v === cur ? ' selected' : '');
  const locales = ['en-US', 'es', 'de', 'fr', 'pt-BR', 'ja'];
  const conv = opts.messages
    .map(
      (m) =>
        `<li class="msg msg-${esc(m.role)}"><span class="who">${esc(m.role === 'customer' ? opts.requester.name : m.role === 'bot' ? 'Bot' : m.role)}</span><p>${esc(m.text)}</p></li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en" data-theme="${opts.theme}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ticket #${opts.ticketId} · Baton preview</title>
<style>
:root{--bg:#f8f9f9;--panel:#fff;--fg:#2f3941;--muted:#68737d;--border:#d8dcde;--accent:#1f73b7;--bar:#03363d;--bubble:#f3f4f6}
[data-theme=dark]{--bg:#0d1012;--panel:#181d20;--fg:#dde0e2;--muted:#a0a8ae;--border:#3b4247;--accent:#5ca7e4;--bar:#04444d;--bubble:#22292d}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
header.top{display:flex;align-items:center;gap:16px;padding:8px 16px;background:var(--bar);color:#fff}
header.top strong{font-size:15px}
header.top form{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-left:auto;font-size:13px}
header.top label{display:flex;gap:4px;align-items:center}
header.top input,header.top select{font:inherit;padding:2px 4px}
header.top input[type=number]{width:7em}
header.top button{font:inherit}
.workspace{display:grid;grid-template-columns:1fr 340px;min-height:calc(100vh - 46px)}
.ticket{padding:16px 24px;overflow:auto}
.ticket h1{font-size:20px;margin:0 0 4px}
.meta{color:var(--muted);margin:0 0 16px}
ol.conv{list-style:none;margin:0 0 16px;padding:0;display:flex;flex-direction:column;gap:8px}
.msg{background:var(--bubble);border:1px solid var(--border);border-radius:8px;padding:8px 12px;max-width:44rem}
.msg p{margin:2px 0 0}
.msg-bot{margin-left:32px}
.who{font-weight:600;font-size:12px;color:var(--muted)}
.editor{border:1px solid var(--border);border-radius:8px;background:var(--panel);padding:8px}
.editor label{display:block;font-weight:600;margin-bottom:4px}
.editor textarea{width:100%;min-height:120px;font:inherit;color:var(--fg);background:var(--panel);border:1px solid var(--border);border-radius:4px;padding:8px}
aside.apps{border-left:1px solid var(--border);background:var(--panel);padding:8px 10px;overflow:auto}
aside.apps h2{font-size:13px;margin:4px 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
#app-frame{width:100%;border:0;display:block;height:200px;background:transparent}
.note{border:1px dashed var(--border);border-radius:8px;padding:8px 12px;margin:0 0 12px;color:var(--fg)}
.note button{font:inherit}
.events{display:flex;flex-wrap:wrap;gap:6px;margin:12px 0 0}
.events button{font:inherit;font-size:12px}
#zaf-log{font:12px/1.4 ui-monospace,monospace;color:var(--muted);max-height:160px;overflow:auto;margin:8px 0 0;padding:0;list-style:none}
</style>
</head>
<body>
<header class="top">
  <strong>Baton preview</strong><span>Agent Workspace look-alike · account <code>${esc(opts.subdomain)}</code></span>
  <form method="get" action="/preview" aria-label="Preview settings">
    <label>Ticket <input type="number" name="ticket" min="1" value="${opts.ticketId}"></label>
    <label>Theme <select name="theme"><option value="light"${sel('light', opts.theme)}>Light</option><option value="dark"${sel('dark', opts.theme)}>Dark</option></select></label>
    <label>Locale <select name="locale">${locales.map((l) => `<option${sel(l, opts.locale)}>${l}</option>`).join('')}</select></label>
    <label>Server <select name="server"><option value="up"${sel('up', opts.scenario.server)}>reachable</option><option value="down"${sel('down', opts.scenario.server)}>unreachable</option></select></label>
    <label>Secret <select name="secret"><option value="good"${sel('good', opts.scenario.secret)}>correct</option><option value="bad"${sel('bad', opts.scenario.secret)}>wrong</option></select></label>
    <label>Auth <select name="auth"><option value="signed"${sel('signed', opts.auth)}>signed URL (Baton session)</option><option value="proxy"${sel('proxy', opts.auth)}>request proxy (HS256 JWT)</option></select></label>
    <input type="hidden" name="sdk" value="${opts.sdk}">
    <button type="submit">Apply</button>
  </form>
</header>
<div class="workspace">
  <main class="ticket" aria-labelledby="ticket-title">
    <h1 id="ticket-title">${esc(opts.subject)}</h1>
    <p class="meta">Ticket #${opts.ticketId} · requester ${esc(opts.requester.name)} &lt;${esc(opts.requester.email)}&gt;</p>
    ${
      opts.hasReport
        ? ''
        : `<div class="note" role="note"><p>No Baton handoff is stored for ticket #${opts.ticketId} yet. Send one through a bot webhook (see the README), or</p>
    <form method="post" action="/preview/seed?ticket=${opts.ticketId}"><button type="submit">Create a sample handoff for this ticket</button></form></div>`
    }
    <ol class="conv" aria-label="Conversation">${conv}</ol>
    <div class="editor"><label for="reply-editor">Reply (internal editor)</label><textarea id="reply-editor" data-testid="reply-editor" placeholder="Write your reply…"></textarea></div>
    <div class="events" aria-label="Simulate workspace events">
      <button type="button" data-event="reactivate">Switch away and back (app.deactivated → app.activated)</button>
      <button type="button" data-event="ticket.updated">ticket.updated</button>
      <button type="button" data-event="colorScheme">Toggle colour scheme (colorScheme.changed)</button>
    </div>
    <ul id="zaf-log" aria-label="ZAF messages"></ul>
  </main>
  <aside class="apps" aria-label="Apps">
    <h2>Apps</h2>
    <iframe id="app-frame" name="app-frame" title="Baton sidebar app" data-testid="app-frame"></iframe>
  </aside>
</div>
<script type="application/json" id="preview-config">${jsonForScript(cfg)}</script>
<script src="/preview/host.js"></script>
</body>
</html>`;
}

export function previewRouter(deps: PreviewRouterDeps): express.Router {
  const { config, store, logger } = deps;
  const distDir = resolve(deps.distDir);
  const assetsDir = join(distDir, 'assets');
  const router = express.Router();
  const tenant = demoTenant(config);

  // From the config and the port this socket is bound to: never the client-chosen Host header.
  const serverUrlFor = (req: Request) => ownBaseUrl(config.host, req.socket.localPort ?? config.port);

  router.use('/preview', loopbackHostGuard(config));
  // Only this origin may POST (seed, proxy): checks Origin, and Sec-Fetch-Site where the browser sends it.
  const sameOrigin = (req: Request, _res: Response, next: (err?: unknown) => void) => {
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const ok = (site === undefined || site === 'same-origin' || site === 'none') && (origin === undefined || isOwnOrigin(origin, req));
    next(ok ? undefined : new HttpError('cross_site', 'This endpoint only answers pages of this Baton (Origin / Sec-Fetch-Site).'));
  };

  router.get('/preview', async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    if (!appBuilt(distDir)) return void res.status(503).type('html').send(notBuiltPage());
    const zendesk = tenant && zendeskConfigOf(tenant);
    if (!tenant || !zendesk) return sendError(res, 'no_tenant');
    const ticketRaw = typeof req.query.ticket === 'string' ? req.query.ticket : String(DEFAULT_PREVIEW_TICKET);
    const ticketId = /^[1-9][0-9]{0,12}$/.test(ticketRaw) ? Number(ticketRaw) : DEFAULT_PREVIEW_TICKET;
    const theme = req.query.theme === 'dark' ? 'dark' : 'light';
    const locale = typeof req.query.locale === 'string' && /^[A-Za-z]{2}(-[A-Za-z0-9]{2,4})?$/.test(req.query.locale) ? req.query.locale : 'en-US';
    const scenario = parseScenario(req.query);
    // Signed URL by default; the proxy when asked for, or when a proxy scenario (server, secret) is.
    const canSign = Boolean(deps.appKeys && zendesk.appId && zendesk.appInstallationId);
    const explicitAuth = req.query.auth === 'proxy' || req.query.auth === 'signed' ? (req.query.auth as PreviewAuth) : undefined;
    // ?connect=admin|agent: an account Baton does not know (issue 13's Connect state), through the proxy as a fresh install.
    const connectRole = req.query.connect === 'admin' || req.query.connect === 'agent' ? req.query.connect : undefined;
    const auth: PreviewAuth = !connectRole && canSign && (explicitAuth ?? (req.query.server || req.query.secret ? 'proxy' : 'signed')) === 'signed' ? 'signed' : 'proxy';
    const signed =
      auth === 'signed' && deps.appKeys
        ? { action: '/zendesk/sidebar', token: await signZafToken(deps.appKeys, { subdomain: zendesk.subdomain, userId: PREVIEW_AGENT_ID, lifetimeSec: PREVIEW_SIGNED_TOKEN_SEC }) }
        : undefined;
    const stored = await store.getReportFor(tenant.id, { helpdesk: 'zendesk', id: String(ticketId) });
    const report = stored?.report;
    const firstCustomer = report?.transcript.find((l) => l.role === 'customer')?.text;
    res.type('html').send(
      hostPage({
        auth,
        ...(signed ? { signed } : {}),
        ticketId,
        theme,
        locale,
        scenario,
        sdk: req.query.sdk === 'cdn' ? 'cdn' : 'bundled',
        subdomain: connectRole ? PREVIEW_UNCONNECTED_SUBDOMAIN : zendesk.subdomain,
        ...(connectRole ? { role: connectRole } : {}),
        serverUrl: scenario.server === 'down' ? UNREACHABLE_SERVER_URL : serverUrlFor(req),
        hasReport: Boolean(stored),
        requester: { name: report?.context.customerName ?? 'Sam Customer', email: report?.context.customerEmail ?? 'sam@example.com' },
        subject: firstCustomer ? (firstCustomer.length > 70 ? `${firstCustomer.slice(0, 67)}…` : firstCustomer) : `Sandbox ticket #${ticketId}`,
        messages: report?.transcript ?? [{ role: 'customer', text: 'Hello, I need help with my order.' }],
      }),
    );
  });

  router.get('/preview/host.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'no-store').sendFile(HOST_SCRIPT_PATH);
  });

  // The built app, under a prefix like Zendesk's, so relative asset paths are proven.
  router.get(`${PREVIEW_APP_PREFIX}/:file`, (req: Request, res: Response) => {
    const file = String(req.params.file);
    if (!/^[A-Za-z0-9._-]+$/.test(file) || file.startsWith('.')) return void res.status(404).end();
    const path = join(assetsDir, file);
    if (!existsSync(path) || !statSync(path).isFile()) return void res.status(404).type('text').send('not found');
    res.set('Cache-Control', 'no-store');
    if (file === 'iframe.html') {
      let html = readFileSync(path, 'utf8');
      // Offline by default: drop the CDN tag so the app uses its bundled SDK copy. ?sdk=cdn keeps it.
      if (req.query.sdk !== 'cdn') html = html.replace(ZAF_CDN_TAG, '');
      return void res.type('html').send(html);
    }
    res.sendFile(file, { root: assetsDir, dotfiles: 'deny' });
  });

  // Zendesk's request proxy, emulated server-side (the secure setting never reaches the browser).
  router.post('/preview/proxy', sameOrigin, requireJsonBody, express.json({ limit: '64kb' }), async (req: Request, res: Response) => {
    const body = req.body as { options?: ProxyOptions; scenario?: Partial<PreviewScenario> } | undefined;
    const options = body?.options;
    if (!options || typeof options.url !== 'string') return sendError(res, 'invalid_body', 'options.url is required');
    if (!tenant?.appSecret) return sendError(res, 'no_tenant');
    const scenario = parseScenario({ server: body?.scenario?.server, secret: body?.scenario?.secret } as Request['query']);
    const settings = { title: 'Baton', server_url: scenario.server === 'down' ? UNREACHABLE_SERVER_URL : serverUrlFor(req), show_transcript: true };
    const result = await proxyRequest(options, settings, { shared_secret: scenario.secret === 'bad' ? BAD_SECRET : tenant.appSecret }, fetch, [
      serverUrlFor(req),
      UNREACHABLE_SERVER_URL,
    ]);
    logger.debug({ url: options.url, status: result.status }, 'preview proxy');
    res.status(200).set('Cache-Control', 'no-store').json(result);
  });

  // "Create a sample handoff" on the preview page: stores a sample report for the ticket.
  router.post('/preview/seed', sameOrigin, async (req: Request, res: Response) => {
    if (!tenant) return sendError(res, 'no_tenant');
    const ticketRaw = typeof req.query.ticket === 'string' ? req.query.ticket : String(DEFAULT_PREVIEW_TICKET);
    const ticketId = /^[1-9][0-9]{0,12}$/.test(ticketRaw) ? Number(ticketRaw) : DEFAULT_PREVIEW_TICKET;
    await seedSampleHandoff(store, tenant.id, ticketId);
    res.redirect(303, `/preview?ticket=${ticketId}`);
  });

  // Seeding changes state: POST only (a GET could be triggered by any <img> on any page).
  router.all(['/preview/seed', '/preview/proxy'], (_req, res) => {
    res.set('Allow', 'POST');
    sendError(res, 'method_not_allowed', 'Use POST');
  });

  return router;
}

/** Origin of a page served by this very process: http, a loopback name (or the configured host), the bound port. */
function isOwnOrigin(origin: string, req: Request): boolean {
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' || o.pathname !== '/' || Number(o.port || 80) !== req.socket.localPort) return false;
    return isLoopbackHostHeader(o.host) || o.host === req.get('host');
  } catch {
    return false;
  }
}

/** Stores the sample report for a ticket (the preview's "Create a sample handoff" button). */
export function seedSampleHandoff(store: Store, tenantId: string, ticketId: number): Promise<string> {
  return storeFinishedHandoff(store, tenantId, { helpdesk: 'zendesk', id: String(ticketId) }, sampleReport(), 'preview_sample');
}
