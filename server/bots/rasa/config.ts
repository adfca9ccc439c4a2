/**
 * `tenants[].bots.rasa`: the Bearer token the custom handoff action sends (docs/bots/rasa.md ships the action).
 * The action may sign with Baton-Signature instead (the tenant's webhook secrets): then `{}` is enough, but the
 * section must exist for the route to accept the tenant.
 */
import { parseTokens, tokenOnlySchema, type TokenSettings } from '../token-auth.ts';

export const RASA_KEY = 'rasa';

export type RasaSettings = TokenSettings;

export const rasaConfigSchema = tokenOnlySchema;

export function parseRasaConfig(raw: unknown, path: string): RasaSettings {
  return { tokens: parseTokens(raw, path) };
}

/** Sandbox mode's demo tenant accepts this Bearer token (never in a real config). */
export const DEMO_RASA_TOKEN = 'demo_rasa_token_local_only';
