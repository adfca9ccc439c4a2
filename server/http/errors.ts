/**
 * One JSON error shape for every endpoint: `{ "error": { "code", "message", "details"? } }`, one table of
 * codes (ERROR_CODES: code → status + default message) and one error middleware (errorHandler). A route
 * answers an error with `sendError(res, code, message?)` or by throwing/passing `new HttpError(code, …)`;
 * body-parser failures (malformed JSON, too large, bad charset) reach errorHandler and get the same codes
 * on every route.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

export interface ErrorDetail {
  field: string;
  problem: string;
}

interface ErrorSpec {
  status: number;
  message: string;
}

/** Every error code Baton answers, with its status. Add a code here before using it. */
export const ERROR_CODES = {
  // Any route
  bad_request: { status: 400, message: 'The request could not be read' },
  malformed_json: { status: 400, message: 'Body is not valid JSON' },
  request_aborted: { status: 400, message: 'The request was aborted' },
  not_found: { status: 404, message: 'No such route' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  payload_too_large: { status: 413, message: 'Body exceeds the size limit' },
  unsupported_media_type: { status: 415, message: 'Content-Type must be application/json' },
  unsupported_charset: { status: 415, message: 'The body must be UTF-8: send charset=utf-8 or no charset' },
  unsupported_encoding: { status: 415, message: 'Content-Encoding is not supported' },
  internal_error: { status: 500, message: 'Internal error' },
  // Webhook
  invalid_signature: { status: 401, message: 'Missing, invalid or expired Baton-Signature, or unknown tenant' },
  invalid_handoff: { status: 422, message: 'Body does not match the generic handoff event v1 schema' },
  no_helpdesk: { status: 422, message: 'The handoff targets a helpdesk this tenant does not connect' },
  store_unavailable: { status: 503, message: 'The handoff could not be stored; retry later' },
  // Helpdesk webhooks (e.g. Zendesk's ticket-created webhook for messaging tickets)
  invalid_webhook_signature: { status: 401, message: 'Missing, invalid or expired X-Zendesk-Webhook-Signature, or unknown tenant' },
  webhook_replayed: { status: 401, message: 'This signed delivery was already received' },
  invalid_webhook_body: { status: 422, message: 'The webhook body is not what Baton expects' },
  // Admin API
  admin_disabled: { status: 404, message: 'The admin API is off: set adminToken in the config or BATON_ADMIN_TOKEN' },
  unauthorized: { status: 401, message: 'Admin bearer token missing or wrong' },
  bad_query: { status: 400, message: 'A query parameter is invalid' },
  not_dead: { status: 404, message: 'No such dead-lettered job' },
  // Tenants at run time (server/http/admin-tenants-routes.ts)
  invalid_tenant: { status: 400, message: 'The tenant is invalid' },
  tenant_not_found: { status: 404, message: 'No such tenant' },
  tenant_exists: { status: 409, message: 'A tenant with this id exists already' },
  tenant_read_only: { status: 409, message: 'This tenant is declared in BATON_CONFIG: change it there' },
  tenant_conflict: { status: 409, message: 'The tenant conflicts with another (e.g. the same helpdesk account)' },
  no_master_key: { status: 503, message: 'BATON_MASTER_KEY is not set: tenant secrets cannot be stored' },
  // Connect a helpdesk with OAuth (server/connect/connect-routes.ts)
  connect_unavailable: { status: 404, message: 'Connecting this helpdesk is off: set its OAuth client id and secret' },
  connect_link_invalid: { status: 403, message: 'The connect link is missing, invalid, expired or already used' },
  invalid_account: { status: 400, message: 'The helpdesk account name is invalid' },
  connect_session_missing: { status: 400, message: 'This browser has no Connect flow in progress; start again from the connect link' },
  connect_state_mismatch: { status: 403, message: 'The OAuth state does not match this browser\'s Connect flow' },
  connect_denied: { status: 403, message: 'Access was not granted in the helpdesk' },
  connect_failed: { status: 400, message: 'The helpdesk ended the Connect flow with an error' },
  connect_not_admin: { status: 403, message: 'Only an admin of the helpdesk account can connect Baton' },
  connect_conflict: { status: 409, message: 'A tenant with this id exists for another helpdesk account' },
  oauth_exchange_failed: { status: 400, message: 'The helpdesk refused the authorization code' },
  helpdesk_unreachable: { status: 502, message: 'The helpdesk could not be reached; retry' },
  public_url_unknown: { status: 503, message: 'Baton does not know its public URL yet; retry' },
  // Alerts (server/alerts/alert-routes.ts)
  alerts_not_configured: { status: 409, message: 'The tenant has no alert destination' },
  alert_delivery_failed: { status: 502, message: 'The alert destination did not accept the message' },
  // Prometheus metrics (server/metrics/metrics-router.ts)
  metrics_disabled: { status: 404, message: 'Metrics are off: set BATON_METRICS_TOKEN or an admin token' },
  metrics_unauthorized: { status: 401, message: 'Send the metrics token as "Authorization: Bearer <token>"' },
  metrics_forbidden: { status: 403, message: 'The metrics token is wrong' },
  // Insights (server/outcomes/insights-routes.ts)
  insights_forbidden: { status: 403, message: 'Only an admin of this tenant may read its insights' },
  // Sidebar API
  missing_token: { status: 401, message: 'Send the helpdesk-signed token as "Authorization: Bearer <jwt>"' },
  invalid_token: { status: 401, message: 'The token is invalid, or not signed for a known account' },
  token_expired: { status: 401, message: 'The token has expired' },
  ticket_mismatch: { status: 403, message: 'The token was issued for another ticket' },
  ticket_forbidden: { status: 403, message: 'The helpdesk does not let this user see this ticket' },
  invalid_ticket_id: { status: 400, message: 'The ticket id must be a positive integer' },
  invalid_body: { status: 400, message: 'The body is invalid' },
  handoff_not_found: { status: 404, message: 'No Baton handoff for this ticket' },
  helpdesk_unavailable: { status: 503, message: 'The helpdesk could not be asked whether this user may see the ticket; retry' },
  // Sandbox-mode preview
  cross_site: { status: 403, message: 'Cross-site request refused' },
  host_not_allowed: { status: 403, message: 'Sandbox mode answers only on a loopback host name' },
  proxy_target_forbidden: { status: 400, message: "The preview proxy only calls Baton's own sidebar API" },
  app_not_built: { status: 503, message: 'The sidebar app is not built: run npm run build' },
  no_tenant: { status: 500, message: 'No tenant with a helpdesk account and appSecret is configured' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/** An error a handler can throw or pass to next(): errorHandler answers it with the table's status. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. WWW-Authenticate. */
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'HttpError';
    this.status = ERROR_CODES[code].status;
  }
}

/** Answers `{ error: { code, message, details? } }` with the status from ERROR_CODES. */
export function sendError(res: Response, code: ErrorCode, message?: string, details?: ErrorDetail[]): void {
  if (res.headersSent) return;
  const spec: ErrorSpec = ERROR_CODES[code] ?? ERROR_CODES.internal_error;
  res.status(spec.status).json({ error: { code, message: message ?? spec.message, ...(details ? { details } : {}) } });
}

/** body-parser / raw-body error types → our codes. */
const BODY_ERRORS: Record<string, ErrorCode> = {
  'entity.too.large': 'payload_too_large',
  'entity.parse.failed': 'malformed_json',
  'encoding.unsupported': 'unsupported_encoding',
  'charset.unsupported': 'unsupported_charset',
  'request.aborted': 'request_aborted',
  'parameters.too.many': 'payload_too_large',
};

/** The one error middleware: HttpError and body-parser errors become their codes; anything else is a logged 500. */
export function errorHandler(logger: Pick<Logger, 'error'>): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof HttpError) {
      if (err.headers) res.set(err.headers);
      return sendError(res, err.code, err.message, err.details);
    }
    const e = (err ?? {}) as { status?: number; statusCode?: number; type?: string; message?: string };
    const known = e.type ? BODY_ERRORS[e.type] : undefined;
    if (known) return sendError(res, known);
    const status = e.status ?? e.statusCode ?? 500;
    if (status === 413) return sendError(res, 'payload_too_large');
    if (status === 415) return sendError(res, 'unsupported_media_type');
    if (status >= 400 && status < 500) return sendError(res, 'bad_request');
    logger.error({ err, path: req.path }, 'unhandled error');
    sendError(res, 'internal_error');
  };
}
