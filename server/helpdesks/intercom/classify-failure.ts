/**
 * Intercom's failure verdicts. The common policy (pipeline/retry-policy.ts: network errors, timeouts, 5xx and
 * 408 retried, Retry-After honoured, other 4xx dead) with what is Intercom's own:
 * - 429: Intercom's limits are per app and per workspace (developers.intercom.com, "Rate Limiting"), so every
 *   Baton call for this workspace is over the limit too: pause the whole account until `X-RateLimit-Reset`
 *   (or Retry-After, whichever is later; one 10-second window when neither is sent).
 * - 401: the access token was revoked (app uninstalled): the helpdesk is disconnected and jobs wait for a re-connect
 *   (issue 13). 403 (wrong workspace, missing permission): no retry can fix it.
 * - 404 on a conversation: the conversation named by the handoff does not exist in this workspace.
 */
import { isAxiosError } from 'axios';
import type { Verdict } from '../helpdesk-module.ts';
import { classifyCommonFailure, parseRetryAfter } from '../../pipeline/retry-policy.ts';
import { INTERCOM_WINDOW_SECONDS, resetWaitMs } from './rate-limit.ts';

const CONVERSATION_PATH = /^\/conversations\/([0-9A-Za-z_-]{1,64})(?:[/?]|$)/;

export function classifyIntercomFailure(err: unknown, now: number): Verdict {
  if (isAxiosError(err) && err.response) {
    const { status, headers } = err.response;
    const where = `${err.config?.method?.toUpperCase() ?? ''} ${err.config?.url ?? ''}`.trim();
    const h = headers as Record<string, unknown>;
    if (status === 429) {
      const waits = [resetWaitMs(h, now), parseRetryAfter(h['retry-after'], now)].filter((w): w is number => w !== undefined);
      const notBeforeMs = waits.length ? Math.max(...waits) : INTERCOM_WINDOW_SECONDS * 1000;
      return { action: 'retry', reason: `429 rate limited by Intercom on ${where}`, notBeforeMs, accountWide: true };
    }
    if (status === 401) return { action: 'retry', reason: `Intercom access token rejected (401 on ${where})`, accountWide: true, disconnected: true };
    if (status === 403) return { action: 'dead', reason: `Intercom access token rejected (403 on ${where})` };
    if (status === 404) {
      const id = CONVERSATION_PATH.exec(err.config?.url ?? '')?.[1];
      if (id) return { action: 'dead', reason: `Intercom conversation ${id} not found (404 on ${where})` };
    }
  }
  return classifyCommonFailure(err, now);
}
