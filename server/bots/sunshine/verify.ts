/**
 * Sunshine Conversations webhooks carry the integration's shared secret as is: v2 webhooks have a `secret`
 * "used to verify the origin of incoming requests" (the spec's webhook schema), sent in the `X-API-Key` header.
 * The header name is the one Baton's design notes give; neither the spec nor Zendesk's pages and generated clients
 * found through search name it (unverified, see docs/bots/sunshine.md). Compared in constant time on SHA-256
 * digests, so the lengths are equal whatever was sent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthCheck } from '../bot-adapter.ts';

export const API_KEY_HEADER = 'x-api-key';
const DECOY = 'decoy-secret-for-unknown-tenants';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function verifyApiKey(header: string | undefined, secret: string | undefined): AuthCheck {
  // Unknown tenants and tenants without Sunshine are compared against a decoy: same path, same time.
  const ok = timingSafeEqual(digest(header ?? ''), digest(secret ?? DECOY));
  if (!header) return { ok: false, reason: 'missing' };
  return ok && secret !== undefined ? { ok: true } : { ok: false, reason: 'mismatch' };
}
