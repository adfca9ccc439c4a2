/**
 * Authentication for platforms that cannot sign their webhooks (Dialogflow CX, Rasa, Bot Framework): either
 * Baton's own `Baton-Signature` with the tenant's webhook secrets, or `Authorization: Bearer <token>` equal to
 * the token configured for that platform (`tenants[].bots.<platform>.token`, or several in `tokens` while one
 * rotates). Both compared in constant time. Dialogflow CX sends fixed headers configured on the webhook
 * (cloud.google.com/dialogflow/cx/docs/concept/webhook, "Webhook authentication"), which is how a Bearer token
 * reaches Baton.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config-error.ts';
import { SIGNATURE_HEADER, verifyBatonSignature } from './generic/verify.ts';
import type { AuthCheck, VerifyInput } from './bot-adapter.ts';

export interface TokenSettings {
  /** Accepted Bearer tokens (one, or two while rotating). */
  tokens: string[];
}

/** One 401 message for every route authenticated this way and for an unknown platform. */
export const TOKEN_UNAUTHORIZED = 'Missing or invalid Baton-Signature or Bearer token, or unknown tenant or platform';

export const tokenSchemaProperties = {
  token: { type: 'string', minLength: 8, maxLength: 4096 },
  tokens: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'string', minLength: 8, maxLength: 4096 } },
} as const;

/** A section that is only tokens (Rasa, Bot Framework). */
export const tokenOnlySchema = { type: 'object', additionalProperties: false, properties: tokenSchemaProperties } as const;

const DECOY_SECRETS = ['decoy-secret-for-unknown-tenants'];
const DECOY_TOKENS = ['decoy-token-for-unknown-tenants'];

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant time whatever the lengths: both sides hashed to 32 bytes first; every token checked, no early exit. */
export function bearerMatches(given: string, tokens: readonly string[]): boolean {
  const g = digest(given);
  let match = false;
  for (const t of tokens) if (timingSafeEqual(g, digest(t))) match = true;
  return match;
}

/** `Bearer <token>` (scheme case-insensitive, RFC 6750 §2.1) → the token, else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim();
  if (h.length < 8 || h.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const token = h.slice(7).trim();
  return token || undefined;
}

/** Baton-Signature when the request carries one, else the Bearer token. */
export function verifySignatureOrBearer(input: VerifyInput<TokenSettings>): AuthCheck {
  const signature = input.header(SIGNATURE_HEADER);
  if (signature !== undefined) {
    const check = verifyBatonSignature(signature, input.raw, input.tenant?.webhookSecrets ?? DECOY_SECRETS, input.nowSec, input.toleranceSec);
    return check.ok ? { ok: true } : { ok: false, reason: `signature_${check.reason}` };
  }
  const token = bearerToken(input.header('authorization'));
  if (!token) return { ok: false, reason: 'missing' };
  return bearerMatches(token, input.settings?.tokens ?? DECOY_TOKENS) ? { ok: true } : { ok: false, reason: 'bearer_mismatch' };
}

/**
 * `{ token }` and/or `{ tokens: [...] }` → the list. None: the platform is set up for Baton-Signature only (the
 * section must still exist for the route to accept the tenant).
 */
export function parseTokens(raw: unknown, path: string): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${path} must be an object`);
  const r = raw as Record<string, unknown>;
  const tokens = [...(typeof r.token === 'string' ? [r.token] : []), ...(Array.isArray(r.tokens) ? r.tokens.filter((t): t is string => typeof t === 'string') : [])];
  return [...new Set(tokens)];
}
