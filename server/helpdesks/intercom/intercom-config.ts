/**
 * The Intercom section of a tenant (`tenants[].intercom`): its JSON Schema (config.ts validates the file with
 * it), parsing with defaults, and the typed accessor the Intercom module and the Intercom bot adapter read it
 * through. Base URLs by region are the `servers` of Intercom's OpenAPI description (intercom/Intercom-OpenAPI,
 * descriptions/2.16: api.intercom.io, api.eu.intercom.io, api.au.intercom.io).
 */
import { ConfigError } from '../../config-error.ts';
import { trimTrailingSlashes } from '../../util/trim-trailing-slashes.ts';

export const INTERCOM = 'intercom';

export const INTERCOM_REGIONS = ['us', 'eu', 'au'] as const;
export type IntercomRegion = (typeof INTERCOM_REGIONS)[number];

export const REGION_BASE_URLS: Readonly<Record<IntercomRegion, string>> = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
};

/** Names of conversation data attributes Baton fills (each optional; none by default). */
export interface IntercomAttributeNames {
  sentiment?: string;
  reason?: string;
  topic?: string;
  handoffId?: string;
  priority?: string;
}

export interface IntercomConfig {
  accessToken: string;
  /** The admin (teammate) Baton writes notes and tags as: usually the app's own bot admin. */
  adminId: string;
  /** The app's client secret: signs webhooks (X-Hub-Signature) and Canvas Kit requests (X-Body-Signature). */
  clientSecret: string;
  region: IntercomRegion;
  baseUrl: string;
  /** Our own ceiling on requests per minute; the learned limit caps it further. */
  maxRequestsPerMinute: number;
  /** Treat an assignment by a Workflow (no Fin, no bot part) as a handoff too. */
  workflowHandoffs: boolean;
  /** Mark an urgent handoff's conversation as priority. */
  setPriority: boolean;
  attributes: IntercomAttributeNames;
}

/**
 * Private apps get 10,000 calls per minute per app and 25,000 per workspace; public apps share their app limit
 * across workspaces (developers.intercom.com, "Rate Limiting"). Baton's default stays far below both.
 */
export const DEFAULT_MAX_REQUESTS_PER_MINUTE = 1000;

const attributeName = { type: 'string', minLength: 1, maxLength: 255 } as const;

export const intercomConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['accessToken', 'adminId', 'clientSecret'],
  properties: {
    accessToken: { type: 'string', minLength: 1 },
    adminId: { type: ['string', 'integer'], pattern: '^[0-9]+$', minimum: 1 },
    clientSecret: { type: 'string', minLength: 8 },
    region: { enum: [...INTERCOM_REGIONS] },
    baseUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
    maxRequestsPerMinute: { type: 'integer', minimum: 1 },
    workflowHandoffs: { type: 'boolean' },
    setPriority: { type: 'boolean' },
    attributes: {
      type: 'object',
      additionalProperties: false,
      properties: { sentiment: attributeName, reason: attributeName, topic: attributeName, handoffId: attributeName, priority: attributeName },
    },
  },
} as const;

interface RawIntercom {
  accessToken: string;
  adminId: string | number;
  clientSecret: string;
  region?: IntercomRegion;
  baseUrl?: string;
  maxRequestsPerMinute?: number;
  workflowHandoffs?: boolean;
  setPriority?: boolean;
  attributes?: IntercomAttributeNames;
}

/** A schema-valid section → IntercomConfig with defaults; `path` is e.g. `tenants[1].intercom`. */
export function parseIntercomConfig(raw: unknown, path: string): IntercomConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${path} must be an object`);
  const c = raw as RawIntercom;
  for (const key of ['accessToken', 'clientSecret'] as const) {
    if (typeof c[key] !== 'string' || c[key] === '') throw new ConfigError(`${path}.${key} is required`);
  }
  const adminId = String(c.adminId ?? '');
  if (!/^[0-9]{1,20}$/.test(adminId)) throw new ConfigError(`${path}.adminId must be the numeric id of an Intercom admin, e.g. "814860"`);
  const region = c.region ?? 'us';
  if (!(INTERCOM_REGIONS as readonly string[]).includes(region)) throw new ConfigError(`${path}.region must be one of ${INTERCOM_REGIONS.join(', ')}`);
  const attributes: IntercomAttributeNames = {};
  for (const [k, v] of Object.entries(c.attributes ?? {})) if (typeof v === 'string' && v) attributes[k as keyof IntercomAttributeNames] = v;
  return {
    accessToken: c.accessToken,
    adminId,
    clientSecret: c.clientSecret,
    region,
    baseUrl: trimTrailingSlashes(c.baseUrl ?? REGION_BASE_URLS[region]),
    maxRequestsPerMinute: c.maxRequestsPerMinute ?? DEFAULT_MAX_REQUESTS_PER_MINUTE,
    workflowHandoffs: c.workflowHandoffs ?? false,
    setPriority: c.setPriority ?? false,
    attributes,
  };
}

/** The tenant's parsed Intercom section, if it connects Intercom. */
export function intercomConfigOf(tenant: { helpdesks: Readonly<Record<string, unknown>> }): IntercomConfig | undefined {
  return tenant.helpdesks[INTERCOM] as IntercomConfig | undefined;
}

/** Sandbox mode's demo tenant: the sandbox Intercom is served by this same process under `/sandbox/intercom`. */
export const DEMO_INTERCOM_CLIENT_SECRET = 'ic_demo_client_secret_local_only';

export function intercomSandboxSection(ownBaseUrl: string): Record<string, unknown> {
  return {
    // The sandbox's default token and admin (sandbox/intercom: DEFAULT_INTERCOM_TOKEN, SANDBOX_ADMIN).
    accessToken: 'ic_sandbox_token',
    adminId: '814860',
    clientSecret: DEMO_INTERCOM_CLIENT_SECRET,
    region: 'us',
    baseUrl: `${ownBaseUrl}/sandbox/intercom`,
  };
}
