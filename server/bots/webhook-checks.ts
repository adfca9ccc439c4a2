/**
 * The checks of a bot webhook once its body is read, in their fixed order, free of any HTTP framework: 401
 * authentication (unknown tenant, platform not set up, bad credential: one answer) → 400 JSON → 422 depth → 422
 * the adapter's reading → 422 a helpdesk the tenant does not connect → store (group commit) → 202 / 200.
 * The Express route (route-factory.ts, after its 415 and 413 checks) and the lean node:http path of the generic
 * webhook (http/lean-webhook.ts) both answer with this, so they cannot drift apart.
 */
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config.ts';
import { UnserializableEventError, type Inbox } from '../pipeline/inbox.ts';
import { errorAnswer, type JsonAnswer } from '../http/error-body.ts';
import { findTooDeep, MAX_JSON_DEPTH } from '../http/json-depth.ts';
import type { BotAdapter, BotResponse, ParseContext, RouteOutcome, StoredHandoff } from './bot-adapter.ts';

export interface WebhookCheckDeps {
  config: Readonly<Config>;
  inbox: Inbox;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  clock?: () => number;
}

/** One request as the checks see it: the tenant from the path, the headers, the raw body bytes. */
export interface WebhookInput {
  tenantId: string;
  header(name: string): string | undefined;
  raw: Buffer;
}

export interface WebhookAnswer extends JsonAnswer {
  /** At least one new handoff was stored: wake the worker. */
  accepted: boolean;
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

const rejected = (a: JsonAnswer): WebhookAnswer => ({ ...a, accepted: false });

/** The checks of one adapter's webhook, bound to its dependencies. */
export function webhookChecks<S>(adapter: BotAdapter<S>, deps: WebhookCheckDeps): (input: WebhookInput) => Promise<WebhookAnswer> {
  const { config, inbox, logger, tenants } = deps;
  const clock = deps.clock ?? Date.now;
  return async ({ tenantId, header, raw }) => {
    const tenant = tenants.get(tenantId);
    const settings = tenant ? adapter.settingsOf(tenant) : undefined;
    const check = adapter.verify({ header, raw, tenant, settings, nowSec: Math.floor(clock() / 1000), toleranceSec: config.signatureToleranceSec });
    if (!tenant || settings === undefined || !check.ok) {
      // One body for an unknown tenant, a platform not set up and a bad credential: nothing to probe.
      const reason = !tenant ? 'unknown_tenant' : settings === undefined ? 'platform_not_configured' : check.ok ? 'unknown' : check.reason;
      logger.warn({ adapter: adapter.name, tenantKnown: Boolean(tenant), reason }, 'webhook rejected: 401');
      return rejected(errorAnswer('invalid_signature', adapter.unauthorizedMessage));
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return rejected(errorAnswer('malformed_json', `Body is not valid JSON: ${(err as Error).message}`));
    }
    // Before anything recursive (the adapter, the store's JSON.stringify) touches it.
    const tooDeep = findTooDeep(body);
    if (tooDeep !== undefined) {
      return rejected(errorAnswer('invalid_handoff', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`, [{ field: tooDeep, problem: `nested deeper than ${MAX_JSON_DEPTH} levels` }]));
    }
    const ctx: ParseContext<S> = { tenant, settings, receivedAt: new Date(clock()).toISOString() };
    const answer = (outcome: RouteOutcome, accepted: boolean): WebhookAnswer => ({ ...(adapter.respond ? adapter.respond(outcome, ctx) : defaultResponse(outcome)), accepted });
    let parsed: ReturnType<BotAdapter<S>['parse']>;
    try {
      parsed = adapter.parse(body, ctx);
    } catch (err) {
      // An adapter must return 'invalid' for what it cannot read; if one throws, the sender still gets a 4xx
      // (never a 5xx for a body), and the log says which adapter to fix.
      logger.error({ err, adapter: adapter.name, tenantId: tenant.id }, 'bot adapter threw while reading a body');
      return rejected(errorAnswer('invalid_handoff', `Body could not be read as a ${adapter.name} handoff`));
    }
    if (parsed.kind === 'invalid') return rejected(errorAnswer('invalid_handoff', parsed.message, parsed.errors));
    // An adapter that found no handoff in a body it could read: acknowledged like any other non-handoff.
    if (parsed.kind === 'handoffs' && parsed.events.length === 0) parsed = { kind: 'ignored', reason: 'no handoff in this request' };
    if (parsed.kind === 'ignored') {
      logger.info({ adapter: adapter.name, tenantId: tenant.id, reason: parsed.reason }, 'webhook ignored');
      return answer(parsed, false);
    }
    // Each target's helpdesk must be one this tenant connects: refused now rather than dead-lettered later.
    for (const event of parsed.events) {
      if (Object.hasOwn(tenant.helpdesks, event.target.helpdesk)) continue;
      const connected = Object.keys(tenant.helpdesks);
      return rejected(
        errorAnswer(
          'no_helpdesk',
          `The handoff targets ${event.target.helpdesk}, which tenant ${tenant.id} does not connect ` +
            (connected.length ? `(it connects ${connected.join(', ')})` : '(it has no helpdesk configured)'),
        ),
      );
    }
    const stored: StoredHandoff[] = [];
    try {
      // Accepted together: the inbox commits events of the same turn in one transaction.
      const results = await Promise.all(parsed.events.map((event) => inbox.accept(event)));
      parsed.events.forEach((event, i) => stored.push({ event, result: results[i]! }));
    } catch (err) {
      if (err instanceof UnserializableEventError) return rejected(errorAnswer('invalid_handoff', err.message));
      logger.error({ err, adapter: adapter.name, tenantId: tenant.id }, 'could not store handoff');
      return rejected(errorAnswer('store_unavailable', 'The handoff could not be stored; retry later'));
    }
    for (const { event, result } of stored) {
      // Bindings inline rather than a child logger: this is the hot path.
      const ids = { handoffId: result.handoffId, tenantId: tenant.id, eventId: event.id };
      if (result.duplicate) logger.info({ ...ids, adapter: adapter.name }, 'duplicate handoff');
      else logger.info({ ...ids, adapter: adapter.name, messages: event.messages.length }, 'handoff queued');
    }
    return answer({ kind: 'stored', handoffs: stored }, stored.some((s) => !s.result.duplicate));
  };
}
