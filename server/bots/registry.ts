/**
 * The registered bot adapters (bot-adapter.ts): each one's webhook route (mounted by start.ts through the route
 * factory), its `tenants[].bots.<configKey>` section (validated by config.ts with the adapter's schema) and its
 * transcript-fetch stage (the worker calls `completeTranscript(event, tenant)` before analysis when
 * `event.transcriptComplete === false`). Only `bots/<platform>/` names a platform; adding one = a folder of the
 * same shape + one line in ADAPTERS. Fetch failures are thrown as they come (axios errors, Error): the worker
 * classifies them like a helpdesk write's (network, 5xx and 429 retried; 404 and the like dead-lettered).
 */
import type { Router } from 'express';
import type { TenantConfig } from '../config.ts';
import type { HandoffEvent } from '../types/handoff-event.ts';
import { ConfigError } from '../config-error.ts';
import type { BotAdapter, BotSandboxDeps, ContextFor } from './bot-adapter.ts';
import type { HandoffReport } from '../types/handoff-report.ts';
import type { Logger } from 'pino';
import { botRoute, unknownBotRoute, type BotRouteDeps } from './route-factory.ts';
import { TranscriptUnavailableError } from './transcript-unavailable.ts';
import generic from './generic/adapter.ts';
import intercom from './intercom/adapter.ts';
import dialogflowCx from './dialogflow-cx/adapter.ts';
import rasa from './rasa/adapter.ts';
import botframework from './botframework/adapter.ts';
import sunshine from './sunshine/adapter.ts';
import fin from './fin/adapter.ts';

const ADAPTERS: readonly BotAdapter[] = [
  generic as BotAdapter,
  intercom as BotAdapter,
  dialogflowCx as BotAdapter,
  rasa as BotAdapter,
  botframework as BotAdapter,
  sunshine as BotAdapter,
  fin as BotAdapter,
];

export type { BotRouteDeps, ContextFor };
export { TranscriptUnavailableError };

export function botAdapters(): readonly BotAdapter[] {
  return ADAPTERS;
}

export function botAdapter(name: string): BotAdapter | undefined {
  return ADAPTERS.find((a) => a.name === name);
}

/** JSON Schema of `tenants[].bots`: one optional section per adapter with a `configKey`. */
export function botsConfigSchema(): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(ADAPTERS.flatMap((a) => (a.configKey && a.configSchema ? [[a.configKey, a.configSchema]] : []))),
  };
}

/** A schema-valid `tenants[i].bots` → each section parsed by its adapter, keyed by `configKey`. */
export function parseBotsConfig(raw: unknown, path: string): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${path} must be an object`);
  const out: Record<string, unknown> = {};
  for (const [key, section] of Object.entries(raw)) {
    const adapter = ADAPTERS.find((a) => a.configKey === key);
    if (!adapter) throw new ConfigError(`${path}.${key} is not a bot platform Baton knows (${ADAPTERS.flatMap((a) => (a.configKey ? [a.configKey] : [])).join(', ')})`);
    out[key] = adapter.parseConfig ? adapter.parseConfig(section, `${path}.${key}`) : section;
  }
  return out;
}

/** Sources whose events may arrive with `transcriptComplete: false`. */
export function fetchesTranscripts(source: string): boolean {
  return ADAPTERS.some((a) => a.source === source && a.fetchTranscript);
}

/**
 * The worker's transcript-fetch stage, bound to how it builds per-account contexts. An event that is already
 * complete comes back unchanged.
 */
export function createTranscriptCompleter(contextFor: ContextFor): (event: HandoffEvent, tenant: TenantConfig) => Promise<HandoffEvent> {
  return async (event, tenant) => {
    if (event.transcriptComplete !== false) return event;
    const fetcher = ADAPTERS.find((a) => a.source === event.source && a.fetchTranscript)?.fetchTranscript;
    if (!fetcher) throw new TranscriptUnavailableError(`no transcript fetch for source "${event.source}"`);
    return fetcher(event, tenant, contextFor);
  };
}

/** Every adapter's webhook route, then the 401 for `/bots/<anything else>` (start.ts mounts them). */
export function botRouters(deps: BotRouteDeps): Router[] {
  return [...ADAPTERS.map((a) => botRoute(a, deps)), unknownBotRoute(deps.config, deps.logger)];
}

/**
 * The worker's step after analysis: the adapter of `event.source`, if it has one (Sunshine relay's passControl).
 * Its failures are classified like a transcript fetch's (network, 5xx, 429 retried).
 */
export function createAfterAnalysis(contextFor: ContextFor, logger: Logger) {
  return async (event: HandoffEvent, report: HandoffReport, tenant: TenantConfig, handoffId: string): Promise<void> => {
    const step = ADAPTERS.find((a) => a.source === event.source && a.afterAnalysis)?.afterAnalysis;
    if (step) await step(event, report, tenant, handoffId, { contextFor, logger });
  };
}

/** Sandbox mode: the demo tenant's `tenants[].bots`, one section per adapter with a sandbox. */
export function botSandboxSections(ownBaseUrl: string): Record<string, unknown> {
  return Object.fromEntries(ADAPTERS.flatMap((a) => (a.configKey && a.sandboxSection ? [[a.configKey, a.sandboxSection(ownBaseUrl)]] : [])));
}

/** Sandbox mode: each adapter's local sandbox router, by adapter name (start.ts mounts it at `/sandbox/<name>`). */
export async function botSandboxes(deps: BotSandboxDeps): Promise<Array<[string, Router]>> {
  const out: Array<[string, Router]> = [];
  for (const a of ADAPTERS) {
    const parts = await a.sandboxMode?.(deps);
    if (parts?.sandbox) out.push([a.name, parts.sandbox]);
  }
  return out;
}
