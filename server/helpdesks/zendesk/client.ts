/**
 * Axios instance for one tenant's Zendesk account. Auth per
 * https://developer.zendesk.com/api-reference/introduction/security-and-auth/ (Basic `email/token:apiToken`,
 * or an OAuth bearer token). Every request waits for a slot in the tenant's rate limiter and carries the
 * handoff id, so a call in Zendesk's logs can be traced back to the handoff that made it.
 */
import axios, { type AxiosInstance } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ZendeskConfig } from '../../config.ts';
import type { TenantRateLimiter } from '../../pipeline/rate-limiter.ts';

export const HANDOFF_ID_HEADER = 'X-Baton-Handoff-Id';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

export function authorizationHeader(z: Pick<ZendeskConfig, 'email' | 'apiToken' | 'oauthToken'>): string {
  if (z.oauthToken) return `Bearer ${z.oauthToken}`;
  return `Basic ${Buffer.from(`${z.email}/token:${z.apiToken}`).toString('base64')}`;
}

export function createZendeskClient(opts: {
  tenantId: string;
  zendesk: ZendeskConfig;
  limiter: TenantRateLimiter;
  timeoutMs: number;
}): AxiosInstance {
  const client = axios.create({
    baseURL: opts.zendesk.baseUrl,
    timeout: opts.timeoutMs,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    headers: { Authorization: authorizationHeader(opts.zendesk), 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  client.interceptors.request.use(async (req) => {
    await opts.limiter.acquire(opts.tenantId);
    return req;
  });
  client.interceptors.response.use(
    (res) => {
      opts.limiter.observe(opts.tenantId, res.headers as Record<string, unknown>);
      return res;
    },
    (err: unknown) => {
      if (axios.isAxiosError(err) && err.response) opts.limiter.observe(opts.tenantId, err.response.headers as Record<string, unknown>);
      return Promise.reject(err);
    },
  );
  return client;
}
