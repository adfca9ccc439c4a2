/**
 * The common part of every helpdesk's failure policy, as data (after octokit/plugin-retry): retry with
 * exponential backoff and full jitter on network errors, timeouts, 5xx and 429 (honouring Retry-After exactly,
 * never earlier); dead-letter other 4xx with the reason. Modules (`HelpdeskModule.classifyFailure`) call it
 * and add what is theirs (e.g. which 429 pauses the whole account).
 */
import { isAxiosError } from 'axios';
import type { RetryPolicy } from '../config.ts';
import type { Verdict } from '../helpdesks/helpdesk-module.ts';

export type { Verdict };

/** Thrown by writers for failures that are not HTTP errors but are final (e.g. a missing requester email). */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/** Thrown by writers for failures worth another try (e.g. a 409 that kept conflicting). */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms from `now`, rounded up. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.ceil(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_NETWORK', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

function describeBody(data: unknown): string {
  if (data === undefined || data === null || data === '') return '';
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `: ${text.slice(0, 300)}`;
}

/** The common verdict; a 429 is retried after Retry-After (default 60 s), for this job only. */
export function classifyCommonFailure(err: unknown, now: number): Verdict {
  if (err instanceof PermanentError) return { action: 'dead', reason: err.message };
  if (err instanceof TransientError) return { action: 'retry', reason: err.message };
  if (isAxiosError(err)) {
    const res = err.response;
    if (!res) {
      const code = err.code ?? 'network';
      return RETRYABLE_CODES.has(code) || !err.code
        ? { action: 'retry', reason: `network error ${code}` }
        : { action: 'retry', reason: `request failed ${code}` };
    }
    const where = `${err.config?.method?.toUpperCase() ?? ''} ${err.config?.url ?? ''}`.trim();
    const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
    if (res.status === 429) return { action: 'retry', reason: `429 rate limited on ${where}`, notBeforeMs: retryAfter ?? 60_000 };
    if (res.status >= 500 || res.status === 408) {
      return { action: 'retry', reason: `${res.status} on ${where}`, ...(retryAfter !== undefined ? { notBeforeMs: retryAfter } : {}) };
    }
    return { action: 'dead', reason: `${res.status} on ${where}${describeBody(res.data)}` };
  }
  return { action: 'retry', reason: err instanceof Error ? err.message : String(err) };
}

/** Exponential backoff with full jitter (AWS architecture blog), floored by any server-mandated wait. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, verdict: Extract<Verdict, { action: 'retry' }>, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const backoff = Math.round(ceiling * random());
  return Math.max(backoff, verdict.notBeforeMs ?? 0);
}
