/**
 * Baton's own webhook signature, modelled on Stripe's: `Baton-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]`
 * where v1 = HMAC-SHA256(secret, "<t>.<raw body>"). Several v1 entries and several tenant secrets allow
 * rotation without downtime. Compared in constant time over the raw bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'baton-signature';

export type SignatureFailure = 'missing' | 'malformed' | 'expired' | 'mismatch';
export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure };

interface ParsedHeader {
  t: number;
  v1: Buffer[];
}

function parseHeader(header: string): ParsedHeader | undefined {
  let t: number | undefined;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || t !== undefined) return undefined;
      t = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
      v1.push(Buffer.from(value, 'hex'));
    }
    // Unknown schemes (v0, v2…) are ignored so senders can add newer ones alongside v1.
  }
  if (t === undefined || v1.length === 0 || v1.length > 8) return undefined;
  return { t, v1 };
}

function mac(secret: string, t: number, rawBody: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
}

export function verifyBatonSignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: readonly string[],
  nowSec: number,
  toleranceSec: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parsed = parseHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSec - parsed.t) > toleranceSec) return { ok: false, reason: 'expired' };
  let match = false;
  // Check every pair without an early exit, so timing does not reveal which secret or entry matched.
  for (const secret of secrets) {
    const expected = mac(secret, parsed.t, rawBody);
    for (const candidate of parsed.v1) if (timingSafeEqual(expected, candidate)) match = true;
  }
  return match ? { ok: true, timestamp: parsed.t } : { ok: false, reason: 'mismatch' };
}

/** Builds the header a sender puts on a request (used by the demo, tests and benchmarks). */
export function signBatonPayload(secret: string | readonly string[], rawBody: string | Buffer, t = Math.floor(Date.now() / 1000)): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  return [`t=${t}`, ...secrets.map((s) => `v1=${mac(s, t, body).toString('hex')}`)].join(',');
}
