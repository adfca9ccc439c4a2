/**
 * Zendesk's failure verdicts: the common policy (pipeline/retry-policy.ts), except that a 429 pauses the whole
 * account, because Zendesk's limits are account-wide
 * (https://developer.zendesk.com/api-reference/introduction/rate-limits/).
 */
import { isAxiosError } from 'axios';
import type { Verdict } from '../helpdesk-module.ts';
import { classifyCommonFailure } from '../../pipeline/retry-policy.ts';

export function classifyZendeskFailure(err: unknown, now: number): Verdict {
  const verdict = classifyCommonFailure(err, now);
  if (verdict.action === 'retry' && isAxiosError(err) && err.response?.status === 429) return { ...verdict, accountWide: true };
  return verdict;
}
