/**
 * The sidebar's API. Every route is behind sidebarAuth (tenant from the Zendesk-signed JWT), so a
 * tenant only ever sees its own tickets' reports.
 *
 *   GET  /v1/tickets/:ticketId/handoff            → 200 { handoffId, createdAt, report } | 404
 *   POST /v1/tickets/:ticketId/handoff/feedback   { handoffId, accurate, comment? } → 201 | 404
 *
 * Check order: 401 auth, 400 ticket id, 415 content type, 413 size, 400 JSON, 400 body shape, 404.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import { principalOf, sidebarAuth, type SidebarAuthOptions } from './sidebar-auth.ts';

export interface SidebarRouterDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  /** Test seam (clock for token expiry). */
  auth?: SidebarAuthOptions;
}

export const FEEDBACK_COMMENT_MAX = 2000;
export const FEEDBACK_BODY_LIMIT = '16kb';

export interface HandoffResponse {
  handoffId: string;
  createdAt: string;
  report: import('../types/handoff-report.ts').HandoffReport;
}

export interface FeedbackBody {
  handoffId: string;
  accurate: boolean;
  comment?: string;
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error: { code, message } });
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
  const auth = sidebarAuth(config, deps.auth);
  const jsonBody = express.json({ limit: FEEDBACK_BODY_LIMIT, strict: true, type: () => true });

  const ticketParam = (req: Request, res: Response, next: NextFunction) => {
    const id = parseTicketId(req.params.ticketId as string | undefined);
    if (id === undefined) return sendError(res, 400, 'invalid_ticket_id', 'The ticket id must be a positive integer.');
    res.locals.ticketId = id;
    next();
  };

  router.get('/v1/tickets/:ticketId/handoff', auth, ticketParam, (_req, res) => {
    const { tenant } = principalOf(res);
    const ticketId = res.locals.ticketId as number;
    const stored = store.getReportForTicket(tenant.id, ticketId);
    if (!stored || stored.tenantId !== tenant.id) {
      return sendError(res, 404, 'handoff_not_found', `No Baton handoff for ticket ${ticketId}.`);
    }
    const body: HandoffResponse = { handoffId: stored.handoffId, createdAt: new Date(stored.createdAt).toISOString(), report: stored.report };
    res.status(200).set('Cache-Control', 'no-store').json(body);
  });

  router.post(
    '/v1/tickets/:ticketId/handoff/feedback',
    auth,
    ticketParam,
    (req, res, next) => {
      if (!req.is('application/json')) return sendError(res, 415, 'unsupported_media_type', 'Send the body as application/json.');
      next();
    },
    jsonBody,
    (req, res) => {
      const { tenant, agentId } = principalOf(res);
      const ticketId = res.locals.ticketId as number;
      const v = validateFeedback(req.body);
      if (!v.ok) return sendError(res, 400, 'invalid_body', v.message);
      const stored = store.getReport(v.value.handoffId);
      if (!stored || stored.tenantId !== tenant.id || stored.ticketId !== ticketId) {
        return sendError(res, 404, 'handoff_not_found', `No Baton handoff ${v.value.handoffId} for ticket ${ticketId}.`);
      }
      const id = store.addFeedback({
        tenantId: tenant.id,
        ticketId,
        handoffId: stored.handoffId,
        accurate: v.value.accurate,
        ...(v.value.comment !== undefined ? { comment: v.value.comment } : {}),
        ...(agentId !== undefined ? { agentId } : {}),
      });
      logger.info({ tenantId: tenant.id, ticketId, handoffId: stored.handoffId, accurate: v.value.accurate }, 'sidebar feedback stored');
      res.status(201).set('Cache-Control', 'no-store').json({ id, handoffId: stored.handoffId, accurate: v.value.accurate });
    },
  );

  // Body-parser errors (malformed JSON, too large) answer 4xx JSON here instead of reaching the app's 500 handler.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number; statusCode?: number } | undefined;
    if (e?.type === 'entity.parse.failed') return sendError(res, 400, 'invalid_json', 'The body is not valid JSON.');
    if (e?.type === 'entity.too.large') return sendError(res, 413, 'body_too_large', `The body must be at most ${FEEDBACK_BODY_LIMIT}.`);
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, status, 'bad_request', 'The request could not be read.');
    next(err);
  });

  return router;
}
