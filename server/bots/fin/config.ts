/**
 * `tenants[].bots.fin`: the Bearer token of the service that relays Fin Agent API events to Baton (or `{}` when
 * it signs with Baton-Signature). Fin's own webhook delivery is not documented as signed in a way Baton can
 * check (developers.intercom.com, Fin Agent API "Setup"), so Baton takes the event from the integration that
 * called `/fin/start`, which also holds the conversation history.
 */
import { parseTokens, tokenOnlySchema, type TokenSettings } from '../token-auth.ts';

export const FIN_KEY = 'fin';

export type FinSettings = TokenSettings;

export const finConfigSchema = tokenOnlySchema;

export function parseFinConfig(raw: unknown, path: string): FinSettings {
  return { tokens: parseTokens(raw, path) };
}

/** Sandbox mode's demo tenant accepts this Bearer token (never in a real config). */
export const DEMO_FIN_TOKEN = 'demo_fin_token_local_only';
