/**
 * Sunshine Conversations API v2 calls (test/fixtures/api-specs/sunshine-conversations-openapi.yaml, 17.12.1):
 * - the transcript-fetch stage: `GET /v2/apps/{appId}/conversations/{conversationId}/messages` — the newest page
 *   first, 100 messages a page (fixed), older pages with `page[before]=<oldest id of the page>` while
 *   `meta.hasMore` — and `GET /v2/apps/{appId}/users/{userId}` for the customer's name and email;
 * - relay mode: `GET /v2/apps/{appId}/conversations/{conversationId}` (which integration is in control) and
 *   `POST …/passControl`.
 * Auth: Basic with the API key id and secret. Every request waits for a slot of the `sunshine:<tenant>` budget
 * and carries the handoff id.
 */
import axios, { isAxiosError, type AxiosInstance } from 'axios';
import type { TenantConfig } from '../../config.ts';
import type { HandoffEvent } from '../../types/handoff-event.ts';
import type { HelpdeskContext } from '../../helpdesks/helpdesk-module.ts';
import type { ContextFor } from '../bot-adapter.ts';
import { TranscriptUnavailableError } from '../transcript-unavailable.ts';
import { zendeskConfigOf } from '../../helpdesks/zendesk/zendesk-config.ts';
import { completedHandoffEvent, customerUserId, rawOf } from './handoff-event.ts';
import { isObj, str } from './normalize.ts';
import { sunshineBaseUrl, sunshineSettingsOf, type SunshineSettings } from './settings.ts';

/** Rate-limit account of the Sunshine API (its own budget, not the Zendesk ticket API's). */
export const SUNSHINE_ACCOUNT = 'sunshine';
export const HANDOFF_ID_HEADER = 'X-Baton-Handoff-Id';
/** Pages read backwards at most: 1,000 messages, more than the transcript keeps (cut-transcript.ts). */
export const MAX_PAGES = 10;
const ID = /^[0-9A-Za-z_-]{1,64}$/;

export type Budget = Pick<HelpdeskContext, 'acquire' | 'timeoutMs'>;

export function createSunshineClient(settings: SunshineSettings, baseUrl: string, budget: Budget, handoffId?: string): AxiosInstance {
  const client = axios.create({
    baseURL: baseUrl,
    timeout: budget.timeoutMs,
    maxRedirects: 0,
    auth: { username: settings.keyId, password: settings.keySecret },
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(handoffId ? { [HANDOFF_ID_HEADER]: handoffId } : {}) },
  });
  client.interceptors.request.use(async (req) => {
    await budget.acquire();
    return req;
  });
  return client;
}

export interface SunshineCall {
  client: AxiosInstance;
  appId: string;
}

/** The tenant's client for an event's app, or TranscriptUnavailableError when nothing can be fetched. */
export function sunshineCallFor(event: HandoffEvent, tenant: TenantConfig, contextFor: ContextFor, handoffId?: string): SunshineCall & { settings: SunshineSettings; conversationId: string } {
  const settings = sunshineSettingsOf(tenant);
  if (!settings) throw new TranscriptUnavailableError(`tenant ${tenant.id} has no bots.sunshine section to fetch the conversation with`);
  const raw = rawOf(event);
  const conversationId = raw?.conversationId ?? event.conversation.nativeId;
  if (!ID.test(conversationId)) throw new TranscriptUnavailableError(`"${conversationId.slice(0, 40)}" is not a Sunshine conversation id`);
  const appId = raw?.appId ?? settings.appId;
  const base = sunshineBaseUrl(settings, zendeskConfigOf(tenant)?.subdomain);
  return { client: createSunshineClient(settings, base, contextFor(SUNSHINE_ACCOUNT, tenant), handoffId), appId, settings, conversationId };
}

const conversationPath = (appId: string, conversationId: string): string => `/v2/apps/${encodeURIComponent(appId)}/conversations/${encodeURIComponent(conversationId)}`;

/** Every message up to MAX_PAGES pages back, oldest first. */
export async function listMessages(call: SunshineCall, conversationId: string): Promise<unknown[]> {
  const pages: unknown[][] = [];
  let before: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const res = await call.client.get<unknown>(`${conversationPath(call.appId, conversationId)}/messages`, before ? { params: { 'page[before]': before } } : {});
    const data = res.data;
    const messages = isObj(data) && Array.isArray(data.messages) ? data.messages : [];
    pages.unshift(messages);
    const hasMore = isObj(data) && isObj(data.meta) && data.meta.hasMore === true;
    const oldest = messages.length && isObj(messages[0]) ? str(messages[0].id) : undefined;
    if (!hasMore || !oldest || oldest === before) break;
    before = oldest;
  }
  return pages.flat();
}

export async function getUser(call: SunshineCall, userId: string): Promise<unknown> {
  try {
    return (await call.client.get<unknown>(`/v2/apps/${encodeURIComponent(call.appId)}/users/${encodeURIComponent(userId)}`)).data;
  } catch (err) {
    // A deleted user: the briefing goes out without the profile rather than not at all.
    if (isAxiosError(err) && err.response?.status === 404) return undefined;
    throw err;
  }
}

/** The conversation's integration in control now (`activeSwitchboardIntegration`), if any. */
export async function activeIntegration(call: SunshineCall, conversationId: string): Promise<{ id?: string; name?: string; integrationType?: string } | undefined> {
  const data = (await call.client.get<unknown>(conversationPath(call.appId, conversationId))).data;
  const conv = isObj(data) && isObj(data.conversation) ? data.conversation : undefined;
  const active = conv && isObj(conv.activeSwitchboardIntegration) ? conv.activeSwitchboardIntegration : undefined;
  if (!active) return undefined;
  return { ...(str(active.id) ? { id: str(active.id) } : {}), ...(str(active.name) ? { name: str(active.name) } : {}), ...(str(active.integrationType) ? { integrationType: str(active.integrationType) } : {}) };
}

export async function passControl(call: SunshineCall, conversationId: string, switchboardIntegration: string, metadata: Record<string, string | number | boolean>): Promise<void> {
  await call.client.post(`${conversationPath(call.appId, conversationId)}/passControl`, { switchboardIntegration, metadata });
}

/** The transcript-fetch stage (BotAdapter.fetchTranscript). */
export async function fetchSunshineTranscript(event: HandoffEvent, tenant: TenantConfig, contextFor: ContextFor): Promise<HandoffEvent> {
  const call = sunshineCallFor(event, tenant, contextFor);
  const messages = await listMessages(call, call.conversationId);
  const userId = customerUserId(messages);
  const user = userId && ID.test(userId) ? await getUser(call, userId) : undefined;
  const firstUser = messages.find((m) => isObj(m) && isObj(m.author) && m.author.type === 'user');
  const channel = isObj(firstUser) && isObj(firstUser.source) ? str(firstUser.source.type) : undefined;
  return completedHandoffEvent(event, messages, user, channel);
}
