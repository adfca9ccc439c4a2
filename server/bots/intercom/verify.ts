/**
 * Intercom webhook signatures: `X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, raw body)>`
 * (developers.intercom.com, "Webhooks" → "Signed notifications"; the key is the app's client secret). Checked
 * over the raw bytes as sent, in constant time, before the body is parsed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HUB_SIGNATURE_HEADER = 'x-hub-signature';

export type HubSignatureFailure = 'missing' | 'malformed' | 'mismatch';
export type HubSignatureCheck = { ok: true } | { ok: false; reason: HubSignatureFailure };

const SHA1_HEX = /^sha1=([0-9a-f]{40})$/i;

function mac(secret: string, rawBody: Buffer): Buffer {
  return createHmac('sha1', secret).update(rawBody).digest();
}

export function verifyHubSignature(header: string | undefined, rawBody: Buffer, secrets: readonly string[]): HubSignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const m = SHA1_HEX.exec(header.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(m[1] as string, 'hex');
  let match = false;
  // Every secret is checked (no early exit), so timing does not tell which one matched; both buffers are 20 bytes.
  for (const secret of secrets) if (timingSafeEqual(mac(secret, rawBody), given)) match = true;
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** The header Intercom sends for `rawBody` (the demo, tests and benchmarks use it). */
export function signHubPayload(secret: string, rawBody: string | Buffer): string {
  return `sha1=${mac(secret, typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody).toString('hex')}`;
}
