/**
 * The raw-body routes (signatures are over the bytes as sent, so they read the body themselves) parse JSON
 * here: on failure the sender gets 400 `malformed_json` naming the parse error, and the route stops.
 */
import type { Response } from 'express';
import { sendError } from './errors.ts';

/** Returned after a 400 was sent. */
export const NOT_JSON: unique symbol = Symbol('not json');

export function parseJsonBody(raw: Buffer, res: Response): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    sendError(res, 'malformed_json', `Body is not valid JSON: ${(err as Error).message}`);
    return NOT_JSON;
  }
}
