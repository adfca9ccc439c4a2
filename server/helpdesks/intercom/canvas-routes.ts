/**
 * Canvas Kit endpoints of the Intercom inbox app (Developer Hub → Canvas Kit → "Conversation details"):
 *   POST /v1/tenants/:tenantId/intercom/canvas/initialize — Intercom asks for the card when a teammate opens
 *        a conversation (https://developers.intercom.com/docs/canvas-kit#initialize-flow)
 *   POST /v1/tenants/:tenantId/intercom/canvas/submit — a button on the card was clicked (feedback)
 * Checks, in order: 415 content type → 413 size → 401 signature/tenant (one body for both, so tenants cannot
 * be probed; checked on the raw bytes before parsing) → 400 JSON → 200 `{ canvas }`.
 *
 * A signed request that names no conversation (the app placed somewhere else, or a shape we do not know)
 * gets the friendly no-handoff card with 200, not a 4xx: Intercom shows a non-2xx answer as a broken app,
 * which the teammate can do nothing about, while the card says plainly that there is nothing to brief.
 *
 * Lookups are injected (deps), so this router does not depend on the store's API; start.ts wires it.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { HandoffReport } from '../../types/handoff-report.ts';
import { sendError } from '../../http/errors.ts';
import { requireJsonBody } from '../../http/content-type.ts';
import { CANVAS_SIGNATURE_HEADER, verifyCanvasSignature } from './canvas-signature.ts';
import { FEEDBACK_NO_ID, FEEDBACK_YES_ID, renderBriefingCanvas, renderNoHandoffCanvas, renderUnavailableCanvas, type CanvasResponse } from './canvas.ts';
import { NOT_JSON, parseJsonBody } from '../../http/json-body.ts';

/** What the router needs to know about a conversation's handoff. */
export interface StoredReportLike {
  handoffId: string;
  report: HandoffReport;
}

export interface CanvasFeedback {
  tenantId: string;
  conversationId: string;
  handoffId: string;
  accurate: boolean;
  /** The teammate's Intercom admin id, as Intercom sent it. */
  adminId?: string;
}

export interface IntercomCanvasDeps {
  /** The tenant's Intercom app client secret; undefined for an unknown tenant or one without Intercom. */
  tenantSecret(tenantId: string): string | undefined;
  /** The latest finished handoff report for this conversation, if any. */
  findReport(tenantId: string, conversationId: string): StoredReportLike | undefined | Promise<StoredReportLike | undefined>;
  /** Records "Was this briefing accurate?" answers; without it the card shows no feedback buttons. */
  recordFeedback?(feedback: CanvasFeedback): void | Promise<void>;
  /** Wording locale for a tenant's cards (default English); a stored report's own `briefingLocale` wins. */
  locale?(tenantId: string): string | undefined;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  maxBodyBytes: number;
}

// Unknown tenants are checked against a throwaway secret so both failures take the same path and time.
const DECOY_SECRET = 'decoy-secret-for-unknown-tenants';
const CONVERSATION_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `conversation.id` (documented initialize body), else `context.conversation_id`; numbers accepted. */
export function conversationIdOf(body: Json): string | undefined {
  const candidates = [isObject(body.conversation) ? body.conversation.id : undefined, isObject(body.context) ? body.context.conversation_id : undefined];
  for (const c of candidates) {
    const id = typeof c === 'number' && Number.isSafeInteger(c) && c >= 0 ? String(c) : typeof c === 'string' ? c.trim() : undefined;
    if (id && CONVERSATION_ID_RE.test(id)) return id;
  }
  return undefined;
}

function adminIdOf(body: Json): string | undefined {
  const id = isObject(body.admin) ? body.admin.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 64) : undefined;
}

export function intercomCanvasRouter(deps: IntercomCanvasDeps): Router {
  const router = express.Router();

  const handle = (kind: 'initialize' | 'submit') => async (req: Request<{ tenantId: string }>, res: Response) => {
    const tenantId = req.params.tenantId;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const secret = deps.tenantSecret(tenantId);
    const ok = verifyCanvasSignature(req.get(CANVAS_SIGNATURE_HEADER), raw, secret ?? DECOY_SECRET);
    if (!secret || !ok) {
      deps.logger.warn({ tenantKnown: Boolean(secret), kind }, 'canvas request rejected: 401');
      sendError(res, 'invalid_signature', 'Missing or invalid X-Body-Signature, or unknown tenant');
      return;
    }
    const body = parseJsonBody(raw, res);
    if (body === NOT_JSON) return;
    if (!isObject(body)) {
      sendError(res, 'invalid_body', 'The body must be a JSON object (a Canvas Kit request)');
      return;
    }
    const locale = deps.locale?.(tenantId);
    const answer = (canvas: CanvasResponse) => res.status(200).json(canvas);
    const conversationId = conversationIdOf(body);
    if (!conversationId) return answer(renderNoHandoffCanvas(locale ? { locale } : {}));

    let stored: StoredReportLike | undefined;
    try {
      stored = await deps.findReport(tenantId, conversationId);
    } catch (err) {
      deps.logger.error({ err, tenantId, kind }, 'canvas: report lookup failed');
      sendError(res, 'store_unavailable', 'The briefing could not be read; retry later');
      return;
    }
    if (!stored) return answer(renderNoHandoffCanvas(locale ? { locale } : {}));

    let feedbackRecorded = false;
    const componentId = typeof body.component_id === 'string' ? body.component_id : undefined;
    if (kind === 'submit' && deps.recordFeedback && (componentId === FEEDBACK_YES_ID || componentId === FEEDBACK_NO_ID)) {
      const adminId = adminIdOf(body);
      try {
        await deps.recordFeedback({ tenantId, conversationId, handoffId: stored.handoffId, accurate: componentId === FEEDBACK_YES_ID, ...(adminId ? { adminId } : {}) });
        feedbackRecorded = true;
      } catch (err) {
        deps.logger.error({ err, tenantId, handoffId: stored.handoffId }, 'canvas: feedback not recorded');
      }
    }
    // The report's text is in its briefingLocale: the card's headings follow it (a tenant may have changed since).
    const cardLocale = stored.report.briefingLocale ?? locale;
    try {
      answer(
        renderBriefingCanvas(stored.report, {
          handoffId: stored.handoffId,
          ...(cardLocale ? { locale: cardLocale } : {}),
          feedback: Boolean(deps.recordFeedback),
          feedbackRecorded,
        }),
      );
    } catch (err) {
      // A stored report that cannot be drawn must not become a 500 loop in the inbox.
      deps.logger.error({ err, tenantId, handoffId: stored.handoffId }, 'canvas: report could not be rendered');
      answer(renderUnavailableCanvas(locale ? { locale } : {}));
    }
  };

  for (const kind of ['initialize', 'submit'] as const) {
    router.post(
      `/v1/tenants/:tenantId/intercom/canvas/${kind}`,
      requireJsonBody,
      // inflate:false — the signature is over the bytes as sent.
      express.raw({ type: () => true, limit: deps.maxBodyBytes, inflate: false }),
      handle(kind),
    );
  }
  return router;
}
