/**
 * The helpdesk seam: what every `server/helpdesks/<name>/` folder exports (its `index.ts` default-exports one
 * HelpdeskModule), and the only helpdesk types the pipeline, store and HTTP layer use. Nothing outside
 * `helpdesks/<name>/` and `sandbox/` names a helpdesk; `helpdesks/registry.ts` picks the module by name.
 */
import type { Logger } from 'pino';
import type { Router } from 'express';
import type { Config, TenantConfig } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HandoffReport } from '../types/handoff-report.ts';

/** A helpdesk object (Zendesk ticket, Intercom conversation). Ids are strings everywhere (Zendesk's stay numeric on the wire). */
export interface HelpdeskRef {
  helpdesk: string;
  id: string;
}

/** What the worker hands a helpdesk writer for one try of one handoff. */
export interface WriteInput {
  handoffId: string;
  event: HandoffEvent;
  report: HandoffReport;
  /** 1 on the first try ever (replays included); later tries check whether an earlier one already landed. */
  attempt: number;
  /** Epoch ms of this try, from the worker's clock. */
  now: number;
  /**
   * True when this try's lease may have run out (the process was frozen or slow): another replica may be writing
   * the same handoff, so the writer checks for an earlier write before it writes (as for `attempt > 1`).
   */
  leaseMayBeLost?: () => boolean;
}

export interface WriteResult {
  ref: HelpdeskRef;
  outcome: 'created' | 'updated' | 'already_written';
}

export interface HandoffWriter {
  readonly helpdesk: string;
  write(input: WriteInput): Promise<WriteResult>;
}

/** What a response's rate-limit headers say, in the helpdesk's own header names, made common. */
export interface RateLimitReading {
  /** The account's limit per minute, when the headers give it. */
  limitPerMinute?: number;
  remaining?: number;
  /** Ms from now until the window resets. */
  resetInMs?: number;
}

/** What to do after a failed helpdesk call, as data (see pipeline/retry-policy.ts). */
export type Verdict =
  | {
      action: 'retry';
      reason: string;
      /** Server-mandated wait, ms; the backoff never goes below it. */
      notBeforeMs?: number;
      /** The whole helpdesk account is paused (e.g. Zendesk's account-wide 429), not only this job. */
      accountWide?: boolean;
      /**
       * The helpdesk refused Baton's credentials (401: token revoked, app uninstalled): the worker marks the
       * tenant's helpdesk disconnected (alerting its admins) and the job waits, not dead-lettered, until re-connected.
       */
      disconnected?: boolean;
    }
  | { action: 'dead'; reason: string };

/** Per-account services a module's client and writer use. */
export interface HelpdeskContext {
  tenantId: string;
  /** Rate-limit key of this helpdesk account: `<helpdesk>:<tenantId>`. */
  accountKey: string;
  /** Waits for a slot of the account's budget (may throw RateLimitDeferral); call before every request. */
  acquire(): Promise<void>;
  /** Feed every response's headers (success or error) back to the budget. */
  observe(reading: RateLimitReading): void;
  /** Reports one request's HTTP status (0: no response) and duration, for metrics. */
  requestDone?(status: number, ms: number): void;
  timeoutMs: number;
  logger: Logger;
}

export interface HelpdeskModule<C = unknown> {
  /** Registry name and the tenant config key (`tenants[].<name>`). */
  readonly name: string;
  /** JSON Schema of the tenant's config section; config.ts validates the file with it. */
  readonly configSchema: Record<string, unknown>;
  /** A validated section → typed config with defaults (throws ConfigError naming `path` on a bad value). */
  parseConfig(raw: unknown, path: string): C;
  /**
   * This helpdesk's target in a generic event body, if the body names one (Zendesk: `ticket.id`; Intercom:
   * `intercom.conversationId`). Undefined when the body does not address this helpdesk.
   */
  targetFromGeneric(body: Record<string, unknown>): HelpdeskRef | undefined;
  /** When no target id is given: undefined if the module can create one, else the reason it cannot (dead-letter reason). */
  cannotCreate?: string;
  /** Requests one write usually needs; the worker claims a job only when the account has that many free slots. */
  readonly requestsPerWrite: number;
  /** Our own ceiling on requests per minute for the account; the learned limit caps it further. */
  ceilingPerMinute(config: C): number;
  /** Reads a response's rate-limit headers (lower-cased names). */
  readRateLimit(headers: Record<string, unknown>): RateLimitReading;
  /** Helpdesk-specific failures (e.g. which 429 pauses the whole account); falls back to the common policy. */
  classifyFailure(err: unknown, now: number): Verdict;
  createWriter(config: C, ctx: HelpdeskContext): HandoffWriter;
  /** Checks across tenants after each section parsed (e.g. one Zendesk subdomain per tenant); throws ConfigError. */
  checkTenants?(sections: ReadonlyArray<{ path: string; config: C }>): void;
  /** Sandbox mode: the raw section of the demo tenant, pointing at this process's sandbox (`ownBaseUrl` = http://127.0.0.1:<port>). */
  sandboxSection?(ownBaseUrl: string): Record<string, unknown>;
  /** HTTP routes this helpdesk adds (sidebar APIs, canvas endpoints…); start.ts mounts them for every registered module. */
  routes?(deps: HelpdeskRouteDeps): Router[];
  /**
   * Sandbox mode only: this helpdesk's local sandbox (start.ts mounts it at `/sandbox/<name>` behind the loopback
   * Host guard) and its preview routes. Loads `sandbox/` and `app/preview/` with `await import()`, never in production.
   */
  sandboxMode?(deps: HelpdeskRouteDeps): Promise<{ sandbox?: Router; routers?: Router[] }>;
  /** "Connect <helpdesk>" with OAuth (server/connect/connect-routes.ts); absent: the helpdesk is connected by config only. */
  oauth?: import('../connect/helpdesk-oauth.ts').HelpdeskOAuth;
}

/** What start.ts gives a module's `routes()`. */
export interface HelpdeskRouteDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  /** Where the built app (dist/) is, for routes that serve it. */
  distDir: string;
  /** This process's own base URL once it listens (undefined before); sandbox mode points helpdesk calls at it. */
  ownBaseUrl(): string | undefined;
}
