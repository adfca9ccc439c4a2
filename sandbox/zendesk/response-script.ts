/**
 * Zendesk's scripted responses: the kit's (sandbox/kit/response-script.ts) with paths compared without the
 * optional `.json` suffix, so a test can script `/api/v2/tickets/35436` for a client calling `….json`.
 */
import { createResponseScript as createKitScript, type ResponseScript } from '../kit/response-script.ts';

export type { ResponseScript };

/** `/api/v2/tickets/35436.json` -> `/api/v2/tickets/35436`. */
export function withoutJsonSuffix(path: string): string {
  return path.replace(/\.json$/, '');
}

export function createResponseScript(): ResponseScript {
  return createKitScript(withoutJsonSuffix);
}
