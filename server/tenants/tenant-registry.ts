/**
 * The one place every part of Baton reads tenants through (issue 13). Tenants come from two sources:
 * the BATON_CONFIG file (read-only here; a file tenant wins over a stored one with the same id) and the store
 * (added, changed and removed at run time by the admin API, the CLI and the OAuth connect flows).
 *
 * `get` is synchronous and served from an in-memory cache: it is on the webhook hot path. The registry is a
 * live `ReadonlyMap<string, TenantConfig>`, so code written against the `tenants` Map keeps working.
 * Replicas (and the CLI, another process) see each other's writes by polling the store's tenant revision
 * counter (one indexed row read per poll; default every 1 s): see tenant-store.ts.
 *
 * Built once per process by `openTenantRegistry({ config, store, logger, pollMs? }): Promise<TenantRegistry>`
 * (server/tenants/open-tenant-registry.ts); server/start.ts passes it wherever a `tenants` Map went.
 */
import type { TenantConfig } from '../config.ts';

/** Where a tenant is declared: the BATON_CONFIG file (read-only through the API) or the store. */
export type TenantSource = 'file' | 'store';

/** Tenant ids accepted by the API and the CLI (file tenants keep the config file's own rule). */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * What a caller gives to create a tenant: the same shape as a BATON_CONFIG tenant, without its secrets
 * (Baton generates them). Helpdesk sections by module name (`zendesk`, `intercom`), validated with that
 * module's configSchema/parseConfig; `bots` by each bot adapter's configKey.
 */
export interface TenantInput {
  id: string;
  defaultHelpdesk?: string;
  knowledgeBaseHosts?: string[];
  analysis?: Record<string, unknown>;
  bots?: Record<string, unknown>;
  /** Helpdesk sections by module name, e.g. `zendesk: { subdomain, baseUrl?, email, apiToken }`. */
  [helpdesk: string]: unknown;
}

/**
 * A change to a stored tenant: top-level keys replace (a helpdesk section, `bots`, `analysis`,
 * `knowledgeBaseHosts`, `defaultHelpdesk`); `null` removes the key. `id` and secrets cannot be patched
 * (rotateSecret does that).
 */
export type TenantPatch = Record<string, unknown>;

/** A helpdesk this tenant connects that stopped answering to its credentials (e.g. a revoked OAuth token). */
export interface Disconnection {
  reason: string;
  /** Epoch ms. */
  at: number;
}

/** The public view of a tenant: no secrets (the admin API and `baton tenants show|list` print this). */
export interface TenantSummary {
  id: string;
  source: TenantSource;
  helpdesks: string[];
  defaultHelpdesk?: string;
  bots: string[];
  /** Helpdesk sections with every secret-looking field replaced by `"(set)"`. */
  sections: Record<string, unknown>;
  disconnected: Record<string, Disconnection>;
  webhookSecretCount: number;
  hasAppSecret: boolean;
  createdAt?: number;
  updatedAt?: number;
}

export type TenantChange =
  | { type: 'created' | 'updated' | 'removed'; tenantId: string }
  | { type: 'disconnected' | 'reconnected'; tenantId: string; helpdesk: string; reason?: string };

export interface CreatedTenant {
  tenant: TenantConfig;
  /** Generated (32 random bytes, base64url, prefixed), returned this once and stored only encrypted. */
  secrets: { webhookSecret: string; appSecret: string };
}

export interface TenantRegistry extends ReadonlyMap<string, TenantConfig> {
  /** Sync, from the cache (file tenants first, then stored ones). */
  get(id: string): TenantConfig | undefined;
  /** Moves whenever the set of tenants or any tenant's config changes (derived lookups rebuild on it: tenant-index.ts). */
  readonly generation: number;
  list(): TenantSummary[];
  summary(id: string): TenantSummary | undefined;
  source(id: string): TenantSource | undefined;
  /**
   * Adds a stored tenant. Throws TenantError: `invalid` (bad id or section), `exists` (id taken, by the file
   * or the store), `conflict` (e.g. a Zendesk subdomain another tenant connects).
   */
  create(input: TenantInput): Promise<CreatedTenant>;
  update(id: string, patch: TenantPatch): Promise<TenantConfig>;
  /** False when no stored tenant has this id. A file tenant throws TenantError `read_only`. */
  remove(id: string): Promise<boolean>;
  /**
   * New secret of that kind, returned once. The old one stops at once, unless `keepPrevious` (webhook only):
   * then the previous secret stays valid next to the new one until the next rotation, so senders switch
   * without downtime (a tenant may have several webhookSecrets).
   */
  rotateSecret(id: string, which: 'webhook' | 'app', opts?: { keepPrevious?: boolean }): Promise<string>;
  /**
   * Sets (adds or replaces) one helpdesk section, validated with that module's configSchema/parseConfig,
   * and clears its disconnected state (OAuth connect / re-connect).
   */
  connectHelpdesk(id: string, helpdesk: string, section: unknown): Promise<TenantConfig>;
  /**
   * Works for file tenants too (runtime state, kept in the store). Idempotent: marking a helpdesk that is already
   * disconnected keeps the first reason and time (no write, no change event). TenantError `not_found` when the
   * tenant does not connect that helpdesk.
   */
  markDisconnected(id: string, helpdesk: string, reason: string): Promise<void>;
  isDisconnected(id: string, helpdesk: string): boolean;
  disconnection(id: string, helpdesk: string): Disconnection | undefined;
  /** Called after every change this registry sees, its own and (after a refresh) other processes'. Returns an unsubscribe. */
  onChange(listener: (change: TenantChange) => void): () => void;
  /** Re-reads the store now (the poll does this every `pollMs`). */
  refresh(): Promise<void>;
  /** Stops polling. */
  close(): void;
}

export type TenantErrorKind = 'invalid' | 'exists' | 'not_found' | 'read_only' | 'conflict' | 'no_master_key';

/** A refused tenant operation; the admin API maps `kind` to a status (400/409/404/409/409/503). */
export class TenantError extends Error {
  override name = 'TenantError';
  constructor(
    readonly kind: TenantErrorKind,
    message: string,
    readonly details?: Array<{ field: string; problem: string }>,
  ) {
    super(message);
  }
}
