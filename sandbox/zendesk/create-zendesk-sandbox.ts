/**
 * A local stand-in for the part of the Zendesk Support API Baton uses, as an Express router: mounted at
 * /sandbox/zendesk by the main server in demo mode, and served on a free port by startZendeskSandbox in tests.
 *
 * Zendesk behaviour it follows (links are the docs followed):
 * - Auth: Basic `{email}/token:{api_token}` or `Bearer {oauth_token}`; otherwise 401
 *   `{"error":"Couldn't authenticate you"}` (https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
 * - Rate limits: every response carries `X-Rate-Limit`, `X-Rate-Limit-Remaining`, `ratelimit-limit`,
 *   `ratelimit-remaining`, `ratelimit-reset`; over the account limit per minute the answer is 429 with
 *   `Retry-After` (seconds) and a text/plain body; a ticket takes at most 30 updates per 10 minutes
 *   (https://developer.zendesk.com/api-reference/introduction/rate-limits,
 *   https://developer.zendesk.com/documentation/api-basics/best-practices/best-practices-for-avoiding-rate-limiting).
 * - Idempotency-Key on ticket create, see idempotency-store.ts.
 * - Safe update: `safe_update` + `updated_stamp` not matching the ticket's updated_at -> 409 UpdateConflict
 *   (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#protecting-against-ticket-update-collisions).
 * - Paths with or without `.json`; unknown ids -> 404 RecordNotFound; bad values -> 422 RecordInvalid with
 *   per-field `details`; unknown ticket attributes are ignored (Zendesk is permissive:
 *   https://support.zendesk.com/hc/en-us/articles/4418443326106).
 * - Request bodies are validated against the official OpenAPI file (spec-validator.ts; a missing file throws); a
 *   body breaking the spec is answered 422 RecordInvalid, as Zendesk answers invalid record values.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { renderNotFoundPage, renderTicketListPage, renderTicketPage, VIEW_CSP } from './html-view.ts';
import { canonicalJson, createIdempotencyStore, IDEMPOTENCY_TTL_MS, type StoredResponse } from './idempotency-store.ts';
import { createResponseScript } from './response-script.ts';
import { FIRST_CREATED_TICKET_ID } from './seed-tickets.ts';
import { installedTicketFields, systemTicketFields } from './ticket-fields.ts';
import { createSlidingWindowLimiter, type LimitDecision } from './sliding-window-limiter.ts';
import { requireZendeskSpecValidator, resolveZendeskSpecPath, type ZendeskSpecValidator } from './spec-validator.ts';
import { createTicketStore, RecordInvalid } from './ticket-store.ts';
import { createCallLog } from '../kit/call-log.ts';
import { groupMembershipsJson, userJson } from './sandbox-agents.ts';
import type {
  SandboxCall,
  SandboxCredential,
  SandboxOperation,
  SandboxState,
  ValidationIssue,
  ZendeskSandbox,
  ZendeskSandboxOptions,
} from './types.ts';

type Json = Record<string, unknown>;

export const DEFAULT_SANDBOX_CREDENTIALS: SandboxCredential = { email: 'demo@baton.local', apiToken: 'sandbox' };
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 700;
const MINUTE_MS = 60_000;
const RATE_LIMITED_TEXT = 'Number of allowed API requests per minute exceeded';
const TICKET_UPDATE_LIMITED_TEXT = 'Too many updates to this ticket. Wait before updating it again';

interface Route {
  operation?: SandboxOperation;
  ticketId?: number;
  userId?: number;
}

/** Maps a request to the Zendesk operation it calls; the `.json` suffix is optional, as on Zendesk. */
export function matchRoute(method: string, path: string): Route {
  if (/^\/api\/v2\/tickets(?:\.json)?\/?$/.test(path))
    return method === 'POST' ? { operation: 'CreateTicket' } : method === 'GET' ? { operation: 'ListTickets' } : {};
  let m = /^\/api\/v2\/tickets\/(\d+)(?:\.json)?\/?$/.exec(path);
  if (m) {
    const ticketId = Number(m[1]);
    if (method === 'PUT') return { operation: 'UpdateTicket', ticketId };
    if (method === 'GET') return { operation: 'ShowTicket', ticketId };
    return { ticketId };
  }
  if (/^\/api\/v2\/ticket_fields(?:\.json)?\/?$/.test(path)) return method === 'GET' ? { operation: 'ListTicketFields' } : {};
  // https://developer.zendesk.com/api-reference/ticketing/users/users/#show-user and
  // …/groups/group_memberships/#list-memberships (the sidebar's access check, server/http/sidebar-access.ts)
  m = /^\/api\/v2\/users\/(\d+)(?:\.json)?\/?$/.exec(path);
  if (m) return method === 'GET' ? { operation: 'ShowUser', userId: Number(m[1]) } : {};
  m = /^\/api\/v2\/users\/(\d+)\/group_memberships(?:\.json)?\/?$/.exec(path);
  if (m) return method === 'GET' ? { operation: 'ListUserGroupMemberships', userId: Number(m[1]) } : {};
  m = /^\/api\/v2\/tickets\/(\d+)\/comments(?:\.json)?\/?$/.exec(path);
  if (m) return method === 'GET' ? { operation: 'ListTicketComments', ticketId: Number(m[1]) } : { ticketId: Number(m[1]) };
  return {};
}

/** `sort_order=desc` on a list endpoint (ids ascend in creation order, so descending is newest first). */
function descending(call: SandboxCall): boolean {
  return (call.query.sort_order ?? '').toLowerCase() === 'desc';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the Authorization header carries one of the accepted credentials. */
export function isAuthorized(header: string | undefined, credentials: SandboxCredential[]): boolean {
  if (!header) return false;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return credentials.some((c) => 'oauthToken' in c && safeEqual(c.oauthToken, bearer[1] as string));
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return false;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  // Only API-token auth: password auth is deprecated on Zendesk and never used by Baton.
  if (!user.endsWith('/token')) return false;
  const email = user.slice(0, -'/token'.length).toLowerCase();
  return credentials.some((c) => 'apiToken' in c && c.email.toLowerCase() === email && safeEqual(c.apiToken, secret));
}

function lowerHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const q = req.query as Record<string, unknown>;
  for (const [k, v] of Object.entries(q ?? {})) out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  return out;
}

function sleep(ms: number): Promise<void> {
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function recordInvalidBody(details: RecordInvalid['details']): Json {
  return { error: 'RecordInvalid', description: 'Record validation errors', details };
}

function issuesToDetails(issues: ValidationIssue[]): RecordInvalid['details'] {
  const details: RecordInvalid['details'] = {};
  for (const i of issues) {
    const field = i.path.replace(/^ticket\./, '') || 'base';
    (details[field] ??= []).push({ description: `${field}: ${i.message}`, error: 'InvalidValue' });
  }
  return details;
}

export function createZendeskSandbox(options: ZendeskSandboxOptions = {}): ZendeskSandbox {
  const now = options.now ?? Date.now;
  const credentials = options.credentials === undefined ? [DEFAULT_SANDBOX_CREDENTIALS] : Array.isArray(options.credentials) ? options.credentials : [options.credentials];
  if (credentials.length === 0) throw new Error('createZendeskSandbox: credentials must not be empty');
  const rateLimit = options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  if (!Number.isInteger(rateLimit) || rateLimit < 1) throw new Error(`createZendeskSandbox: rateLimitPerMinute must be a positive integer (got ${rateLimit})`);
  const ticketLimit = options.ticketUpdateLimit ?? { max: 30, windowMs: 10 * MINUTE_MS };
  const latencyMs = options.latencyMs ?? 0;

  let validator: ZendeskSpecValidator | undefined;
  const state: SandboxState = {
    tickets: new Map(),
    ticketFields: options.ticketFields === 'system' ? systemTicketFields() : installedTicketFields(),
    users: new Map(),
    validation: 'disabled',
    rateLimitPerMinute: rateLimit,
  };
  if (options.specPath === false) {
    state.validationNote = 'validation turned off (specPath: false)';
  } else {
    const path = resolveZendeskSpecPath(options.specPath);
    state.specPath = path;
    // Throws when the spec is missing or unreadable: only an explicit `specPath: false` turns validation off.
    validator = requireZendeskSpecValidator(path);
    state.validation = 'enabled';
  }

  const firstCredential = credentials.find((c): c is { email: string; apiToken: string } => 'email' in c);
  const store = createTicketStore(state, {
    seed: options.seed ?? true,
    firstTicketId: options.firstTicketId ?? FIRST_CREATED_TICKET_ID,
    agentEmail: firstCredential?.email ?? 'api@sandbox.local',
  });
  const accountLimiter = createSlidingWindowLimiter(rateLimit, MINUTE_MS);
  const ticketLimiter = createSlidingWindowLimiter(ticketLimit.max, ticketLimit.windowMs);
  const idempotency = createIdempotencyStore(options.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS);
  const script = createResponseScript();
  const callLog = createCallLog<SandboxCall>();
  const calls = callLog.calls;

  function rateHeaders(d: LimitDecision): Record<string, string> {
    return {
      'X-Rate-Limit': String(d.limit),
      'X-Rate-Limit-Remaining': String(d.remaining),
      'ratelimit-limit': String(d.limit),
      'ratelimit-remaining': String(d.remaining),
      'ratelimit-reset': String(d.resetSec),
    };
  }

  const router = express.Router();
  // Raw bytes, so we can tell malformed JSON apart and compare bodies for Idempotency-Key. When the host app
  // already parsed JSON, body-parser skips this and req.body is the parsed object.
  router.use(express.raw({ type: () => true, limit: '10mb' }));

  // ---- Human view (not part of the API: no auth, not recorded in calls) ----
  router.get('/', (req, res) => {
    const apiBase = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}`;
    res.set('Content-Security-Policy', VIEW_CSP).type('html').send(renderTicketListPage(state, req.baseUrl, apiBase));
  });
  router.get('/tickets/:id', (req, res) => {
    const id = Number(req.params.id);
    const ticket = Number.isInteger(id) ? state.tickets.get(id) : undefined;
    res.set('Content-Security-Policy', VIEW_CSP).type('html');
    if (!ticket) res.status(404).send(renderNotFoundPage(req.baseUrl, `There is no ticket #${req.params.id}.`));
    else res.send(renderTicketPage(state, ticket, req.baseUrl));
  });

  // ---- The app's public key (signed-URL tokens, app-keys.ts): GET /api/v2/apps/{app_id}/public_key.pem ----
  router.get('/api/v2/apps/:appId/public_key.pem', (req, res) => {
    if (!isAuthorized(req.headers.authorization, credentials)) return void res.status(401).json({ error: "Couldn't authenticate you" });
    const keys = options.appKeys;
    if (!keys || String(keys.appId) !== req.params.appId) return void res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
    res.type('application/x-pem-file').send(keys.publicKeyPem);
  });

  // ---- API ----
  router.use(async (req: Request, res: Response, next) => {
    if (!req.path.startsWith('/api/')) return next();
    const method = req.method.toUpperCase();
    const path = req.path;
    const route = matchRoute(method, path);

    let rawBody = '';
    let body: unknown;
    let parseError: string | undefined;
    if (Buffer.isBuffer(req.body)) {
      rawBody = req.body.toString('utf8');
      if (rawBody.trim()) {
        try {
          body = JSON.parse(rawBody);
        } catch (err) {
          parseError = (err as Error).message;
        }
      }
    } else if (req.body !== undefined && req.body !== null && typeof req.body === 'object') {
      body = req.body;
      rawBody = JSON.stringify(req.body);
    }

    const call: SandboxCall = {
      seq: callLog.nextSeq(),
      method,
      path,
      query: queryOf(req),
      ...(route.operation ? { operation: route.operation } : {}),
      ...(route.ticketId !== undefined ? { ticketId: route.ticketId } : {}),
      headers: callLog.safeHeaders(lowerHeaders(req)),
      ...(req.headers.authorization ? { credential: callLog.fingerprint(req.headers.authorization) as string } : {}),
      body,
      rawBody,
      at: now(),
      scripted: false,
      valid: true,
      validation: { checked: false, errors: [] },
      dropped: false,
    };
    callLog.record(call);
    res.on('finish', () => {
      if (call.status === undefined) call.status = res.statusCode;
    });

    let dropResponse = false;
    const drop = (): void => {
      call.dropped = true;
      call.status = 0;
      req.socket.destroy();
    };
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      if (dropResponse) return drop();
      if (res.writableEnded || req.socket.destroyed) {
        call.status ??= status;
        return;
      }
      res.status(status).set(headers);
      if (payload === undefined) res.end();
      else if (typeof payload === 'string') res.type('text/plain; charset=utf-8').send(payload);
      else res.json(payload);
    };

    try {
      await sleep(latencyMs);

      const scripted = script.take(method, path);
      if (scripted) {
        call.scripted = true;
        await sleep(scripted.delayMs ?? 0);
        if (!scripted.passThrough) {
          if (scripted.drop) return drop();
          const decision = accountLimiter.take('account', now());
          return send(scripted.status ?? 200, scripted.body, { ...rateHeaders(decision), ...(scripted.headers ?? {}) });
        }
        dropResponse = scripted.drop === true;
      }

      // Account-wide limit first: every API request counts, whatever its outcome.
      const decision = accountLimiter.take('account', now());
      const rh = rateHeaders(decision);
      if (!decision.allowed) return send(429, RATE_LIMITED_TEXT, { ...rh, 'Retry-After': String(decision.resetSec) });

      if (!isAuthorized(req.headers.authorization, credentials))
        return send(401, { error: "Couldn't authenticate you" }, { ...rh, 'WWW-Authenticate': 'Basic realm="Web Password"' });

      if (!route.operation) {
        if (route.ticketId !== undefined && !state.tickets.has(route.ticketId)) return send(404, { error: 'RecordNotFound', description: 'Not found' }, rh);
        return send(404, { error: 'InvalidEndpoint', description: 'Not found' }, rh);
      }

      const apiBase = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}`;
      const ctx = { now: now(), userAgent: call.headers['user-agent'] };

      if (route.operation === 'ListTicketFields') {
        // Without pagination parameters Zendesk returns every field in one page.
        const fields = state.ticketFields.map((f) => ({ ...f, url: `${apiBase}/api/v2/ticket_fields/${f.id}.json` }));
        return send(200, { ticket_fields: fields, next_page: null, previous_page: null, count: fields.length }, rh);
      }
      if (route.operation === 'ShowUser' || route.operation === 'ListUserGroupMemberships') {
        const id = route.userId as number;
        const payload = route.operation === 'ShowUser' ? ((u) => u && { user: u })(userJson(id, state.users, apiBase)) : groupMembershipsJson(id, apiBase);
        if (!payload) return send(404, { error: 'RecordNotFound', description: 'Not found' }, rh);
        return send(200, payload, rh);
      }
      if (route.operation === 'ListTickets') {
        // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets (external_id filter)
        const externalId = call.query.external_id;
        const all = [...state.tickets.values()].filter((t) => externalId === undefined || t.external_id === externalId);
        if (descending(call)) all.reverse();
        const tickets = all.map((t) => store.ticketJson(t, apiBase));
        return send(200, { tickets, next_page: null, previous_page: null, count: tickets.length }, rh);
      }
      if (route.operation === 'ShowTicket' || route.operation === 'ListTicketComments') {
        const ticket = state.tickets.get(route.ticketId as number);
        if (!ticket) return send(404, { error: 'RecordNotFound', description: 'Not found' }, rh);
        if (route.operation === 'ShowTicket') return send(200, { ticket: store.ticketJson(ticket, apiBase) }, rh);
        const comments = (descending(call) ? [...ticket.comments].reverse() : ticket.comments).map((c) => store.commentJson(c));
        return send(200, { comments, next_page: null, previous_page: null, count: comments.length }, rh);
      }

      // ---- Writes: CreateTicket / UpdateTicket ----
      const contentType = call.headers['content-type'] ?? '';
      if (parseError !== undefined || !/application\/json/i.test(contentType) || body === undefined) {
        const problem =
          parseError !== undefined
            ? `Request body is not valid JSON: ${parseError}`
            : !/application\/json/i.test(contentType)
              ? 'Content-Type must be application/json'
              : 'Request body is empty';
        call.valid = false;
        call.validation = { checked: true, errors: [{ path: '(body)', message: problem, keyword: 'json' }] };
        return send(400, { error: 'BadRequest', description: problem }, rh);
      }

      if (validator) {
        const errors = validator.validateRequestBody(route.operation, body);
        call.validation = { checked: true, errors };
        call.valid = errors.length === 0;
        if (errors.length) return send(422, recordInvalidBody(issuesToDetails(errors)), rh);
      }
      const ticketInput = (body as Json | null)?.ticket;
      if (!ticketInput || typeof ticketInput !== 'object' || Array.isArray(ticketInput))
        return send(422, recordInvalidBody({ ticket: [{ description: 'ticket: must be an object', error: 'InvalidValue' }] }), rh);
      const t = ticketInput as Json;

      if (route.operation === 'CreateTicket') {
        const key = call.headers['idempotency-key'];
        const fingerprint = canonicalJson(body);
        if (key) {
          const found = idempotency.lookup(key, fingerprint, ctx.now);
          if (found.kind === 'hit') {
            call.idempotency = 'hit';
            return send(found.response.status, found.response.body, { ...found.response.headers, ...rh, 'x-idempotency-lookup': 'hit' });
          }
          if (found.kind === 'mismatch') {
            call.idempotency = 'mismatch';
            return send(
              400,
              { error: 'IdempotentRequestError', description: 'Request parameters do not match the original request made with this Idempotency-Key' },
              rh,
            );
          }
          call.idempotency = 'miss';
        }
        const created = store.create(t, ctx);
        const location = `${apiBase}/api/v2/tickets/${created.ticket.id}.json`;
        const response: StoredResponse = {
          status: 201,
          headers: { Location: location },
          body: { ticket: store.ticketJson(created.ticket, apiBase), audit: created.audit },
        };
        if (key) idempotency.store(key, fingerprint, response, ctx.now);
        return send(response.status, response.body, { ...response.headers, ...rh, ...(key ? { 'x-idempotency-lookup': 'miss' } : {}) });
      }

      // UpdateTicket
      const id = route.ticketId as number;
      const current = state.tickets.get(id);
      if (!current) return send(404, { error: 'RecordNotFound', description: 'Not found' }, rh);
      if ('safe_update' in t && t.updated_stamp !== undefined && t.updated_stamp !== null) {
        // "A value of false has the same effect as true": any safe_update plus a stamp turns the check on.
        const stamp = Date.parse(String(t.updated_stamp));
        if (Number.isNaN(stamp) || Math.floor(stamp / 1000) !== Math.floor(Date.parse(current.updated_at) / 1000))
          return send(
            409,
            {
              error: 'UpdateConflict',
              description: 'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
            },
            rh,
          );
      }
      const perTicket = ticketLimiter.take(`ticket:${id}`, ctx.now);
      if (!perTicket.allowed) return send(429, TICKET_UPDATE_LIMITED_TEXT, { ...rh, 'Retry-After': String(perTicket.resetSec) });
      const updated = store.update(id, t, ctx);
      return send(200, { ticket: store.ticketJson(updated.ticket, apiBase), audit: updated.audit }, rh);
    } catch (err) {
      if (err instanceof RecordInvalid) return send(422, recordInvalidBody(err.details));
      return send(500, { error: 'InternalError', description: (err as Error).message });
    }
  });

  return {
    router,
    state,
    script,
    calls,
    credentialFingerprint: (authorization) => callLog.fingerprint(authorization),
    writes: () => calls.filter((c) => c.method === 'POST' || c.method === 'PUT'),
    reset() {
      callLog.clear();
      script.clear();
      idempotency.clear();
      accountLimiter.reset();
      ticketLimiter.reset();
      store.reset();
    },
  };
}
