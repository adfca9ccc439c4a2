/**
 * The sidebar's API. Every route is behind sidebarAuth (tenant from the Zendesk-signed JWT, bound to the
 * ticket) and the Zendesk access check (the agent the token names may see this ticket), so a tenant only
 * ever sees its own tickets' reports, and an agent only the tickets Zendesk lets them see.
 *
 *   GET  /v1/tickets/:ticketId/handoff            → 200 { handoffId, createdAt, report } | 404
 *   POST /v1/tickets/:ticketId/handoff/feedback   { handoffId, accurate, comment? } → 201 | 404
 *
 * Check order: 401 auth, 400 ticket id, 403 token for another ticket, 403/503 Zendesk access check,
 * 415 content type/charset, 413 size, 400 JSON, 400 body shape, 404. Errors are HttpErrors answered by the
 * app's one error middleware (errors.ts).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../../../config.ts';
import type { Store } from '../../../store/store.ts';
import { HttpError } from '../../../http/errors.ts';
import { requireJsonBody } from '../../../http/content-type.ts';
import { principalOf, sidebarAuth, type SidebarAuthOptions } from './sidebar-auth.ts';
import { createZendeskAccessChecker, type AccessChecker } from './sidebar-access.ts';
import type { SidebarSessionKey } from './sidebar-session.ts';
import type { HelpdeskRef } from '../../helpdesk-module.ts';
import { ZENDESK } from '../zendesk-config.ts';

export interface SidebarRouterDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  /** Test seam (clock for token expiry). */
  auth?: SidebarAuthOptions;
  /** Asks Zendesk whether the agent may see the ticket; default: the tenant's Zendesk API. */
  access?: AccessChecker;
  /** Accept Baton sidebar sessions (signed-URL mode, sidebar-session.ts) signed with this key. */
  sessionKey?: SidebarSessionKey;
  /** The TenantRegistry (tenants at run time); default the config's file tenants. */
  tenants?: ReadonlyMap<string, TenantConfig>;
}

export const FEEDBACK_COMMENT_MAX = 2000;
export const FEEDBACK_BODY_LIMIT = '16kb';

export interface HandoffResponse {
  handoffId: string;
  createdAt: string;
  report: import('../../../types/handoff-report.ts').HandoffReport;
}

export interface FeedbackBody {
  handoffId: string;
  accurate: boolean;
  comment?: string;
}

/** A ticket of this tenant's Zendesk account, as the store keys it. */
export function ticketRef(ticketId: number): HelpdeskRef {
  return { helpdesk: ZENDESK, id: String(ticketId) };
}

/** Positive integer ticket id within JS's safe range, else undefined. */
export function parseTicketId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[1-9][0-9]{0,15}$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Validates the feedback body; returns the problem as a message naming the field. */
export function validateFeedback(body: unknown): { ok: true; value: FeedbackBody } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'Body must be a JSON object.' };
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !['handoffId', 'accurate', 'comment'].includes(k));
  if (unknown.length) return { ok: false, message: `Unknown field(s): ${unknown.join(', ')}.` };
  if (typeof b.handoffId !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(b.handoffId))
    return { ok: false, message: '"handoffId" must be the handoff id string from GET …/handoff.' };
  if (typeof b.accurate !== 'boolean') return { ok: false, message: '"accurate" must be true or false.' };
  if (b.comment !== undefined) {
    if (typeof b.comment !== 'string') return { ok: false, message: '"comment" must be a string.' };
    if (b.comment.length > FEEDBACK_COMMENT_MAX) return { ok: false, message: `"comment" must be at most ${FEEDBACK_COMMENT_MAX} characters.` };
  }
  const comment = typeof b.comment === 'string' && b.comment.trim() !== '' ? b.comment.trim() : undefined;
  return { ok: true, value: { handoffId: b.handoffId, accurate: b.accurate, ...(comment !== undefined ? { comment } : {}) } };
}

export function sidebarRouter(deps: SidebarRouterDeps): express.Router {
  const { config, store, logger } = deps;
  const router = express.Router({ caseSensitive: true, strict: false });
  const auth = sidebarAuth(config, { ...deps.auth, ...(deps.sessionKey ? { sessionKey: deps.sessionKey } : {}), ...(deps.tenants ? { tenants: deps.tenants } : {}) });
  const access = deps.access ?? createZendeskAccessChecker();
  const jsonBody = express.json({ limit: FEEDBACK_BODY_LIMIT, strict: true, type: () => true });

  // Nothing the sidebar API answers may be cached, errors included.
  router.use('/v1/tickets', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const ticketParam = (req: Request, res: Response, next: NextFunction) => {
    const id = parseTicketId(req.params.ticketId as string | undefined);
    if (id === undefined) return next(new HttpError('invalid_ticket_id'));
    const principal = principalOf(res);
    // A proxy token is bound to one ticket: a token leaked from one ticket's request cannot read another.
    // A session (signed-URL mode) names the agent truthfully; the ticket is the route's, checked below.
    if (principal.kind === 'proxy' && principal.ticketId !== id) return next(new HttpError('ticket_mismatch', `The token was issued for ticket ${principal.ticketId}, not ${id}.`));
    res.locals.ticketId = id;
    access.mayView(principal.tenant, principal.claimedAgentId, id).then((decision) => {
      if (decision === 'allowed') {
        // The only agent id handlers may use: checked with Zendesk, not just claimed by the browser.
        res.locals.sidebarAgent = principal.claimedAgentId;
        return next();
      }
      if (decision === 'unavailable') logger.warn({ tenantId: principal.tenant.id, ticketId: id }, 'sidebar access check: Zendesk unavailable');
      else logger.warn({ tenantId: principal.tenant.id, ticketId: id, agentId: principal.claimedAgentId }, 'sidebar access refused by Zendesk rules');
      next(new HttpError(decision === 'unavailable' ? 'helpdesk_unavailable' : 'ticket_forbidden'));
    }, next);
  };

  router.get('/v1/tickets/:ticketId/handoff', auth, ticketParam, async (_req, res) => {
    const { tenant } = principalOf(res);
    const ticketId = res.locals.ticketId as number;
    const stored = await store.getReportFor(tenant.id, ticketRef(ticketId));
    if (!stored || stored.tenantId !== tenant.id) throw new HttpError('handoff_not_found', `No Baton handoff for ticket ${ticketId}.`);
    const body: HandoffResponse = { handoffId: stored.handoffId, createdAt: new Date(stored.createdAt).toISOString(), report: stored.report };
    res.status(200).json(body);
  });

  router.post('/v1/tickets/:ticketId/handoff/feedback', auth, ticketParam, requireJsonBody, jsonBody, async (req, res) => {
    const { tenant } = principalOf(res);
    const agentId = res.locals.sidebarAgent as string;
    const ticketId = res.locals.ticketId as number;
    const v = validateFeedback(req.body);
    if (!v.ok) throw new HttpError('invalid_body', v.message);
    const stored = await store.getReport(v.value.handoffId);
    const ref = ticketRef(ticketId);
    if (!stored || stored.tenantId !== tenant.id || stored.ref?.helpdesk !== ref.helpdesk || stored.ref.id !== ref.id) {
      throw new HttpError('handoff_not_found', `No Baton handoff ${v.value.handoffId} for ticket ${ticketId}.`);
    }
    const id = await store.addFeedback({
      tenantId: tenant.id,
      ref,
      handoffId: stored.handoffId,
      accurate: v.value.accurate,
      ...(v.value.comment !== undefined ? { comment: v.value.comment } : {}),
      agentId,
    });
    logger.info({ tenantId: tenant.id, ticketId, handoffId: stored.handoffId, accurate: v.value.accurate }, 'sidebar feedback stored');
    res.status(201).json({ id, handoffId: stored.handoffId, accurate: v.value.accurate });
  });

  return router;
}
