/**
 * The one Content-Type check of every JSON route: `application/json`, with no charset or charset=utf-8.
 * JSON exchanged between systems must be UTF-8 (RFC 8259 §8.1), and we decode bytes as UTF-8, so a body
 * declared `charset=latin1` would be silently misread: refuse it with 415 `unsupported_charset` instead.
 */
import { parse } from 'content-type';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendError, type ErrorCode } from './errors.ts';

const UTF8 = new Set(['utf-8', 'utf8']);

/** Why a Content-Type header is not acceptable for a JSON body, or undefined when it is. */
export function jsonContentTypeProblem(header: string | undefined): ErrorCode | undefined {
  if (!header) return 'unsupported_media_type';
  let type: string;
  let charset: string | undefined;
  try {
    const parsed = parse(header);
    type = parsed.type;
    charset = parsed.parameters.charset;
  } catch {
    return 'unsupported_media_type';
  }
  if (type !== 'application/json') return 'unsupported_media_type';
  if (charset !== undefined && !UTF8.has(charset.toLowerCase())) return 'unsupported_charset';
  return undefined;
}

/** Express middleware: 415 JSON unless the body is declared as UTF-8 JSON. */
export const requireJsonBody: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  const problem = jsonContentTypeProblem(req.get('content-type'));
  if (problem) return sendError(res, problem);
  next();
};
