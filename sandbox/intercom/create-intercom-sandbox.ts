/**
 * A local stand-in for the part of Intercom's REST API Baton uses, on the sandbox kit: every request is
 * matched to an operation of Intercom's official OpenAPI file (test/fixtures/api-specs/intercom-api.yaml,
 * version 2.16) and validated against it before its handler (operation-handlers.ts) runs.
 *
 * Intercom behaviour it follows:
 * - Auth: `Authorization: Bearer <access token>`, else 401 `error.list` with code `unauthorized`
 *   (the spec's 401 examples).
 * - `Intercom-Version` header: optional; a value outside the spec's enum (1.0 … 2.16, Preview is not in
 *   the 2.16 file) is refused with 400. Every value seen is recorded in `state.versionsSeen`.
 * - Rate limits: `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix seconds) on every
 *   API answer, 429 when the window's budget is spent
 *   (https://developers.intercom.com/docs/references/2.0/rest-api/errors/rate-limiting). The 429 body's
 *   error code and the real window length are unverified.
 * - 404 `not_found` for unknown ids; `error.list` bodies throughout (intercom-errors.ts).
 *
 * HTML pages (not API, not recorded, no auth): `GET /` and `GET /conversations/:id` when the request sends
 * no Authorization header and accepts text/html (a browser); mount behind the loopback Host guard.
 */
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { type Request } from 'express';
import { createSpecRouter, type RateBudget } from '../kit/create-spec-router.ts';
import { createFixedWindowLimiter } from '../kit/fixed-window-limiter.ts';
import { loadOpenApiSpec } from '../kit/openapi-spec.ts';
import { createConversationStore } from './conversation-store.ts';
import { renderConversationList, renderConversationPage, renderNotFound, VIEW_CSP } from './html-view.ts';
import { intercomError } from './intercom-errors.ts';
import { createOperationHandlers } from './operation-handlers.ts';
import type { IntercomSandbox, IntercomSandboxOptions } from './types.ts';
import { createIntercomOAuth } from './oauth-routes.ts';

export const DEFAULT_INTERCOM_SPEC_PATH = fileURLToPath(new URL('../../test/fixtures/api-specs/intercom-api.yaml', import.meta.url));
export const DEFAULT_INTERCOM_TOKEN = 'ic_sandbox_token';
export const DEFAULT_INTERCOM_RATE_LIMIT = { limit: 10_000, windowMs: 60_000 } as const;

export function resolveIntercomSpecPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.BATON_INTERCOM_SPEC || DEFAULT_INTERCOM_SPEC_PATH;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True for a browser asking for a page: no credentials, HTML accepted. */
function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' || req.headers.authorization) return false;
  if (req.path === '/' || req.path === '') return true;
  return /^\/conversations\/[^/]+\/?$/.test(req.path) && /text\/html/i.test(req.headers.accept ?? '');
}

export function createIntercomSandbox(options: IntercomSandboxOptions = {}): IntercomSandbox {
  const now = options.now ?? Date.now;
  const tokens = options.accessTokens ?? [DEFAULT_INTERCOM_TOKEN];
  if (tokens.length === 0) throw new Error('createIntercomSandbox: accessTokens must not be empty');
  const specPath = resolveIntercomSpecPath(options.specPath);
  const spec = loadOpenApiSpec(specPath); // throws SpecUnavailableError naming the file
  const store = createConversationStore({ seed: options.seed ?? true, now, specPath });
  const { state } = store;

  const rate = options.rateLimit ?? DEFAULT_INTERCOM_RATE_LIMIT;
  const limiter = createFixedWindowLimiter(rate.limit, rate.windowMs);
  const budget: RateBudget = {
    take(at) {
      const d = limiter.take(at);
      const headers = { 'X-RateLimit-Limit': String(d.limit), 'X-RateLimit-Remaining': String(d.remaining), 'X-RateLimit-Reset': String(d.resetAtSec) };
      return d.allowed ? { headers } : { headers, refused: intercomError(429, 'rate_limit_exceeded', 'Rate Limit Exceeded') };
    },
    reset: () => limiter.reset(),
  };

  // OAuth (oauth-routes.ts): tokens it issues are accepted on the API like the configured ones.
  const oauth = createIntercomOAuth(options.oauthClients, now);
  const kit = createSpecRouter({
    spec,
    handlers: createOperationHandlers(store),
    authorize(headers) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
      return (!!m && tokens.some((t) => safeEqual(t, m[1] as string))) || oauth.grantOf(headers.authorization) !== undefined;
    },
    errors: {
      unauthorized: () => intercomError(401, 'unauthorized', 'Access Token Invalid'),
      unknownPath: () => intercomError(404, 'not_found', 'Resource Not Found'),
      methodNotAllowed: (allowed) => ({ ...intercomError(405, 'method_not_allowed', `Use ${allowed.join(', ')}`), headers: { Allow: allowed.join(', ') } }),
      badJson: (problem) => intercomError(400, 'parameter_invalid', problem),
      invalid: (issues) => {
        const version = issues.find((i) => i.path.toLowerCase() === 'header.intercom-version');
        if (version) return intercomError(400, 'intercom_version_invalid', `Intercom-Version ${version.message}`);
        const first = issues[0];
        return intercomError(400, 'parameter_invalid', issues.map((i) => `${i.path} ${i.message}`).join('; '), first?.path);
      },
      notImplemented: (op) => intercomError(501, 'not_implemented', `the sandbox does not implement ${op.operationId}`),
      internal: (message) => intercomError(500, 'server_error', message),
    },
    budget,
    latencyMs: options.latencyMs ?? 0,
    now,
    skip: wantsPage,
  });

  const router = express.Router();
  router.use((req, _res, next) => {
    const v = req.headers['intercom-version'];
    if (typeof v === 'string' && !wantsPage(req) && !state.versionsSeen.includes(v)) state.versionsSeen.push(v);
    next();
  });
  router.use(oauth.router);
  router.use(kit.router);
  router.get('/', (req, res) => {
    res.set('Content-Security-Policy', VIEW_CSP).type('html').send(renderConversationList(state, req.baseUrl));
  });
  router.get('/conversations/:id', (req, res) => {
    const c = state.conversations.get(req.params.id);
    res.set('Content-Security-Policy', VIEW_CSP).type('html');
    if (!c) res.status(404).send(renderNotFound(req.baseUrl, `There is no conversation ${req.params.id}.`));
    else res.send(renderConversationPage(state, c, req.baseUrl));
  });

  const calls = kit.callLog.calls;
  return {
    router,
    state,
    oauth,
    script: kit.script,
    calls,
    writes: () => calls.filter((c) => c.method === 'POST' || c.method === 'PUT'),
    addConversation: (seed) => store.add(seed),
    conversationJson(id) {
      const c = state.conversations.get(id);
      return c ? store.conversationJson(c) : undefined;
    },
    notes: (id) => state.conversations.get(id)?.parts.filter((p) => p.part_type === 'note') ?? [],
    reset() {
      kit.reset();
      store.reset();
    },
  };
}
