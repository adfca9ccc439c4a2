/**
 * Canvas Kit requests from Intercom carry `X-Body-Signature`: the hex HMAC-SHA256 of the raw request body,
 * keyed with the app's client secret. Source: Intercom support engineers on community.intercom.com and
 * public Canvas Kit apps that verify it this way (see PLATFORM-FACTS); Intercom's reference pages found by
 * search do not spell it out, so the exact scheme stays unverified against an official page.
 * Checked in constant time over the bytes as sent, before the body is parsed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const CANVAS_SIGNATURE_HEADER = 'x-body-signature';

// Exactly 64 hex digits (SHA-256); anything else is refused before any comparison.
const HEX_SHA256_RE = /^[0-9a-fA-F]{64}$/;

export function signCanvasBody(rawBody: Buffer | string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(rawBody).digest('hex');
}

export function verifyCanvasSignature(header: string | undefined, rawBody: Buffer, clientSecret: string): boolean {
  const expected = createHmac('sha256', clientSecret).update(rawBody).digest();
  const given = typeof header === 'string' && HEX_SHA256_RE.test(header.trim()) ? Buffer.from(header.trim(), 'hex') : Buffer.alloc(expected.length);
  // Always compare (equal lengths by construction) so a malformed header takes the same path.
  const same = timingSafeEqual(given, expected);
  return same && typeof header === 'string' && HEX_SHA256_RE.test(header.trim());
}
