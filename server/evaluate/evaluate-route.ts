/**
 * `POST /v1/tenants/{tenantId}/evaluate` (issue 11): should the bot hand over now, and what should it tell the
 * customer? Authenticated exactly like the generic webhook (`Baton-Signature` with the tenant's webhook
 * secrets) with the same checks in the same order and the same error codes (bots/route-factory.ts):
 * 415 content type → 413 size → 401 signature or unknown tenant → 400 JSON → 422 depth → 422 schema → 200.
 * Stores nothing; the answer is `Cache-Control: no-store`.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config.ts';
import type { FirstReplyStats } from '../types/insights.ts';
import { sendError } from '../http/errors.ts';
import { requireJsonBody } from '../http/content-type.ts';
import { findTooDeep, MAX_JSON_DEPTH } from '../http/json-depth.ts';
import { NOT_JSON, parseJsonBody } from '../http/json-body.ts';
import { normalizeGenericHandoff } from '../bots/generic/normalize.ts';
import genericAdapter from '../bots/generic/adapter.ts';
import { validateEvaluateBody } from './evaluate-schema.ts';
import { decide } from './decide.ts';
import { DEFAULT_EVALUATE_CONFIG } from './evaluate-config.ts';
import { estimateWait, type WaitEstimate } from './wait-estimate.ts';
import { openState } from './business-hours.ts';
import { transitionMessage } from './transition-message.ts';

export const EVALUATE_PATH = '/v1/tenants/:tenantId/evaluate';

export interface EvaluateRouteDeps {
  config: Readonly<Config>;
  tenants: ReadonlyMap<string, TenantConfig>;
  logger: Logger;
  /** Outcome tracking's first-reply statistics; absent: no wait estimate, ever (null, neutral wording). */
  firstReplyStats?: FirstReplyStats;
  clock?: () => number;
}

export function evaluateRouter(deps: EvaluateRouteDeps): Router {
  const { config, tenants, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  router.post(
    EVALUATE_PATH,
    requireJsonBody,
    express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: false }),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const now = clock();
      const tenant = tenants.get(req.params.tenantId);
      // The generic adapter's own check: Baton-Signature over the raw bytes, a decoy secret for an unknown tenant.
      const check = genericAdapter.verify({ header: (name) => req.get(name), raw, tenant, settings: {}, nowSec: Math.floor(now / 1000), toleranceSec: config.signatureToleranceSec });
      if (!tenant || !check.ok) {
        logger.warn({ route: 'evaluate', tenantKnown: Boolean(tenant), reason: !tenant ? 'unknown_tenant' : check.ok ? 'unknown' : check.reason }, 'evaluate rejected: 401');
        sendError(res, 'invalid_signature', genericAdapter.unauthorizedMessage);
        return;
      }
      const body = parseJsonBody(raw, res);
      if (body === NOT_JSON) return;
      const tooDeep = findTooDeep(body);
      if (tooDeep !== undefined) {
        sendError(res, 'invalid_handoff', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`, [{ field: tooDeep, problem: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
        return;
      }
      const valid = validateEvaluateBody(body);
      if (!valid.ok) {
        sendError(res, 'invalid_handoff', 'Body does not match the evaluate request (the generic handoff event v1 conversation, customer and messages)', valid.errors);
        return;
      }
      const cfg = tenant.evaluate ?? DEFAULT_EVALUATE_CONFIG;
      let decision: ReturnType<typeof decide>;
      try {
        decision = decide(normalizeGenericHandoff(valid.value, tenant.id, new Date(now).toISOString(), tenant.defaultHelpdesk), tenant.analysis);
      } catch (err) {
        // The analysis must not throw on a valid body; if it does, the bot still gets a 4xx and the log says so.
        logger.error({ err, route: 'evaluate', tenantId: tenant.id }, 'evaluate: analysis threw');
        sendError(res, 'invalid_handoff', 'The conversation could not be evaluated');
        return;
      }
      let wait: WaitEstimate | null = null;
      try {
        wait = await estimateWait(deps.firstReplyStats, { tenantId: tenant.id, group: decision.route.group, priority: decision.priority, nowMs: now }, cfg);
      } catch (err) {
        // No statistics, no number: the neutral wording instead of a 5xx.
        logger.warn({ err, route: 'evaluate', tenantId: tenant.id }, 'evaluate: first-reply statistics unavailable');
      }
      const hours = tenant.businessHours;
      const state = hours ? openState(hours, now) : { open: true };
      const message = transitionMessage({
        locale: decision.locale,
        topic: decision.topic,
        ...(decision.want ? { want: decision.want } : {}),
        // Outside business hours the measured in-hours wait does not apply.
        waitSeconds: state.open ? (wait?.seconds ?? null) : null,
        open: state.open,
        ...(state.nextOpenAt !== undefined ? { nextOpenAt: state.nextOpenAt } : {}),
        ...(hours ? { timeZone: hours.timeZone } : {}),
        templates: cfg.templates,
      });
      const inHoursWait = state.open ? wait : null;
      logger.info({ route: 'evaluate', tenantId: tenant.id, escalate: decision.escalate, primaryTrigger: decision.primaryTrigger, open: state.open, wait: inHoursWait !== null }, 'evaluated');
      res.set('Cache-Control', 'no-store');
      res.status(200).json({
        escalate: decision.escalate,
        triggers: decision.triggers,
        primaryTrigger: decision.primaryTrigger,
        priority: decision.priority,
        priorityScore: decision.priorityScore,
        topic: decision.topic,
        route: decision.route,
        transitionMessage: { text: message.text, locale: message.locale },
        estimatedWaitSeconds: inHoursWait?.seconds ?? null,
        waitBasis: inHoursWait?.basis ?? null,
        withinBusinessHours: state.open,
        ...(state.nextOpenAt !== undefined ? { nextOpenAt: new Date(state.nextOpenAt).toISOString() } : {}),
      });
    },
  );
  return router;
}
