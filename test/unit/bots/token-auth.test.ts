/** Signature-or-Bearer authentication of the platforms that cannot sign (Dialogflow CX, Rasa, Bot Framework). */
import { describe, expect, it } from 'vitest';
import { bearerMatches, bearerToken, verifySignatureOrBearer, type TokenSettings } from '../../../server/bots/token-auth.ts';
import { signBatonPayload } from '../../../server/bots/generic/verify.ts';
import { tenant } from './fixtures.ts';

const raw = Buffer.from('{"a":1}');
const now = 1_800_000_000;
const settings: TokenSettings = { tokens: ['tok_current_1', 'tok_next_2'] };

/** `s: null` = the tenant has not set the platform up (or is unknown). */
function check(headers: Record<string, string>, s: TokenSettings | null = settings, known = true) {
  return verifySignatureOrBearer({ header: (n) => headers[n], raw, tenant: known ? tenant() : undefined, settings: s ?? undefined, nowSec: now, toleranceSec: 300 });
}

describe('token auth', () => {
  it('reads `Bearer <token>` (scheme in any case), nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearerabc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('compares tokens of any length (hashed first), each configured token accepted while rotating', () => {
    expect(bearerMatches('tok_current_1', settings.tokens)).toBe(true);
    expect(bearerMatches('tok_next_2', settings.tokens)).toBe(true);
    expect(bearerMatches('tok_current_', settings.tokens)).toBe(false);
    expect(bearerMatches('x'.repeat(10_000), settings.tokens)).toBe(false);
    expect(bearerMatches('tok_current_1', [])).toBe(false);
  });

  it('accepts a valid Baton-Signature or a configured Bearer token; a present signature is never bypassed by a token', () => {
    expect(check({ authorization: 'Bearer tok_next_2' })).toEqual({ ok: true });
    expect(check({ 'baton-signature': signBatonPayload('whsec_test_1', raw, now) })).toEqual({ ok: true });
    expect(check({ 'baton-signature': signBatonPayload('whsec_test_1', raw, now - 301) })).toEqual({ ok: false, reason: 'signature_expired' });
    expect(check({ 'baton-signature': signBatonPayload('nope_nope', raw, now), authorization: 'Bearer tok_next_2' })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(check({ authorization: 'Bearer wrong' })).toEqual({ ok: false, reason: 'bearer_mismatch' });
    expect(check({})).toEqual({ ok: false, reason: 'missing' });
  });

  it('an unknown tenant or a platform not set up is checked against decoys and fails', () => {
    expect(check({ authorization: 'Bearer tok_next_2' }, null)).toEqual({ ok: false, reason: 'bearer_mismatch' });
    expect(check({ 'baton-signature': signBatonPayload('whsec_test_1', raw, now) }, null, false)).toEqual({ ok: false, reason: 'signature_mismatch' });
  });
});
