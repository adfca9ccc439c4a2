/**
 * `tenants[].bots.dialogflowCx`: the Bearer token the CX webhook sends (configured as a static header on the
 * webhook, cloud.google.com/dialogflow/cx/docs/concept/webhook "Webhook authentication"), which fulfillment tags
 * mean "hand over", the session parameter that holds the transcript, and optional transition messages by
 * language.
 */
import { ConfigError } from '../../config-error.ts';
import { parseTokens, tokenSchemaProperties, type TokenSettings } from '../token-auth.ts';

export const DIALOGFLOW_CX_KEY = 'dialogflowCx';

export interface DialogflowCxSettings extends TokenSettings {
  /** `fulfillmentInfo.tag` values that are a handoff; any other tag is answered with an empty response. */
  handoffTags: string[];
  /** Session parameter holding the conversation so far (a list of {role, text} or `customer: …` lines). */
  transcriptParameter: string;
  /** Transition message by language (`en`, `de`, `pt-BR`…), overriding Baton's. */
  transitionMessages: Record<string, string>;
}

export const DEFAULT_TRANSCRIPT_PARAMETER = 'baton_transcript';

export const dialogflowCxConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...tokenSchemaProperties,
    handoffTags: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 200 } },
    transcriptParameter: { type: 'string', minLength: 1, maxLength: 200 },
    transitionMessages: { type: 'object', additionalProperties: { type: 'string', minLength: 1, maxLength: 2000 } },
  },
} as const;

export function parseDialogflowCxConfig(raw: unknown, path: string): DialogflowCxSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${path} must be an object`);
  const c = raw as { handoffTags?: string[]; transcriptParameter?: string; transitionMessages?: Record<string, string> };
  const transitionMessages: Record<string, string> = {};
  for (const [lang, text] of Object.entries(c.transitionMessages ?? {})) {
    if (!/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(lang)) throw new ConfigError(`${path}.transitionMessages: "${lang}" is not a language code (e.g. "en", "pt-BR")`);
    transitionMessages[lang.toLowerCase().replace('_', '-')] = text;
  }
  return {
    tokens: parseTokens(raw, path),
    handoffTags: c.handoffTags ?? ['handoff'],
    transcriptParameter: c.transcriptParameter ?? DEFAULT_TRANSCRIPT_PARAMETER,
    transitionMessages,
  };
}

/** Sandbox mode's demo tenant accepts this Bearer token (never in a real config). */
export const DEMO_DIALOGFLOW_CX_TOKEN = 'demo_dialogflow_cx_token_local_only';
