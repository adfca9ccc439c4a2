/**
 * `tenants[].bots.botFramework`: the Bearer token the bot (or the relay that forwards Copilot Studio's
 * `handoff.initiate`) sends, or `{}` when it signs with Baton-Signature.
 */
import { parseTokens, tokenOnlySchema, type TokenSettings } from '../token-auth.ts';

export const BOT_FRAMEWORK_KEY = 'botFramework';

export type BotFrameworkSettings = TokenSettings;

export const botFrameworkConfigSchema = tokenOnlySchema;

export function parseBotFrameworkConfig(raw: unknown, path: string): BotFrameworkSettings {
  return { tokens: parseTokens(raw, path) };
}

/** Sandbox mode's demo tenant accepts this Bearer token (never in a real config). */
export const DEMO_BOT_FRAMEWORK_TOKEN = 'demo_botframework_token_local_only';
