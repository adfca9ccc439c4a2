/**
 * One route per bot adapter, every one with the same fixed order of checks and exact statuses (after
 * octokit/webhooks.js): 415 content type → 413 size → 401 authentication (unknown tenant, or a platform the
 * tenant has not set up: the same answer) → 400 JSON → 422 depth → 422 the adapter's own reading → 422 a target
 * helpdesk the tenant does not connect → store → 202 queued / 200 duplicate / 200 ignored.
 * The 202 is sent only after every event of the request and its job are committed (pipeline/inbox.ts).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config.ts';
import { UnserializableEventError, type Inbox } from '../pipeline/inbox.ts';
import { sendError } from '../http/errors.ts';
import { requireJsonBody } from '../http/content-type.ts';
import { findTooDeep, MAX_JSON_DEPTH } from '../http/json-depth.ts';
import { TOKEN_UNAUTHORIZED } from './token-auth.ts';
import type { BotAdapter, BotResponse, ParseContext, RouteOutcome, StoredHandoff } from './bot-adapter.ts';
import { NOT_JSON, parseJsonBody } from '../http/json-body.ts';

export interface BotRouteDeps {
  config: Readonly<Config>;
  inbox: Inbox;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  /** Wakes the worker so a new job does not wait for the next poll. */
  onAccepted?: () => void;
  clock?: () => number;
}

/** The factory's own answer: one handoff → `{handoffId, status}`; several → `{handoffs: [...]}` as well. */
export function defaultResponse(outcome: RouteOutcome): BotResponse {
  if (outcome.kind === 'ignored') return { status: 200, body: { status: 'ignored', reason: outcome.reason } };
  const items = outcome.handoffs.map((h) => ({ handoffId: h.result.handoffId, status: h.result.duplicate ? 'duplicate' : 'queued' }));
  const anyNew = items.some((i) => i.status === 'queued');
  const status = anyNew ? 202 : 200;
  if (items.length === 1) return { status, body: items[0] };
  return { status, body: { status: anyNew ? 'queued' : 'duplicate', handoffs: items } };
}

/** The route of one adapter. */
export function botRoute<S>(adapter: BotAdapter<S>, deps: BotRouteDeps): Router {
  const { config, inbox, logger, tenants } = deps;
  const clock = deps.clock ?? Date.now;
  const router = express.Router();

  router.post(
    adapter.path,
    // 415 unless application/json in UTF-8 (a declared charset=latin1 would be misread): http/content-type.ts.
    requireJsonBody,
    // inflate:false — signatures are over the bytes as sent; a compressed body is refused with 415.
    express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const tenant = tenants.get(req.params.tenantId);
      const settings = tenant ? adapter.settingsOf(tenant) : undefined;
      const check = adapter.verify({
        header: (name) => req.get(name),
        raw,
        tenant,
        settings,
        nowSec: Math.floor(clock() / 1000),
        toleranceSec: config.signatureToleranceSec,
      });
      if (!tenant || settings === undefined || !check.ok) {
        // One body for an unknown tenant, a platform not set up and a bad credential: nothing to probe.
        const reason = !tenant ? 'unknown_tenant' : settings === undefined ? 'platform_not_configured' : check.ok ? 'unknown' : check.reason;
        logger.warn({ adapter: adapter.name, tenantKnown: Boolean(tenant), reason }, 'webhook rejected: 401');
        sendError(res, 'invalid_signature', adapter.unauthorizedMessage);
        return;
      }
      const body = parseJsonBody(raw, res);
      if (body === NOT_JSON) return;
      // Before anything recursive (the adapter, the store's JSON.stringify) touches it.
      const tooDeep = findTooDeep(body);
      if (tooDeep !== undefined) {
        sendError(res, 'invalid_handoff', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`, [{ field: tooDeep, problem: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
        return;
      }
      const ctx: ParseContext<S> = { tenant, settings, receivedAt: new Date(clock()).toISOString() };
      const answer = (outcome: RouteOutcome): void => {
        const r = adapter.respond ? adapter.respond(outcome, ctx) : defaultResponse(outcome);
        res.status(r.status).json(r.body);
      };
      let parsed: ReturnType<BotAdapter<S>['parse']>;
      try {
        parsed = adapter.parse(body, ctx);
      } catch (err) {
        // An adapter must return 'invalid' for what it cannot read; if one throws, the sender still gets a 4xx
        // (never a 5xx for a body), and the log says which adapter to fix.
        logger.error({ err, adapter: adapter.name, tenantId: tenant.id }, 'bot adapter threw while reading a body');
        sendError(res, 'invalid_handoff', `Body could not be read as a ${adapter.name} handoff`);
        return;
      }
      if (parsed.kind === 'invalid') {
        sendError(res, 'invalid_handoff', parsed.message, parsed.errors);
        return;
      }
      // An adapter that found no handoff in a body it could read: acknowledged like any other non-handoff.
      if (parsed.kind === 'handoffs' && parsed.events.length === 0) parsed = { kind: 'ignored', reason: 'no handoff in this request' };
      if (parsed.kind === 'ignored') {
        logger.info({ adapter: adapter.name, tenantId: tenant.id, reason: parsed.reason }, 'webhook ignored');
        answer(parsed);
        return;
      }
      // Each target's helpdesk must be one this tenant connects: refused now rather than dead-lettered later.
      for (const event of parsed.events) {
        if (Object.hasOwn(tenant.helpdesks, event.target.helpdesk)) continue;
        const connected = Object.keys(tenant.helpdesks);
        sendError(
          res,
          'no_helpdesk',
          `The handoff targets ${event.target.helpdesk}, which tenant ${tenant.id} does not connect ` +
            (connected.length ? `(it connects ${connected.join(', ')})` : '(it has no helpdesk configured)'),
        );
        return;
      }
      const stored: StoredHandoff[] = [];
      try {
        // Accepted together: the inbox commits events of the same turn in one transaction.
        const results = await Promise.all(parsed.events.map((event) => inbox.accept(event)));
        parsed.events.forEach((event, i) => stored.push({ event, result: results[i]! }));
      } catch (err) {
        if (err instanceof UnserializableEventError) {
          sendError(res, 'invalid_handoff', err.message);
          return;
        }
        logger.error({ err, adapter: adapter.name, tenantId: tenant.id }, 'could not store handoff');
        sendError(res, 'store_unavailable', 'The handoff could not be stored; retry later');
        return;
      }
      for (const { event, result } of stored) {
        // Bindings inline rather than a child logger: this is the hot path.
        const ids = { handoffId: result.handoffId, tenantId: tenant.id, eventId: event.id };
        if (result.duplicate) logger.info({ ...ids, adapter: adapter.name }, 'duplicate handoff');
        else logger.info({ ...ids, adapter: adapter.name, messages: event.messages.length }, 'handoff queued');
      }
      answer({ kind: 'stored', handoffs: stored });
      if (stored.some((s) => !s.result.duplicate)) deps.onAccepted?.();
    },
  );
  return router;
}

/**
 * `POST /v1/tenants/:tenantId/bots/:platform` for a platform no adapter serves: after the same content-type and
 * size checks, the same 401 as a bad credential (nobody learns which platforms exist). Mounted after the adapters.
 */
export function unknownBotRoute(config: Readonly<Config>, logger: Logger): Router {
  const router = express.Router();
  router.post('/v1/tenants/:tenantId/bots/:platform', requireJsonBody, express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }), (_req: Request, res: Response) => {
    logger.warn({ reason: 'unknown_platform' }, 'webhook rejected: 401');
    sendError(res, 'invalid_signature', TOKEN_UNAUTHORIZED);
  });
  return router;
}
