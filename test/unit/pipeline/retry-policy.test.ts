import { describe, expect, it } from 'vitest';
import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { classifyCommonFailure, parseRetryAfter, PermanentError, retryDelayMs, TransientError } from '../../../server/pipeline/retry-policy.ts';
import { classifyZendeskFailure as classifyFailure } from '../../../server/helpdesks/zendesk/classify-failure.ts';

function httpError(status: number, headers: Record<string, string> = {}, data: unknown = {}): AxiosError {
  const config = { method: 'put', url: '/api/v2/tickets/1.json', headers: new AxiosHeaders() };
  const response = { status, statusText: '', headers, data, config } as unknown as AxiosResponse;
  return new AxiosError(`status ${status}`, 'ERR_BAD_RESPONSE', config, {}, response);
}

const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
const now = Date.parse('2026-11-21T12:00:00Z');

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date, rounding up', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('1.2', now)).toBe(1200);
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('retries a Zendesk 429 account-wide no earlier than Retry-After, even when backoff would be shorter', () => {
    const v = classifyFailure(httpError(429, { 'retry-after': '42' }), now);
    expect(v).toMatchObject({ action: 'retry', notBeforeMs: 42_000, accountWide: true });
    if (v.action !== 'retry') throw new Error('unreachable');
    expect(retryDelayMs(1, policy, v, () => 0)).toBe(42_000);
    expect(retryDelayMs(1, policy, v, () => 0.99)).toBe(42_000);
  });

  it('retries 5xx, timeouts and network errors with capped exponential backoff and jitter', () => {
    expect(classifyFailure(httpError(503), now).action).toBe('retry');
    expect(classifyFailure(new AxiosError('timeout', 'ECONNABORTED'), now).action).toBe('retry');
    expect(classifyFailure(new AxiosError('reset', 'ECONNRESET'), now).action).toBe('retry');
    expect(classifyFailure(new TransientError('409 x3'), now).action).toBe('retry');
    const v = { action: 'retry' as const, reason: 'x' };
    expect(retryDelayMs(1, policy, v, () => 1)).toBe(1000);
    expect(retryDelayMs(3, policy, v, () => 1)).toBe(4000);
    expect(retryDelayMs(30, policy, v, () => 1)).toBe(60_000);
    expect(retryDelayMs(3, policy, v, () => 0.5)).toBe(2000);
  });

  it('dead-letters other 4xx with the reason, including the body Zendesk sent', () => {
    const v = classifyFailure(httpError(422, {}, { error: 'RecordInvalid', description: 'Record validation errors' }), now);
    expect(v.action).toBe('dead');
    expect(v.reason).toContain('422');
    expect(v.reason).toContain('RecordInvalid');
    expect(classifyCommonFailure(httpError(401), now).action).toBe('dead');
    expect(classifyFailure(new PermanentError('no email'), now)).toEqual({ action: 'dead', reason: 'no email' });
  });

  it('Zendesk 401 (token revoked): the helpdesk is disconnected and the job waits, not dead-lettered (issue 13)', () => {
    expect(classifyFailure(httpError(401), now)).toEqual({ action: 'retry', reason: "Zendesk refused Baton's credentials (401 on PUT /api/v2/tickets/1.json)", accountWide: true, disconnected: true });
    expect(classifyFailure(httpError(403), now).action).toBe('dead');
  });

  it('the common policy retries a 429 for that job only; the module decides whether it pauses the account', () => {
    const v = classifyCommonFailure(httpError(429, { 'retry-after': '5' }), now);
    expect(v).toEqual({ action: 'retry', reason: '429 rate limited on PUT /api/v2/tickets/1.json', notBeforeMs: 5000 });
    expect(classifyFailure(httpError(503), now)).not.toHaveProperty('accountWide');
  });
});
