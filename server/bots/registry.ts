/**
 * Bot adapters that fetch what a webhook left out: the worker's transcript-fetch stage calls
 * `completeTranscript(event, tenant)` before analysis when `event.transcriptComplete === false`, and the adapter
 * of `event.source` fetches the rest from its platform. Only `bots/<platform>/` names a platform; this table
 * picks the adapter. Failures are thrown as they come (axios errors, Error): the worker classifies them like a
 * helpdesk write's (network, 5xx and 429 retried; 404 and the like dead-lettered with the reason).
 */
import type { TenantConfig } from '../config.ts';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HelpdeskContext } from '../helpdesks/helpdesk-module.ts';
import type { Router } from 'express';
import { fetchIntercomTranscript } from './intercom/client.ts';
import { intercomBotRouter, type BotRouteDeps } from './intercom/route.ts';
import { INTERCOM, intercomConfigOf } from '../helpdesks/intercom/intercom-config.ts';

/** The per-account services the worker builds for a helpdesk (rate budget, time-out, logger). */
export type ContextFor = (helpdesk: string, tenant: TenantConfig) => HelpdeskContext;

type Fetcher = (event: HandoffEvent, tenant: TenantConfig, contextFor: ContextFor) => Promise<HandoffEvent>;

const FETCHERS: Readonly<Record<string, Fetcher>> = {
  // Intercom handoffs are fetched with the tenant's Intercom credentials, within the same account budget
  // (`intercom:<tenantId>`) as the notes and tags Baton writes there.
  intercom: async (event, tenant, contextFor) => {
    const config = intercomConfigOf(tenant);
    if (!config) throw new TranscriptUnavailableError(`tenant ${tenant.id} has no "intercom" section to fetch the conversation with`);
    return fetchIntercomTranscript(event, config, contextFor(INTERCOM, tenant));
  },
};

/** The transcript cannot be fetched at all (no adapter, no credentials): retrying will not help. */
export class TranscriptUnavailableError extends Error {
  override name = 'TranscriptUnavailableError';
}

/** Sources whose events may arrive with `transcriptComplete: false`. */
export function fetchesTranscripts(source: string): boolean {
  return Object.hasOwn(FETCHERS, source);
}

/**
 * The worker's transcript-fetch stage, bound to how it builds per-account contexts. An event that is already
 * complete comes back unchanged.
 */
export function createTranscriptCompleter(contextFor: ContextFor): (event: HandoffEvent, tenant: TenantConfig) => Promise<HandoffEvent> {
  return async (event, tenant) => {
    if (event.transcriptComplete !== false) return event;
    const fetcher = FETCHERS[event.source];
    if (!fetcher) throw new TranscriptUnavailableError(`no transcript fetch for source "${event.source}"`);
    return fetcher(event, tenant, contextFor);
  };
}

export type { BotRouteDeps };

/** The webhook routes of the bot adapters that have their own (start.ts mounts them beside the generic route). */
export function botRouters(deps: BotRouteDeps): Router[] {
  return [intercomBotRouter(deps)];
}
