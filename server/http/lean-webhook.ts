/**
 * The generic webhook (`POST /v1/tenants/{tenantId}/handoffs`) answered from plain node:http, in front of Express
 * (issue 10, Benchmarks): Express's routing, body and response path (res.json's ETag hashing included) cost about a
 * third of the webhook's time under load. Everything else, and every request this path does not take, goes to
 * Express unchanged.
 *
 * Same answers by construction: this path takes only a request that passes Express's 415 and 413 checks (a
 * UTF-8 JSON Content-Type, http/content-type.ts; a Content-Length within maxBodyBytes; no Content-Encoding) and
 * whose path Express would route to the generic adapter without decoding (no percent-escapes, no trailing slash,
 * lower case). Any other request (chunked, oversized, compressed, wrong type…) is handed to Express, which
 * refuses it exactly as before. The checks after the body is read are the route factory's own
 * (bots/webhook-checks.ts), and the 202 is sent only after the inbox's group commit, as on Express.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { WebhookAnswer, WebhookInput } from '../bots/webhook-checks.ts';
import { jsonContentTypeProblem } from './content-type.ts';
import { errorAnswer } from './error-body.ts';
import { securityHeaders } from './security-headers.ts';

export interface LeanWebhookDeps {
  maxBodyBytes: number;
  /** The generic adapter's checks (webhookChecks(generic, …)), sharing the Express route's inbox. */
  checks: (input: WebhookInput) => Promise<WebhookAnswer>;
  /** Every request this path does not take: the Express app. */
  fallback: RequestListener;
  logger: Pick<Logger, 'error'>;
  /** Wakes the worker after a new handoff is stored. */
  onAccepted?: () => void;
  /** Told each answer this path sends (metrics: source `generic`). */
  onAnswer?: (status: number, body: unknown) => void;
}

const PREFIX = '/v1/tenants/';
const SUFFIX = '/handoffs';
const DIGITS = /^\d+$/;

/** The tenant id when `url` is `/v1/tenants/{tenantId}/handoffs[?query]` with a plain (undecoded) id, else undefined. */
export function genericWebhookTenant(url: string): string | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) return undefined;
  const id = path.slice(PREFIX.length, path.length - SUFFIX.length);
  if (!id || id.includes('/') || id.includes('%')) return undefined;
  return id;
}

/** Whether Express's 415 and 413 checks would pass this request with a fully read, identity-encoded body. */
function passesBodyChecks(req: IncomingMessage, maxBodyBytes: number): boolean {
  const length = req.headers['content-length'];
  // Chunked or bodiless requests: Express decides (and reads) them.
  if (length === undefined || req.headers['transfer-encoding'] !== undefined || !DIGITS.test(length)) return false;
  if (Number(length) > maxBodyBytes) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  return jsonContentTypeProblem(req.headers['content-type']) === undefined;
}

/** Express's req.get(name) on a plain request. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const lc = name.toLowerCase();
  const v = lc === 'referer' || lc === 'referrer' ? (req.headers.referrer ?? req.headers.referer) : req.headers[lc];
  return Array.isArray(v) ? v.join(', ') : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** The server's request listener: the generic webhook here, everything else to `deps.fallback`. */
export function leanWebhook(deps: LeanWebhookDeps): RequestListener {
  const headers = securityHeaders() as unknown as (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  const answer = async (req: IncomingMessage, res: ServerResponse, tenantId: string, raw: Buffer): Promise<void> => {
    let result: WebhookAnswer;
    try {
      result = await deps.checks({ tenantId, header: (name) => headerOf(req, name), raw });
    } catch (err) {
      // As Express's error handler: logged, a JSON 500 (the checks answer every input themselves).
      deps.logger.error({ err, path: req.url }, 'unhandled error');
      result = { ...errorAnswer('internal_error'), accepted: false };
    }
    sendJson(res, result.status, result.body);
    deps.onAnswer?.(result.status, result.body);
    if (result.accepted) deps.onAccepted?.();
  };
  return (req, res) => {
    const tenantId = req.method === 'POST' && req.url ? genericWebhookTenant(req.url) : undefined;
    if (tenantId === undefined || !passesBodyChecks(req, deps.maxBodyBytes)) {
      deps.fallback(req, res);
      return;
    }
    // The same security headers Express sets first on every response (helmet works on node:http as is).
    headers(req, res, () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    // node:http ends the body at Content-Length; an aborted request has nobody left to answer.
    req.on('error', () => undefined);
    req.on('end', () => void answer(req, res, tenantId, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  };
}
