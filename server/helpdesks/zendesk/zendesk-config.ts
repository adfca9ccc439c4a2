/**
 * The Zendesk section of a tenant (`tenants[].zendesk`): its JSON Schema (config.ts validates the file with
 * it), parsing with defaults, and the typed accessor the rest of the Zendesk module reads it through.
 */
import { ConfigError } from '../../config-error.ts';
import { trimTrailingSlashes } from '../../util/trim-trailing-slashes.ts';

export interface ZendeskCustomFields {
  sentiment?: number;
  escalationReason?: number;
  handoffId?: number;
  topic?: number;
  priorityScore?: number;
}

export interface ZendeskConfig {
  subdomain: string;
  baseUrl: string;
  email?: string;
  apiToken?: string;
  oauthToken?: string;
  /** Our own ceiling on requests per minute; the learned account limit caps it further. */
  maxRequestsPerMinute: number;
  customFields: ZendeskCustomFields;
  /** Set ticket priority from the analysis (on by default). */
  setPriority: boolean;
  /** Set the group from the analysis' routing (on by default when routing names a group). */
  setGroup: boolean;
  /** Look up the ids of the fields requirements.json installs when `customFields` does not give them (on by default). */
  discoverFields: boolean;
  /**
   * The Baton app's id and its installation id in this account: with both, Baton accepts the Zendesk-signed
   * (RS256) token of a signed-URL sidebar (docs/sidebar.md).
   */
  appId?: number;
  appInstallationId?: number;
  /** The app's public key (PEM); default: fetched from `GET /api/v2/apps/{appId}/public_key.pem` and cached. */
  appPublicKey?: string;
  /**
   * The signing secret of the Baton webhook requirements.json installs (messaging tickets created): verifies
   * `X-Zendesk-Webhook-Signature` on `POST /v1/tenants/{id}/zendesk/ticket-created` (ticket-created-webhook.ts).
   */
  webhookSigningSecret?: string;
}

export const ZENDESK = 'zendesk';

/** The sandbox's Baton app and installation ids (sandbox/zendesk/app-keys.ts signs for them). */
export const SANDBOX_APP_ID = 900001;
export const SANDBOX_APP_INSTALLATION_ID = 900101;
export const DEMO_SUBDOMAIN = 'baton-demo';
export const DEMO_WEBHOOK_SIGNING_SECRET = 'zd_webhook_signing_demo_local_only';

export const zendeskConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['subdomain'],
  properties: {
    subdomain: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    baseUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
    email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
    apiToken: { type: 'string', minLength: 1 },
    oauthToken: { type: 'string', minLength: 1 },
    maxRequestsPerMinute: { type: 'integer', minimum: 1 },
    setPriority: { type: 'boolean' },
    setGroup: { type: 'boolean' },
    discoverFields: { type: 'boolean' },
    appId: { type: 'integer', minimum: 1 },
    appInstallationId: { type: 'integer', minimum: 1 },
    appPublicKey: { type: 'string', pattern: '^-----BEGIN PUBLIC KEY-----' },
    webhookSigningSecret: { type: 'string', minLength: 8 },
    customFields: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sentiment: { type: 'integer', minimum: 1 },
        escalationReason: { type: 'integer', minimum: 1 },
        handoffId: { type: 'integer', minimum: 1 },
        topic: { type: 'integer', minimum: 1 },
        priorityScore: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const;

type RawZendesk = Omit<Partial<ZendeskConfig>, 'customFields'> & { subdomain: string; customFields?: ZendeskCustomFields };


/** A schema-valid section → ZendeskConfig with defaults; `path` is e.g. `tenants[0].zendesk`. */
export function parseZendeskConfig(raw: unknown, path: string): ZendeskConfig {
  const z = raw as RawZendesk;
  if (!z.oauthToken && !(z.email && z.apiToken)) throw new ConfigError(`${path} needs either "oauthToken" or both "email" and "apiToken"`);
  if (z.oauthToken && (z.email || z.apiToken)) throw new ConfigError(`${path}: give "oauthToken" or "email" + "apiToken", not both`);
  return {
    subdomain: z.subdomain,
    baseUrl: trimTrailingSlashes(z.baseUrl ?? `https://${z.subdomain}.zendesk.com`),
    ...(z.email ? { email: z.email } : {}),
    ...(z.apiToken ? { apiToken: z.apiToken } : {}),
    ...(z.oauthToken ? { oauthToken: z.oauthToken } : {}),
    maxRequestsPerMinute: z.maxRequestsPerMinute ?? 300,
    customFields: { ...(z.customFields ?? {}) },
    setPriority: z.setPriority ?? true,
    setGroup: z.setGroup ?? true,
    discoverFields: z.discoverFields ?? true,
    ...(z.appId ? { appId: z.appId } : {}),
    ...(z.appInstallationId ? { appInstallationId: z.appInstallationId } : {}),
    ...(z.appPublicKey ? { appPublicKey: z.appPublicKey } : {}),
    ...(z.webhookSigningSecret ? { webhookSigningSecret: z.webhookSigningSecret } : {}),
  };
}

/** The tenant's parsed Zendesk section, if it connects Zendesk. */
export function zendeskConfigOf(tenant: { helpdesks: Readonly<Record<string, unknown>> }): ZendeskConfig | undefined {
  return tenant.helpdesks[ZENDESK] as ZendeskConfig | undefined;
}

/** Across tenants: two tenants cannot share one Zendesk account (the sidebar finds the tenant by subdomain). */
export function checkUniqueSubdomains(sections: ReadonlyArray<{ path: string; config: ZendeskConfig }>): void {
  const seen = new Set<string>();
  for (const { path, config } of sections) {
    if (seen.has(config.subdomain)) throw new ConfigError(`${path}.subdomain "${config.subdomain}" is used by another tenant`);
    seen.add(config.subdomain);
  }
}

/** Sandbox mode's demo tenant: the sandbox is served by this same process under `/sandbox/zendesk`. */
export function zendeskSandboxSection(ownBaseUrl: string): Record<string, unknown> {
  return {
    subdomain: DEMO_SUBDOMAIN,
    baseUrl: `${ownBaseUrl}/sandbox/zendesk`,
    email: 'demo@baton.local',
    apiToken: 'sandbox',
    // The sandbox's app installation: /preview loads the sidebar the signed-URL way (docs/sidebar.md).
    appId: SANDBOX_APP_ID,
    appInstallationId: SANDBOX_APP_INSTALLATION_ID,
    // Signs the sandbox's "messaging ticket created" webhook (Sunshine relay demo): ticket-created-webhook.ts.
    webhookSigningSecret: DEMO_WEBHOOK_SIGNING_SECRET,
  };
}
