/**
 * Axios instance for one tenant's Intercom workspace. Auth: `Authorization: Bearer <access token>`
 * (https://developers.intercom.com/docs/build-an-integration/learn-more/authentication). Every request names the
 * API version it was written against (`Intercom-Version`, the version of the OpenAPI description the tests
 * validate against), waits for a slot of the account's rate budget first, and feeds every response's
 * rate-limit headers back (errors included). The handoff id rides along so a call in Intercom's logs can be
 * traced back to the handoff that made it.
 */
import axios, { type AxiosInstance } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { HelpdeskContext } from '../helpdesk-module.ts';
import type { IntercomConfig } from './intercom-config.ts';
import { readIntercomRateLimit } from './rate-limit.ts';
import { configOfError, markSent, reportDone, statusOfError } from '../request-timing.ts';

/** intercom/Intercom-OpenAPI descriptions/2.16 (test/fixtures/api-specs/intercom-api.yaml). */
export const INTERCOM_VERSION = '2.16';
export const HANDOFF_ID_HEADER = 'X-Baton-Handoff-Id';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

/** The budget side of a HelpdeskContext: enough for the transcript fetch, which runs outside a writer. */
export type RateBudget = Pick<HelpdeskContext, 'acquire' | 'observe' | 'timeoutMs' | 'requestDone'>;

export function createIntercomClient(config: Pick<IntercomConfig, 'baseUrl' | 'accessToken'>, budget: RateBudget, handoffId?: string): AxiosInstance {
  const client = axios.create({
    baseURL: config.baseUrl,
    timeout: budget.timeoutMs,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    headers: {
      Authorization: `Bearer ${config.accessToken}`,
      'Intercom-Version': INTERCOM_VERSION,
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...(handoffId ? { [HANDOFF_ID_HEADER]: handoffId } : {}),
    },
  });
  client.interceptors.request.use(async (req) => {
    await budget.acquire();
    return markSent(req);
  });
  client.interceptors.response.use(
    (res) => {
      reportDone(budget, res.config, res.status);
      budget.observe(readIntercomRateLimit(res.headers as Record<string, unknown>));
      return res;
    },
    (err: unknown) => {
      reportDone(budget, configOfError(err), statusOfError(err));
      if (axios.isAxiosError(err) && err.response) budget.observe(readIntercomRateLimit(err.response.headers as Record<string, unknown>));
      return Promise.reject(err);
    },
  );
  return client;
}
