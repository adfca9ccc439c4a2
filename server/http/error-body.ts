/**
 * The JSON error answer of ERROR_CODES without an Express response: `{status, body: {error: {code, message,
 * details?}}}`, exactly what `sendError` sends. For code that answers from plain `node:http` (lean-webhook.ts)
 * or decides before it answers (bots/webhook-checks.ts).
 */
import { ERROR_CODES, type ErrorCode, type ErrorDetail } from './errors.ts';

export interface JsonAnswer {
  status: number;
  body: unknown;
}

export function errorAnswer(code: ErrorCode, message?: string, details?: ErrorDetail[]): JsonAnswer {
  const spec = ERROR_CODES[code] ?? ERROR_CODES.internal_error;
  return { status: spec.status, body: { error: { code, message: message ?? spec.message, ...(details ? { details } : {}) } } };
}
