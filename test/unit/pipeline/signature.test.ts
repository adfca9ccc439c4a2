import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { signBatonPayload, verifyBatonSignature } from '../../../server/bots/generic/verify.ts';

const body = Buffer.from('{"id":"evt_01"}');
const now = 1_800_000_000;

describe('Baton-Signature', () => {
  it('accepts a signature computed as documented: HMAC-SHA256(secret, "<t>.<raw body>")', () => {
    const hex = createHmac('sha256', 'whsec_test_1').update(`${now}.${body.toString()}`).digest('hex');
    expect(verifyBatonSignature(`t=${now},v1=${hex}`, body, ['whsec_test_1'], now, 300)).toEqual({ ok: true, timestamp: now });
  });

  it('supports rotation: any configured secret, any of several v1 entries', () => {
    const header = signBatonPayload(['old_secret_x', 'new_secret_y'], body, now);
    expect(verifyBatonSignature(header, body, ['new_secret_y'], now, 300).ok).toBe(true);
    expect(verifyBatonSignature(signBatonPayload('old_secret_x', body, now), body, ['new_secret_y', 'old_secret_x'], now, 300).ok).toBe(true);
  });

  it('rejects timestamps more than the tolerance away, in both directions', () => {
    const old = signBatonPayload('s3cret_ab', body, now - 301);
    const future = signBatonPayload('s3cret_ab', body, now + 301);
    expect(verifyBatonSignature(old, body, ['s3cret_ab'], now, 300)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyBatonSignature(future, body, ['s3cret_ab'], now, 300)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyBatonSignature(signBatonPayload('s3cret_ab', body, now - 300), body, ['s3cret_ab'], now, 300).ok).toBe(true);
  });

  it('rejects a tampered body, a wrong secret, and missing or malformed headers', () => {
    const header = signBatonPayload('s3cret_ab', body, now);
    expect(verifyBatonSignature(header, Buffer.from('{"id":"evt_02"}'), ['s3cret_ab'], now, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyBatonSignature(header, body, ['other_secret'], now, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyBatonSignature(undefined, body, ['s3cret_ab'], now, 300)).toEqual({ ok: false, reason: 'missing' });
    for (const bad of ['garbage', `t=${now}`, `v1=${'a'.repeat(64)}`, `t=abc,v1=${'a'.repeat(64)}`, `t=${now},v1=xyz`, `t=${now},t=${now},v1=${'a'.repeat(64)}`]) {
      expect(verifyBatonSignature(bad, body, ['s3cret_ab'], now, 300)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('ignores unknown schemes next to v1', () => {
    const header = `${signBatonPayload('s3cret_ab', body, now)},v0=deadbeef`;
    expect(verifyBatonSignature(header, body, ['s3cret_ab'], now, 300).ok).toBe(true);
  });
});
