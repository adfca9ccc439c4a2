/**
 * Structured JSON logs (pino). Secrets are redacted by path so a careless `log.info({ tenant })` cannot leak them.
 */
import { isAxiosError } from 'axios';
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Credential keys of helpdesk config sections (tenants[].helpdesks.<name>.<key>), whatever the helpdesk. */
const HELPDESK_SECRET_KEYS = ['apiToken', 'oauthToken', 'accessToken', 'clientSecret', 'webhookSigningSecret'];
/** Credential keys of bot sections (tenants[].bots.<key>.<secret>), e.g. Sunshine's API key secret and webhook secret; `tokens` is the parsed form of Dialogflow CX / Rasa / Bot Framework `token`. */
const BOT_SECRET_KEYS = ['keySecret', 'webhookSecret', 'token', 'tokens'];

const SECRET_PATHS = [
  'webhookSecrets',
  'appSecret',
  'apiToken',
  'oauthToken',
  'adminToken',
  '*.webhookSecrets',
  '*.appSecret',
  '*.apiToken',
  '*.oauthToken',
  '*.adminToken',
  'accessToken',
  'clientSecret',
  '*.accessToken',
  '*.clientSecret',
  ...HELPDESK_SECRET_KEYS.flatMap((k) => [`helpdesks.*.${k}`, `*.helpdesks.*.${k}`]),
  ...BOT_SECRET_KEYS.flatMap((k) => [`bots.*.${k}`, `*.bots.*.${k}`]),
  'headers["x-api-key"]',
  'req.headers["x-api-key"]',
  'headers["x-zendesk-webhook-signature"]',
  'headers.authorization',
  'headers["baton-signature"]',
  'req.headers.authorization',
  'req.headers["baton-signature"]',
];

/**
 * An AxiosError carries its request (raw headers, Authorization included) and config: log a summary instead.
 */
function serializeError(err: unknown): unknown {
  if (isAxiosError(err)) {
    return {
      type: 'AxiosError',
      message: err.message,
      code: err.code,
      method: err.config?.method?.toUpperCase(),
      url: err.config?.url,
      status: err.response?.status,
      response: typeof err.response?.data === 'string' ? err.response.data.slice(0, 500) : err.response?.data,
    };
  }
  return pino.stdSerializers.err(err as Error);
}

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'baton' },
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
