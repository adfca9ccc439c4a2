/**
 * The bot seam: what every `server/bots/<platform>/` folder exports (its `adapter.ts` default-exports one
 * BotAdapter), and what the route factory (route-factory.ts) and the worker's transcript-fetch stage use.
 * Adding a platform = one folder of this shape + one line in `bots/registry.ts`.
 *
 * An adapter says who may send (`verify`), what a native body means (`parse`: one or several HandoffEvents, or
 * "ignored", or what is wrong with it), optionally what to answer (`respond`, e.g. Dialogflow's
 * `fulfillmentResponse`) and how to fetch a transcript its webhook left out (`fetchTranscript`). The factory
 * keeps the order of checks the same for all: 415 → 413 → 401 → 400 → 422 (depth, then the adapter's) → store.
 */
import type { TenantConfig } from '../config.ts';
import type { BotSource, HandoffEvent } from '../types/handoff-event.ts';
import type { HelpdeskContext } from '../helpdesks/helpdesk-module.ts';
import type { InboxResult } from '../store/store.ts';
import type { HandoffReport } from '../types/handoff-report.ts';
import type { Logger } from 'pino';
import type { Router } from 'express';

export interface FieldProblem {
  field: string;
  problem: string;
}

/** The per-account services the worker builds for a helpdesk (rate budget, time-out, logger). */
export type ContextFor = (helpdesk: string, tenant: TenantConfig) => HelpdeskContext;

export type AuthCheck = { ok: true } | { ok: false; reason: string };

export interface VerifyInput<S> {
  /** A request header by lower-case name (first value). */
  header(name: string): string | undefined;
  /** The body as sent: signatures are over these bytes. */
  raw: Buffer;
  /** Undefined for an unknown tenant: verify still runs (against a decoy secret) so both take the same path. */
  tenant: TenantConfig | undefined;
  /** The tenant's settings for this adapter; undefined when unknown or not configured (check a decoy then). */
  settings: S | undefined;
  nowSec: number;
  toleranceSec: number;
}

export interface ParseContext<S> {
  tenant: TenantConfig;
  settings: S;
  /** ISO time Baton accepted the request. */
  receivedAt: string;
}

export type ParseOutcome =
  | { kind: 'handoffs'; events: HandoffEvent[] }
  /** Understood, but not a handoff (another topic, a Dialogflow tag that is not a handoff tag…): 200. */
  | { kind: 'ignored'; reason: string }
  /** 422 `invalid_handoff` with each problem. */
  | { kind: 'invalid'; message: string; errors: FieldProblem[] };

export interface StoredHandoff {
  event: HandoffEvent;
  result: InboxResult;
}

/** What the factory is about to answer; an adapter's `respond` may replace the body (never an error's). */
export type RouteOutcome = { kind: 'stored'; handoffs: StoredHandoff[] } | { kind: 'ignored'; reason: string };

export interface BotResponse {
  status: number;
  body: unknown;
}

export type TranscriptFetcher = (event: HandoffEvent, tenant: TenantConfig, contextFor: ContextFor) => Promise<HandoffEvent>;

export interface BotAdapter<S = unknown> {
  /** Registry name, used in logs, e.g. `dialogflow-cx`. */
  readonly name: string;
  /** The Express path of the webhook, e.g. `/v1/tenants/:tenantId/bots/dialogflow-cx` (`:tenantId` required). */
  readonly path: string;
  /** `HandoffEvent.source` of what it produces (dedupe ids are `<source>:<native id>`). */
  readonly source: BotSource;
  /** The key of this adapter's section in `tenants[].bots` (e.g. `dialogflowCx`); none when it needs no section. */
  readonly configKey?: string;
  /** JSON Schema of that section (config.ts validates the file with it). */
  readonly configSchema?: Record<string, unknown>;
  /** A schema-valid section → typed settings with defaults (throws ConfigError naming `path`). */
  parseConfig?(raw: unknown, path: string): S;
  /** This tenant's settings, or undefined when the tenant has not set the platform up (→ the same 401). */
  settingsOf(tenant: TenantConfig): S | undefined;
  /** Authentication of the sender, constant-time. */
  verify(input: VerifyInput<S>): AuthCheck;
  /** The 401 message (one for every authentication failure of this route, unknown tenants included). */
  readonly unauthorizedMessage?: string;
  /** Native body (parsed JSON, depth already bounded) → what it means. Pure. */
  parse(body: unknown, ctx: ParseContext<S>): ParseOutcome;
  /** The answer to a stored or ignored request, when the platform expects its own shape (default: route-factory.ts). */
  respond?(outcome: RouteOutcome, ctx: ParseContext<S>): BotResponse;
  /** The transcript-fetch stage for events of `source` stored with `transcriptComplete: false`. */
  readonly fetchTranscript?: TranscriptFetcher;
  /**
   * The platform's own step after analysis, before the helpdesk write (Sunshine relay mode passes control to the
   * agent workspace with the report's metadata). Called for every event of `source`; must be idempotent.
   */
  readonly afterAnalysis?: AfterAnalysisStep;
  /** Sandbox mode: the demo tenant's `tenants[].bots.<configKey>` section, pointing at this process's sandbox. */
  sandboxSection?(ownBaseUrl: string): Record<string, unknown>;
  /**
   * Sandbox mode only: this platform's local sandbox, mounted at `/sandbox/<name>` behind the loopback guard.
   * Loads `sandbox/` with `await import()`, never in production.
   */
  sandboxMode?(deps: BotSandboxDeps): Promise<{ sandbox?: Router }>;
}

export type AfterAnalysisStep = (
  event: HandoffEvent,
  report: HandoffReport,
  tenant: TenantConfig,
  handoffId: string,
  ctx: { contextFor: ContextFor; logger: Logger },
) => Promise<void>;

/** What start.ts gives an adapter's sandboxMode. */
export interface BotSandboxDeps {
  tenants: ReadonlyMap<string, TenantConfig>;
  logger: Logger;
  /** This process's base URL once it listens. */
  ownBaseUrl(): string | undefined;
}
