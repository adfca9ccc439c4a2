/**
 * `tenants[].bots.sunshine`: the Sunshine Conversations app Baton reads (and, in relay mode, passes control in),
 * its API key (Basic key id + secret), the webhook's shared secret and the mode. See docs/bots/sunshine.md.
 */
import { ConfigError } from '../../config-error.ts';
import { trimTrailingSlashes } from '../../util/trim-trailing-slashes.ts';

export const SUNSHINE_MODES = ['relay', 'note'] as const;
export type SunshineMode = (typeof SUNSHINE_MODES)[number];

/** The agent workspace's switchboard integration type (Zendesk messaging). */
export const AGENT_WORKSPACE = 'zd:agentWorkspace';

export interface SunshineSettings {
  appId: string;
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  /** Default `https://<tenant's Zendesk subdomain>.zendesk.com/sc` (resolved when a call is made). */
  baseUrl?: string;
  mode: SunshineMode;
  /** Relay mode: the name of Baton's own switchboard integration (control passed to it is a handoff). */
  switchboardIntegration: string;
  /** How long a handoff waits for Zendesk's messaging ticket before it is dead-lettered. */
  ticketWaitMinutes: number;
}

export const sunshineConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['appId', 'keyId', 'keySecret', 'webhookSecret', 'mode'],
  properties: {
    appId: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
    keyId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' },
    keySecret: { type: 'string', minLength: 8 },
    webhookSecret: { type: 'string', minLength: 8 },
    baseUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
    mode: { enum: [...SUNSHINE_MODES] },
    switchboardIntegration: { type: 'string', minLength: 1, maxLength: 100 },
    ticketWaitMinutes: { type: 'integer', minimum: 1, maximum: 10080 },
  },
} as const;

export function parseSunshineConfig(raw: unknown, path: string): SunshineSettings {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError(`${path} must be an object`);
  const s = raw as Partial<SunshineSettings>;
  if (s.switchboardIntegration === AGENT_WORKSPACE) throw new ConfigError(`${path}.switchboardIntegration must name Baton's own integration, not ${AGENT_WORKSPACE}`);
  const baseUrl = s.baseUrl === undefined ? undefined : trimTrailingSlashes(s.baseUrl);
  return {
    appId: s.appId as string,
    keyId: s.keyId as string,
    keySecret: s.keySecret as string,
    webhookSecret: s.webhookSecret as string,
    ...(baseUrl ? { baseUrl } : {}),
    mode: s.mode as SunshineMode,
    switchboardIntegration: s.switchboardIntegration ?? 'baton',
    ticketWaitMinutes: s.ticketWaitMinutes ?? 30,
  };
}

/** The tenant's parsed section, if it set Sunshine up. */
export function sunshineSettingsOf(tenant: { bots?: Readonly<Record<string, unknown>> }): SunshineSettings | undefined {
  return tenant.bots?.sunshine as SunshineSettings | undefined;
}

/** The API base: the section's `baseUrl`, else the Zendesk account's `/sc` (https://developer.zendesk.com/api-reference/conversations/). */
export function sunshineBaseUrl(settings: SunshineSettings, zendeskSubdomain: string | undefined): string {
  if (settings.baseUrl) return settings.baseUrl;
  if (!zendeskSubdomain) throw new ConfigError('bots.sunshine needs "baseUrl" when the tenant has no zendesk section');
  return `https://${zendeskSubdomain}.zendesk.com/sc`;
}
