/**
 * Zendesk webhook signatures (https://developer.zendesk.com/documentation/webhooks/verifying/):
 * `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(signing secret, timestamp + raw body)), no separator, with
 * the timestamp from `X-Zendesk-Webhook-Signature-Timestamp` (ISO 8601). Checked over the bytes as sent, in
 * constant time (both digests are 32 bytes), with a replay window around Baton's clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ZENDESK_SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const ZENDESK_TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

export type ZendeskSignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

const DECOY = 'decoy-secret-for-unknown-tenants';

function mac(secret: string, timestamp: string, raw: Buffer): Buffer {
  return createHmac('sha256', secret).update(timestamp, 'utf8').update(raw).digest();
}

export function verifyZendeskWebhook(
  signature: string | undefined,
  timestamp: string | undefined,
  raw: Buffer,
  secret: string | undefined,
  nowMs: number,
  toleranceSec: number,
): ZendeskSignatureCheck {
  if (!signature || !timestamp) return { ok: false, reason: 'missing' };
  const given = Buffer.from(signature.trim(), 'base64');
  // The digest is computed whatever the outcome, so a bad header and an unknown tenant take the same time.
  const expected = mac(secret ?? DECOY, timestamp, raw);
  if (given.length !== expected.length) return { ok: false, reason: 'malformed' };
  const match = timingSafeEqual(given, expected);
  const at = Date.parse(timestamp);
  if (!Number.isFinite(at)) return { ok: false, reason: 'malformed' };
  if (!match || secret === undefined) return { ok: false, reason: 'mismatch' };
  if (Math.abs(nowMs - at) > toleranceSec * 1000) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/** The headers Zendesk sends for `raw` at `timestamp` (tests, the demo). */
export function signZendeskWebhook(secret: string, timestamp: string, raw: string | Buffer): Record<string, string> {
  return {
    'X-Zendesk-Webhook-Signature': mac(secret, timestamp, typeof raw === 'string' ? Buffer.from(raw) : raw).toString('base64'),
    'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
  };
}

/** Signatures seen within the replay window: the same signed delivery twice is refused the second time. */
export class SeenSignatures {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 10_000) {}

  /** True the first time within `ttlMs`; false for a replay. */
  remember(signature: string, nowMs: number, ttlMs: number): boolean {
    for (const [k, until] of this.seen) {
      if (until > nowMs && this.seen.size < this.max) break;
      this.seen.delete(k);
    }
    const until = this.seen.get(signature);
    if (until !== undefined && until > nowMs) return false;
    this.seen.set(signature, nowMs + ttlMs);
    return true;
  }
}
