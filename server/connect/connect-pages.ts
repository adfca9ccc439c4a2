/**
 * The Connect flow's pages: the result ("Connected — your webhook URL and secret, shown once") and errors
 * naming the problem. A client that asks for JSON (Accept: application/json) gets the same facts as JSON, with
 * the error body every Baton endpoint uses (`{ error: { code, message } }`).
 */
import type { Request, Response } from 'express';
import { escapeHtml as e } from '../briefing/escape-html.ts';
import { ERROR_CODES, type ErrorCode } from '../http/errors.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface ConnectResult {
  tenantId: string;
  helpdesk: string;
  account: string;
  created: boolean;
  scopes: readonly string[];
  webhookUrl: string;
  /** Present only when the tenant was created by this flow (shown this once). */
  secrets?: { webhookSecret: string; appSecret: string };
}

function wantsJson(req: Request): boolean {
  const accept = req.get('accept') ?? '';
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

function html(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${e(title)}</title><style>body{font:15px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#2f3941}` +
        `code,pre{background:#f3f4f6;padding:.15rem .35rem;border-radius:3px;word-break:break-all}pre{padding:.75rem;white-space:pre-wrap}` +
        `.warn{color:#8c232c}</style></head><body><main>${body}</main></body></html>`,
    );
}

/** The status comes from the one table of codes (server/http/errors.ts). */
export function sendConnectError(req: Request, res: Response, code: ErrorCode, message?: string): void {
  const status = ERROR_CODES[code].status;
  message ??= ERROR_CODES[code].message;
  if (wantsJson(req)) return void res.status(status).set('Cache-Control', 'no-store').json({ error: { code, message } });
  html(res, status, 'Baton could not connect', `<h1>Baton could not connect</h1><p role="alert" data-code="${e(code)}">${e(message)}</p><p>Nothing was changed. Ask your Baton operator for a new connect link and try again.</p>`);
}

export function sendConnectResult(req: Request, res: Response, r: ConnectResult): void {
  const status = r.created ? 201 : 200;
  if (wantsJson(req)) return void res.status(status).set('Cache-Control', 'no-store').json(r);
  const secrets = r.secrets
    ? `<h2>Your webhook, shown once</h2><p class="warn">Copy these now: Baton stores them encrypted and will not show them again (rotate with <code>npx baton tenants rotate-secret</code>).</p>` +
      `<p>Webhook URL: <code data-field="webhookUrl">${e(r.webhookUrl)}</code></p>` +
      `<p>Webhook secret: <code data-field="webhookSecret">${e(r.secrets.webhookSecret)}</code></p>` +
      `<p>App shared secret (the Baton app's "shared secret" setting): <code data-field="appSecret">${e(r.secrets.appSecret)}</code></p>`
    : `<p>Tenant <code>${e(r.tenantId)}</code> already existed: its webhook URL <code data-field="webhookUrl">${e(r.webhookUrl)}</code> and secrets are unchanged.</p>`;
  html(
    res,
    status,
    'Baton is connected',
    `<h1>Connected</h1><p data-field="summary">Baton now writes to ${e(r.helpdesk)} account <code>${e(r.account)}</code> as tenant <code data-field="tenantId">${e(r.tenantId)}</code>.</p>` +
      `<p>Access asked for: ${r.scopes.map((s) => `<code>${e(s)}</code>`).join(' ')}</p>${secrets}`,
  );
}
