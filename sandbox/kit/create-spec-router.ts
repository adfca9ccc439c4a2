/**
 * The sandbox kit: an Express router that serves an API from its official OpenAPI file. Each request is
 * matched to the spec's operation (method + path template -> operationId), checked against it (auth,
 * parameters, JSON body) and dispatched to a table `{ [operationId]: handler }`: no hand-written routes.
 *
 * Fixed order for every API request: latency -> scripted response (script.next) -> rate budget -> auth ->
 * operation match (404 / 405) -> JSON body parse (400) -> spec validation (the sandbox's own status) ->
 * handler. Every call is recorded in a bounded log without credentials (call-log.ts).
 */
import express, { type Request, type Response, type Router } from 'express';
import { createCallLog, type CallLog } from './call-log.ts';
import type { OpenApiSpec, SpecOperation } from './openapi-spec.ts';
import { createResponseScript, type ResponseScript } from './response-script.ts';
import type { KitCall, ValidationIssue } from './types.ts';

export interface KitResponse {
  status: number;
  /** Objects are sent as JSON, strings as text/plain, undefined as an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface KitRequest {
  call: KitCall;
  operation: SpecOperation;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** The API's base URL as this request reached it (scheme, host, mount point). */
  apiBase: string;
  now: number;
}

export type OperationHandler = (req: KitRequest) => KitResponse | Promise<KitResponse>;

/** The platform's own answers for what the kit refuses (each API has its own error body shape). */
export interface KitErrors {
  unauthorized(): KitResponse;
  unknownPath(method: string, path: string): KitResponse;
  methodNotAllowed(allowed: string[]): KitResponse;
  badJson(problem: string): KitResponse;
  invalid(issues: ValidationIssue[], operation: SpecOperation): KitResponse;
  /** The spec has the operation but the sandbox has no handler for it. */
  notImplemented(operation: SpecOperation): KitResponse;
  internal(message: string): KitResponse;
}

export interface RateBudget {
  /** Counts this request; `headers` go on every answer, `refused` (a 429) replaces it when over budget. */
  take(now: number): { headers: Record<string, string>; refused?: KitResponse };
  reset(): void;
}

export interface SpecRouterOptions {
  spec: OpenApiSpec;
  handlers: Readonly<Record<string, OperationHandler>>;
  /** True when the request's headers carry an accepted credential (compare in constant time). */
  authorize(headers: Record<string, string>): boolean;
  errors: KitErrors;
  budget?: RateBudget;
  latencyMs?: number;
  now?: () => number;
  /** Maps paths before matching them to operations and scripted responses (e.g. Zendesk's optional `.json`). */
  normalizePath?: (path: string) => string;
  /** False: match operations but check nothing against the spec (calls say `validation.checked: false`). Default true. */
  validate?: boolean;
  /** Called with each call as soon as it is recorded (a sandbox adds its own fields). */
  onCall?: (call: KitCall) => void;
  /** Requests this answers true for go to `next()` (e.g. the sandbox's HTML pages), unrecorded. */
  skip?: (req: Request) => boolean;
}

export interface SpecRouter {
  router: Router;
  script: ResponseScript;
  callLog: CallLog<KitCall>;
  reset(): void;
}

function lowerHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query as Record<string, unknown>) ?? {})) out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  return out;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}

export function createSpecRouter(options: SpecRouterOptions): SpecRouter {
  const now = options.now ?? Date.now;
  const script = createResponseScript(options.normalizePath);
  const callLog = createCallLog<KitCall>();
  const router = express.Router();
  // Raw bytes, so malformed JSON is told apart; when the host app already parsed JSON, req.body is the object.
  router.use(express.raw({ type: () => true, limit: '10mb' }));

  router.use(async (req: Request, res: Response, next) => {
    if (options.skip?.(req)) return next();
    const method = req.method.toUpperCase();
    const path = req.path;
    const headers = lowerHeaders(req);

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

    const matched = options.spec.match(method, options.normalizePath ? options.normalizePath(path) : path);
    const call: KitCall = {
      seq: callLog.nextSeq(),
      method,
      path,
      query: queryOf(req),
      ...(matched.kind === 'operation' ? { operation: matched.operation.operationId } : {}),
      params: matched.kind === 'operation' ? matched.params : {},
      headers: callLog.safeHeaders(headers),
      ...(headers.authorization ? { credential: callLog.fingerprint(headers.authorization) as string } : {}),
      body,
      rawBody,
      at: now(),
      scripted: false,
      valid: true,
      validation: { checked: false, errors: [] },
      dropped: false,
    };
    callLog.record(call);
    options.onCall?.(call);
    res.on('finish', () => {
      call.status ??= res.statusCode;
    });

    let dropResponse = false;
    const drop = (): void => {
      call.dropped = true;
      call.status = 0;
      req.socket.destroy();
    };
    const send = (answer: KitResponse, extra: Record<string, string> = {}): void => {
      if (dropResponse) return drop();
      if (res.writableEnded || req.socket.destroyed) {
        call.status ??= answer.status;
        return;
      }
      res.status(answer.status).set({ ...extra, ...(answer.headers ?? {}) });
      if (answer.body === undefined) res.end();
      else if (typeof answer.body === 'string') res.type('text/plain; charset=utf-8').send(answer.body);
      else res.json(answer.body);
    };

    try {
      await sleep(options.latencyMs ?? 0);

      const scripted = script.take(method, path);
      if (scripted) {
        call.scripted = true;
        await sleep(scripted.delayMs ?? 0);
        if (!scripted.passThrough) {
          if (scripted.drop) return drop();
          const rate = options.budget?.take(now());
          return send({ status: scripted.status ?? 200, body: scripted.body, headers: { ...(rate?.headers ?? {}), ...(scripted.headers ?? {}) } });
        }
        dropResponse = scripted.drop === true;
      }

      const rate = options.budget?.take(now());
      const rh = rate?.headers ?? {};
      if (rate?.refused) return send(rate.refused, rh);

      const secured = matched.kind !== 'operation' || matched.operation.secured;
      if (secured && !options.authorize(headers)) return send(options.errors.unauthorized(), rh);

      if (matched.kind === 'unknown-path') return send(options.errors.unknownPath(method, path), rh);
      if (matched.kind === 'method-not-allowed') return send(options.errors.methodNotAllowed(matched.allowed), rh);
      const { operation, params } = matched;

      if (parseError !== undefined) {
        call.valid = false;
        call.validation = { checked: true, errors: [{ path: '(body)', message: `is not valid JSON: ${parseError}`, keyword: 'json' }] };
        return send(options.errors.badJson(`Request body is not valid JSON: ${parseError}`), rh);
      }
      if (body !== undefined && operation.requestBody && !/application\/json/i.test(headers['content-type'] ?? '')) {
        call.valid = false;
        call.validation = { checked: true, errors: [{ path: '(body)', message: 'Content-Type must be application/json', keyword: 'json' }] };
        return send(options.errors.badJson('Content-Type must be application/json'), rh);
      }

      if (options.validate !== false) {
        const issues = options.spec.validateRequest(operation, { params, query: call.query, headers, body });
        call.validation = { checked: true, errors: issues };
        call.valid = issues.length === 0;
        if (issues.length) return send(options.errors.invalid(issues, operation), rh);
      }

      const handler = options.handlers[operation.operationId];
      if (!handler) return send(options.errors.notImplemented(operation), rh);
      const apiBase = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}`;
      return send(await handler({ call, operation, params, query: call.query, headers, body, apiBase, now: now() }), rh);
    } catch (err) {
      return send(options.errors.internal((err as Error).message));
    }
  });

  return {
    router,
    script,
    callLog,
    reset() {
      callLog.clear();
      script.clear();
      options.budget?.reset();
    },
  };
}
