/**
 * Structured JSON logs (pino). Secrets are redacted by path so a careless `log.info({ tenant })` cannot leak them.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

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
  '*.zendesk.apiToken',
  '*.zendesk.oauthToken',
  'headers.authorization',
  'headers["baton-signature"]',
  'req.headers.authorization',
  'req.headers["baton-signature"]',
];

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'baton' },
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
