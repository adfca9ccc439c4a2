/**
 * Axios instance for one tenant's Zendesk account. Auth per
 * https://developer.zendesk.com/api-reference/introduction/security-and-auth/ (Basic `email/token:apiToken`,
 * or an OAuth bearer token). Every request waits for a slot in the account's rate-limit budget (HelpdeskContext)
 * and feeds the response's rate-limit headers back; writes carry the handoff id, so a call in Zendesk's logs
 * can be traced back to the handoff that made it.
 */
import axios, { type AxiosInstance } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { HelpdeskContext } from '../helpdesk-module.ts';
import type { ZendeskConfig } from './zendesk-config.ts';
import { readZendeskRateLimit } from './rate-limit.ts';
import { configOfError, markSent, reportDone, statusOfError } from '../request-timing.ts';

export const HANDOFF_ID_HEADER = 'X-Baton-Handoff-Id';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

export function authorizationHeader(z: Pick<ZendeskConfig, 'email' | 'apiToken' | 'oauthToken'>): string {
  if (z.oauthToken) return `Bearer ${z.oauthToken}`;
  return `Basic ${Buffer.from(`${z.email}/token:${z.apiToken}`).toString('base64')}`;
}

export function createZendeskClient(opts: { zendesk: ZendeskConfig; ctx: Pick<HelpdeskContext, 'acquire' | 'observe' | 'timeoutMs' | 'requestDone'> }): AxiosInstance {
  const { ctx } = opts;
  const client = axios.create({
    baseURL: opts.zendesk.baseUrl,
    timeout: ctx.timeoutMs,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    headers: { Authorization: authorizationHeader(opts.zendesk), 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  client.interceptors.request.use(async (req) => {
    await ctx.acquire();
    return markSent(req);
  });
  client.interceptors.response.use(
    (res) => {
      reportDone(ctx, res.config, res.status);
      ctx.observe(readZendeskRateLimit(res.headers as Record<string, unknown>));
      return res;
    },
    (err: unknown) => {
      reportDone(ctx, configOfError(err), statusOfError(err));
      if (axios.isAxiosError(err) && err.response) ctx.observe(readZendeskRateLimit(err.response.headers as Record<string, unknown>));
      return Promise.reject(err);
    },
  );
  return client;
}
