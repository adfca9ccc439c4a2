/**
 * A tenant's alert destination (`tenants[].alerts`): a Slack incoming webhook
 * (https://api.slack.com/messaging/webhooks: POST JSON `{"text": …}` to the hooks.slack.com URL) or any HTTP
 * endpoint taking Baton's JSON. The URL is a secret (Slack: "keep it secret"): it lives in the tenant document,
 * which the tenant store keeps encrypted (server/tenants/secret-box.ts), and is never logged or shown back.
 */
import { ConfigError } from '../config-error.ts';

export const ALERT_FORMATS = ['slack', 'json'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

export interface AlertConfig {
  url: string;
  format: AlertFormat;
  /** One alert per kind per tenant per this many minutes; later ones are counted and sent as one summary. */
  minIntervalMinutes: number;
}

export const DEFAULT_ALERT_INTERVAL_MINUTES = 15;

export const alertConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 8, maxLength: 2048 },
    format: { enum: [...ALERT_FORMATS] },
    minIntervalMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
  },
} as const;

/** https anywhere; plain http only to a loopback host (a local receiver, tests). */
export function alertUrlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (u.username || u.password) return 'must not carry credentials in the URL';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return undefined;
  return 'must be https (http only to a loopback host)';
}

/** A schema-valid `alerts` section → AlertConfig with defaults; the format defaults from the host. */
export function parseAlertConfig(raw: unknown, path: string): AlertConfig {
  const a = raw as { url: string; format?: AlertFormat; minIntervalMinutes?: number };
  const problem = alertUrlProblem(a.url);
  if (problem) throw new ConfigError(`${path}.url ${problem}`);
  const format = a.format ?? (new URL(a.url).hostname === 'hooks.slack.com' ? 'slack' : 'json');
  return { url: a.url, format, minIntervalMinutes: a.minIntervalMinutes ?? DEFAULT_ALERT_INTERVAL_MINUTES };
}
