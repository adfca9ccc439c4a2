/**
 * Zendesk's rate-limit headers, made common: `X-Rate-Limit` / `ratelimit-limit` (the account's limit per
 * minute), `X-Rate-Limit-Remaining` / `ratelimit-remaining`, `ratelimit-reset` (seconds until the window
 * resets). https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */
import type { RateLimitReading } from '../helpdesk-module.ts';

const positive = (v: unknown): number | undefined => {
  const n = Number(v);
  return v !== undefined && v !== null && v !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** Header names lower-cased (axios and Node give them so). */
export function readZendeskRateLimit(headers: Record<string, unknown>): RateLimitReading {
  const reading: RateLimitReading = {};
  const limit = positive(headers['x-rate-limit'] ?? headers['ratelimit-limit']);
  if (limit !== undefined && limit > 0) reading.limitPerMinute = limit;
  const remaining = positive(headers['x-rate-limit-remaining'] ?? headers['ratelimit-remaining']);
  if (remaining !== undefined) reading.remaining = remaining;
  const reset = positive(headers['ratelimit-reset']);
  if (reset !== undefined && reset > 0) reading.resetInMs = reset * 1000;
  return reading;
}
