/**
 * `GET /preview/intercom?conversation=<id>` (sandbox mode only): the Intercom inbox card Baton returns for a
 * conversation, drawn in an inbox look-alike for people without an Intercom workspace.
 *
 * It asks Baton for the card the way Intercom does: `POST /v1/tenants/<tenant>/intercom/canvas/initialize`
 * with an initialize-shaped body (workspace_id, workspace_region, admin, card_creation_options, context,
 * conversation, contact; https://developers.intercom.com/docs/canvas-kit#initialize-flow) signed with
 * `X-Body-Signature` = hex HMAC-SHA256(raw body, the tenant's client secret), sent to this process's own
 * address. The conversation's parts are read from the tenant's Intercom API (the sandbox in sandbox mode)
 * with the tenant's token, to show the thread beside the card. No script runs on the page (strict CSP).
 * Loopback Host only, like every sandbox page.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../server/config.ts';
import { loopbackHostGuard } from '../../server/http/loopback-guard.ts';
import { ownBaseUrl } from '../../server/http/local-url.ts';
import { signCanvasBody } from '../../server/helpdesks/intercom/canvas-signature.ts';
import { intercomConfigOf, type IntercomConfig } from '../../server/helpdesks/intercom/intercom-config.ts';
import { escapeHtml as e } from '../../sandbox/kit/escape-html.ts';
import { CANVAS_CSS, renderCanvasComponents } from './canvas-html.ts';
import { htmlToText } from '../../server/bots/intercom/html-to-text.ts';

export const INTERCOM_PREVIEW_PATH = '/preview/intercom';
/** The seeded sandbox conversation shown when none is named (sandbox/intercom/seed-conversations.ts). */
export const DEFAULT_PREVIEW_CONVERSATION = '215468352873095';
const CONVERSATION_RE = /^[A-Za-z0-9_-]{1,64}$/;
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const FETCH_TIMEOUT_MS = 10_000;

export interface IntercomPreviewDeps {
  config: Readonly<Config>;
  logger: Pick<Logger, 'warn'>;
}

type Json = Record<string, unknown>;

interface ThreadPart {
  who: string;
  kind: string;
  text: string;
}

function demoTenant(config: Readonly<Config>): { tenant: TenantConfig; intercom: IntercomConfig } | undefined {
  const withIntercom = config.tenants.filter((t) => intercomConfigOf(t));
  const tenant = withIntercom.find((t) => t.id === 'demo') ?? withIntercom[0];
  const intercom = tenant && intercomConfigOf(tenant);
  return tenant && intercom ? { tenant, intercom } : undefined;
}

/** The same HTML-to-text Baton's transcript fetch uses (block tags become line breaks); escaped again when drawn. */
function plainText(html: unknown): string {
  return typeof html === 'string' ? htmlToText(html).text.trim() : '';
}

async function fetchJson(url: string, init: RequestInit): Promise<{ status: number; json?: Json }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as Json };
  } catch {
    return { status: res.status };
  }
}

async function readConversation(intercom: IntercomConfig, id: string): Promise<Json | undefined> {
  const r = await fetchJson(`${intercom.baseUrl}/conversations/${encodeURIComponent(id)}`, {
    headers: { Authorization: `Bearer ${intercom.accessToken}`, Accept: 'application/json', 'Intercom-Version': '2.14' },
  });
  return r.status === 200 ? r.json : undefined;
}

function threadOf(conversation: Json | undefined): ThreadPart[] {
  if (!conversation) return [];
  const author = (p: Json): string => {
    const a = (p.author ?? {}) as Json;
    return `${typeof a.name === 'string' && a.name ? a.name : String(a.id ?? '')} (${String(a.type ?? '')})`;
  };
  const source = (conversation.source ?? {}) as Json;
  const parts = (((conversation.conversation_parts ?? {}) as Json).conversation_parts ?? []) as Json[];
  return [
    { who: author(source), kind: 'message', text: plainText(source.body) },
    ...parts.map((p) => ({ who: author(p), kind: String(p.part_type ?? ''), text: plainText(p.body) })),
  ];
}

/** The initialize request Intercom sends when a teammate opens the conversation with the app installed. */
export function initializeBody(opts: { conversationId: string; adminId: string; contact?: Json; workspaceId?: string }): Json {
  return {
    workspace_id: opts.workspaceId ?? 'sandbox_workspace',
    workspace_region: 'us',
    admin: { type: 'admin', id: opts.adminId, name: 'Preview teammate', email: 'teammate@preview.local' },
    card_creation_options: {},
    context: { conversation_id: opts.conversationId, location: 'conversation', locale: 'en' },
    conversation: { type: 'conversation', id: opts.conversationId },
    contact: opts.contact ?? {},
  };
}

function page(opts: { conversationId: string; thread: ThreadPart[]; canvasHtml: string; notice?: string; sandboxLink?: string }): string {
  const thread = opts.thread.length
    ? opts.thread
        .map((p) => `<li class="part ${p.kind === 'note' ? 'note' : ''}"><div class="who">${e(p.who)} <span class="kind">${e(p.kind)}</span></div>${p.text ? `<div class="text">${e(p.text)}</div>` : ''}</li>`)
        .join('')
    : '<li class="part muted">The conversation could not be read from the Intercom API.</li>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Intercom inbox preview · conversation ${e(opts.conversationId)}</title>
<style>
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f4f4;color:#1f1f1f}
header{background:#1f1f1f;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}header a{color:#cfd8ff}
.inbox{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:0;min-height:calc(100vh - 44px)}
.thread{padding:16px 24px;overflow:auto}.thread ol{list-style:none;padding:0;margin:0}
.part{background:#fff;border:1px solid #e6e6e6;border-radius:8px;padding:8px 12px;margin:8px 0;white-space:pre-wrap}
.part.note{background:#fff8e1;border-color:#f3d48a}.who{font-weight:600}.kind{font-weight:400;color:#737373;font-size:12px;margin-left:4px}.muted{color:#737373}
aside{background:#fafafa;border-left:1px solid #e0e0e0;padding:16px}
aside h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#737373;margin:0 0 8px}
.notice{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c14;border-radius:6px;padding:8px 10px;margin-bottom:10px}
${CANVAS_CSS}
</style></head>
<body><header><strong>Intercom inbox preview</strong><span>Conversation #${e(opts.conversationId)}</span>${opts.sandboxLink ? `<a href="${e(opts.sandboxLink)}">open in the sandbox</a>` : ''}</header>
<main class="inbox">
<section class="thread" aria-label="Conversation"><ol>${thread}</ol></section>
<aside aria-label="Apps"><h2>Baton</h2>${opts.notice ? `<div class="notice" role="alert">${e(opts.notice)}</div>` : ''}<div class="card" data-testid="canvas">${opts.canvasHtml}</div></aside>
</main></body></html>`;
}

export function intercomPreviewRouter(deps: IntercomPreviewDeps): Router {
  const router = express.Router();
  router.use(INTERCOM_PREVIEW_PATH, loopbackHostGuard(deps.config));
  router.get(INTERCOM_PREVIEW_PATH, async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store').set('Content-Security-Policy', PAGE_CSP).type('html');
    const raw = typeof req.query.conversation === 'string' ? req.query.conversation : DEFAULT_PREVIEW_CONVERSATION;
    const conversationId = CONVERSATION_RE.test(raw) ? raw : DEFAULT_PREVIEW_CONVERSATION;
    const found = demoTenant(deps.config);
    if (!found) {
      return void res.status(503).send(page({ conversationId, thread: [], canvasHtml: '', notice: 'No tenant connects Intercom: the sandbox defaults have no "intercom" section yet.' }));
    }
    const { tenant, intercom } = found;
    const port = req.socket.localPort;
    const own = ownBaseUrl(deps.config.host, port ?? deps.config.port);
    // The sandbox defaults name the configured port; with PORT=0 (tests) the bound one is the real address.
    const configuredOwn = ownBaseUrl(deps.config.host, deps.config.port);
    const api = intercom.baseUrl.startsWith(`${configuredOwn}/`) ? `${own}${intercom.baseUrl.slice(configuredOwn.length)}` : intercom.baseUrl;
    let conversation: Json | undefined;
    try {
      conversation = await readConversation({ ...intercom, baseUrl: api }, conversationId);
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'preview: could not read the Intercom conversation');
    }
    const contacts = (((conversation?.contacts ?? {}) as Json).contacts ?? []) as Json[];
    const body = JSON.stringify(initializeBody({ conversationId, adminId: intercom.adminId, ...(contacts[0] ? { contact: { type: 'contact', id: contacts[0].id } } : {}) }));
    let notice: string | undefined;
    let canvasHtml = '';
    try {
      const r = await fetchJson(`${own}/v1/tenants/${encodeURIComponent(tenant.id)}/intercom/canvas/initialize`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Body-Signature': signCanvasBody(body, intercom.clientSecret) },
        body,
      });
      const components = ((r.json?.canvas as Json | undefined)?.content as Json | undefined)?.components;
      if (r.status === 200 && components) canvasHtml = renderCanvasComponents(components);
      else notice = `Baton's canvas endpoint answered ${r.status}${r.json?.error ? ` (${String((r.json.error as Json).code ?? '')})` : ''}.`;
    } catch (err) {
      notice = `Baton's canvas endpoint could not be reached: ${(err as Error).message}`;
    }
    const sandboxLink = api.startsWith(`${own}/`) ? `${api.slice(own.length)}/conversations/${encodeURIComponent(conversationId)}` : undefined;
    res.send(page({ conversationId, thread: threadOf(conversation), canvasHtml, ...(notice ? { notice } : {}), ...(sandboxLink ? { sandboxLink } : {}) }));
  });
  return router;
}
