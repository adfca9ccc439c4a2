/** One JSON error shape for every endpoint: `{ "error": { "code", "message", "details"? } }`. */
import type { Response } from 'express';

export interface ErrorDetail {
  field: string;
  problem: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export function sendError(res: Response, status: number, code: string, message: string, details?: ErrorDetail[]): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message, ...(details ? { details } : {}) } });
}
