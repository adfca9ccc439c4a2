/**
 * Zendesk's failure verdicts: the common policy (pipeline/retry-policy.ts), except that a 429 pauses the whole
 * account, because Zendesk's limits are account-wide
 * (https://developer.zendesk.com/api-reference/introduction/rate-limits/).
 */
import { isAxiosError } from 'axios';
import type { Verdict } from '../helpdesk-module.ts';
import { classifyCommonFailure } from '../../pipeline/retry-policy.ts';

export function classifyZendeskFailure(err: unknown, now: number): Verdict {
  // 401 "Couldn't authenticate you": the token was revoked or the app's access removed; nothing but a re-connect
  // fixes it, and every job of the account would fail alike (issue 13: disconnected, not dead-lettered).
  if (isAxiosError(err) && err.response?.status === 401)
    return { action: 'retry', reason: `Zendesk refused Baton's credentials (401 on ${`${err.config?.method?.toUpperCase() ?? ''} ${err.config?.url ?? ''}`.trim()})`, accountWide: true, disconnected: true };
  const verdict = classifyCommonFailure(err, now);
  if (verdict.action === 'retry' && isAxiosError(err) && err.response?.status === 429) return { ...verdict, accountWide: true };
  return verdict;
}
