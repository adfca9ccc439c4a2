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
 * - Built on the sandbox kit (sandbox/kit/create-spec-router.ts): each request is matched to an operation of
 *   the official OpenAPI file (spec-validator.ts; a missing file throws) and dispatched to its handler below;
 *   parameters and bodies breaking the spec are answered 422 RecordInvalid, as Zendesk answers invalid record
 *   values (a non-numeric id in the path: 404 InvalidEndpoint).
 */
import { timingSafeEqual } from 'node:crypto';
import express from 'express';
import { renderNotFoundPage, renderTicketListPage, renderTicketPage, VIEW_CSP } from './html-view.ts';
import { canonicalJson, createIdempotencyStore, IDEMPOTENCY_TTL_MS, type StoredResponse } from './idempotency-store.ts';
import { withoutJsonSuffix } from './response-script.ts';
import { createSpecRouter, type KitRequest, type KitResponse, type OperationHandler } from '../kit/create-spec-router.ts';
import type { OpenApiSpec } from '../kit/openapi-spec.ts';
import { FIRST_CREATED_TICKET_ID } from './seed-tickets.ts';
import { installedTicketFields, systemTicketFields } from './ticket-fields.ts';
import { createSlidingWindowLimiter, type LimitDecision } from './sliding-window-limiter.ts';
import { DEFAULT_ZENDESK_SPEC_PATH, requireZendeskSpecValidator, resolveZendeskSpecPath, type ZendeskSpecValidator } from './spec-validator.ts';
import { createTicketStore, RecordInvalid } from './ticket-store.ts';
import { groupMembershipsJson, userJson } from './sandbox-agents.ts';
import { createZendeskOAuth } from './oauth-routes.ts';
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

/** The operations this sandbox implements (one handler each, below). */
const OPERATIONS: ReadonlySet<string> = new Set<SandboxOperation>(['CreateTicket', 'UpdateTicket', 'ShowTicket', 'ListTickets', 'ListTicketComments', 'ListTicketFields', 'ShowUser', 'ListUserGroupMemberships']);

/** `/api/v2/tickets/35436.json` -> `/api/v2/tickets/35436`: the `.json` suffix is optional, as on Zendesk. */
function normalizePath(path: string): string {
  return withoutJsonSuffix(path);
}

/** Which implemented Zendesk operation a request calls, by the spec's paths (ids must be numeric). */
export function matchRoute(method: string, path: string, spec: OpenApiSpec = requireZendeskSpecValidator(DEFAULT_ZENDESK_SPEC_PATH).spec): Route {
  const m = spec.match(method, normalizePath(path));
  if (m.kind !== 'operation') return {};
  return routeOf(m.operation.operationId, m.params);
}

function routeOf(operationId: string, params: Record<string, string>): Route {
  const id = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  if (params.ticket_id !== undefined && id(params.ticket_id) === undefined) return {};
  if (params.user_id !== undefined && id(params.user_id) === undefined) return {};
  const ticketId = id(params.ticket_id);
  const userId = id(params.user_id);
  return {
    ...(OPERATIONS.has(operationId) ? { operation: operationId as SandboxOperation } : {}),
    ...(ticketId !== undefined ? { ticketId } : {}),
    ...(userId !== undefined && OPERATIONS.has(operationId) ? { userId } : {}),
  };
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
  // OAuth (oauth-routes.ts): the tokens it issues are accepted on the API like the configured credentials.
  const oauth = createZendeskOAuth(options.oauthClients, now);

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

  // ---- OAuth: consent page, token endpoint, users/me and revocation for issued tokens ----
  router.use(oauth.router);

  // ---- The app's public key (signed-URL tokens, app-keys.ts): GET /api/v2/apps/{app_id}/public_key.pem ----
  router.get('/api/v2/apps/:appId/public_key.pem', (req, res) => {
    if (!isAuthorized(req.headers.authorization, credentials)) return void res.status(401).json({ error: "Couldn't authenticate you" });
    const keys = options.appKeys;
    if (!keys || String(keys.appId) !== req.params.appId) return void res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
    res.type('application/x-pem-file').send(keys.publicKeyPem);
  });

  // ---- API: the sandbox kit routes each request to the spec's operation and validates it; one handler each ----
  const rh = (d: LimitDecision): Record<string, string> => rateHeaders(d);
  const notFound = (): KitResponse => ({ status: 404, body: { error: 'RecordNotFound', description: 'Not found' } });
  const json = (status: number, body: unknown, headers?: Record<string, string>): KitResponse => ({ status, body, ...(headers ? { headers } : {}) });
  const zcall = (req: KitRequest): SandboxCall => req.call as SandboxCall;
  const ticketIdOf = (req: KitRequest): number => Number(req.params.ticket_id);

  /** Writes take a JSON object with a `ticket` object (Zendesk's RecordInvalid otherwise). */
  function ticketInputOf(req: KitRequest): Json | KitResponse {
    if (req.body === undefined) {
      zcall(req).valid = false;
      zcall(req).validation = { checked: true, errors: [{ path: '(body)', message: 'Request body is empty', keyword: 'json' }] };
      return json(400, { error: 'BadRequest', description: 'Request body is empty' });
    }
    const t = (req.body as Json | null)?.ticket;
    if (!t || typeof t !== 'object' || Array.isArray(t)) return json(422, recordInvalidBody({ ticket: [{ description: 'ticket: must be an object', error: 'InvalidValue' }] }));
    return t as Json;
  }
  const isResponse = (v: Json | KitResponse): v is KitResponse => typeof (v as KitResponse).status === 'number' && !('ticket' in v);

  const handlers: Record<SandboxOperation, OperationHandler> = {
    // Without pagination parameters Zendesk returns every field in one page.
    ListTicketFields: (req) => {
      const fields = state.ticketFields.map((f) => ({ ...f, url: `${req.apiBase}/api/v2/ticket_fields/${f.id}.json` }));
      return json(200, { ticket_fields: fields, next_page: null, previous_page: null, count: fields.length });
    },
    // https://developer.zendesk.com/api-reference/ticketing/users/users/#show-user and
    // …/groups/group_memberships/#list-memberships (the sidebar's access check)
    ShowUser: (req) => {
      const user = userJson(Number(req.params.user_id), state.users, req.apiBase);
      return user ? json(200, { user }) : notFound();
    },
    ListUserGroupMemberships: (req) => {
      const payload = groupMembershipsJson(Number(req.params.user_id), req.apiBase);
      return payload ? json(200, payload) : notFound();
    },
    // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets (external_id filter)
    ListTickets: (req) => {
      const externalId = req.query.external_id;
      const all = [...state.tickets.values()].filter((t) => externalId === undefined || t.external_id === externalId);
      if (descending(zcall(req))) all.reverse();
      const tickets = all.map((t) => store.ticketJson(t, req.apiBase));
      return json(200, { tickets, next_page: null, previous_page: null, count: tickets.length });
    },
    ShowTicket: (req) => {
      const ticket = state.tickets.get(ticketIdOf(req));
      return ticket ? json(200, { ticket: store.ticketJson(ticket, req.apiBase) }) : notFound();
    },
    ListTicketComments: (req) => {
      const ticket = state.tickets.get(ticketIdOf(req));
      if (!ticket) return notFound();
      const comments = (descending(zcall(req)) ? [...ticket.comments].reverse() : ticket.comments).map((c) => store.commentJson(c));
      return json(200, { comments, next_page: null, previous_page: null, count: comments.length });
    },
    CreateTicket: (req) => {
      const t = ticketInputOf(req);
      if (isResponse(t)) return t;
      const call = zcall(req);
      const key = call.headers['idempotency-key'];
      const fingerprint = canonicalJson(req.body);
      if (key) {
        const found = idempotency.lookup(key, fingerprint, req.now);
        if (found.kind === 'hit') {
          call.idempotency = 'hit';
          return json(found.response.status, found.response.body, { ...found.response.headers, 'x-idempotency-lookup': 'hit' });
        }
        if (found.kind === 'mismatch') {
          call.idempotency = 'mismatch';
          return json(400, { error: 'IdempotentRequestError', description: 'Request parameters do not match the original request made with this Idempotency-Key' });
        }
        call.idempotency = 'miss';
      }
      const created = store.create(t, { now: req.now, userAgent: call.headers['user-agent'] });
      const response: StoredResponse = {
        status: 201,
        headers: { Location: `${req.apiBase}/api/v2/tickets/${created.ticket.id}.json` },
        body: { ticket: store.ticketJson(created.ticket, req.apiBase), audit: created.audit },
      };
      if (key) idempotency.store(key, fingerprint, response, req.now);
      return json(response.status, response.body, { ...response.headers, ...(key ? { 'x-idempotency-lookup': 'miss' } : {}) });
    },
    UpdateTicket: (req) => {
      const t = ticketInputOf(req);
      if (isResponse(t)) return t;
      const id = ticketIdOf(req);
      const current = state.tickets.get(id);
      if (!current) return notFound();
      if ('safe_update' in t && t.updated_stamp !== undefined && t.updated_stamp !== null) {
        // "A value of false has the same effect as true": any safe_update plus a stamp turns the check on.
        const stamp = Date.parse(String(t.updated_stamp));
        if (Number.isNaN(stamp) || Math.floor(stamp / 1000) !== Math.floor(Date.parse(current.updated_at) / 1000))
          return json(409, { error: 'UpdateConflict', description: 'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.' });
      }
      const perTicket = ticketLimiter.take(`ticket:${id}`, req.now);
      if (!perTicket.allowed) return json(429, TICKET_UPDATE_LIMITED_TEXT, { 'Retry-After': String(perTicket.resetSec) });
      const updated = store.update(id, t, { now: req.now, userAgent: zcall(req).headers['user-agent'] });
      return json(200, { ticket: store.ticketJson(updated.ticket, req.apiBase), audit: updated.audit });
    },
  };
  // RecordInvalid thrown by the ticket store is Zendesk's 422 with per-field details.
  const guarded: Record<string, OperationHandler> = Object.fromEntries(
    Object.entries(handlers).map(([op, h]) => [
      op,
      async (req: KitRequest): Promise<KitResponse> => {
        try {
          return await h(req);
        } catch (err) {
          if (err instanceof RecordInvalid) return json(422, recordInvalidBody(err.details));
          throw err;
        }
      },
    ]),
  );

  const routingSpec = validator?.spec ?? requireZendeskSpecValidator(DEFAULT_ZENDESK_SPEC_PATH).spec;
  const kit = createSpecRouter({
    spec: routingSpec,
    handlers: guarded,
    validate: validator !== undefined,
    normalizePath,
    authorize: (headers) => isAuthorized(headers.authorization, credentials) || oauth.server.grantOf(headers.authorization) !== undefined,
    errors: {
      unauthorized: () => json(401, { error: "Couldn't authenticate you" }, { 'WWW-Authenticate': 'Basic realm="Web Password"' }),
      unknownPath: () => json(404, { error: 'InvalidEndpoint', description: 'Not found' }),
      methodNotAllowed: () => json(404, { error: 'InvalidEndpoint', description: 'Not found' }),
      badJson: (problem) => json(400, { error: 'BadRequest', description: problem }),
      invalid: (issues) => {
        // A non-numeric id in the path is not a route on Zendesk; parameter and body issues are RecordInvalid.
        if (issues.some((i) => i.path.startsWith('path.'))) return json(404, { error: 'InvalidEndpoint', description: 'Not found' });
        return json(422, recordInvalidBody(issuesToDetails(issues)));
      },
      notImplemented: () => json(404, { error: 'InvalidEndpoint', description: 'Not found' }),
      internal: (message) => json(500, { error: 'InternalError', description: message }),
    },
    budget: {
      take(at) {
        const d = accountLimiter.take('account', at);
        const headers = rh(d);
        return d.allowed ? { headers } : { headers, refused: json(429, RATE_LIMITED_TEXT, { 'Retry-After': String(d.resetSec) }) };
      },
      reset: () => accountLimiter.reset(),
    },
    latencyMs,
    now,
    skip: (req) => !req.path.startsWith('/api/'),
    onCall(call) {
      const route = routeOf(call.operation ?? '', call.params);
      const z = call as SandboxCall;
      if (route.operation) z.operation = route.operation;
      else delete z.operation;
      if (route.ticketId !== undefined) z.ticketId = route.ticketId;
    },
  });
  router.use(kit.router);
  const calls = kit.callLog.calls as SandboxCall[];

  return {
    router,
    state,
    script: kit.script,
    calls,
    oauth: oauth.server,
    credentialFingerprint: (authorization) => kit.callLog.fingerprint(authorization),
    writes: () => calls.filter((c) => c.method === 'POST' || c.method === 'PUT'),
    reset() {
      kit.reset();
      idempotency.clear();
      accountLimiter.reset();
      ticketLimiter.reset();
      store.reset();
    },
  };
}
