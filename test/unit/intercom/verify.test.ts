import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { signHubPayload, verifyHubSignature } from '../../../server/bots/intercom/verify.ts';

const SECRET = 'ic_client_secret_1';
const body = Buffer.from('{"type":"notification_event","topic":"ping"}');
const hex = createHmac('sha1', SECRET).update(body).digest('hex');

describe('X-Hub-Signature', () => {
  it('accepts sha1=<hex HMAC-SHA1(client secret, raw body)>, in either hex case', () => {
    expect(signHubPayload(SECRET, body)).toBe(`sha1=${hex}`);
    expect(verifyHubSignature(`sha1=${hex}`, body, [SECRET])).toEqual({ ok: true });
    expect(verifyHubSignature(`sha1=${hex.toUpperCase()}`, body, [SECRET])).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret or over other bytes', () => {
    expect(verifyHubSignature(signHubPayload('another_secret_1', body), body, [SECRET])).toEqual({ ok: false, reason: 'mismatch' });
    const tampered = Buffer.from(body.toString().replace('ping', 'pong'));
    expect(verifyHubSignature(`sha1=${hex}`, tampered, [SECRET])).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a missing header', () => {
    expect(verifyHubSignature(undefined, body, [SECRET])).toEqual({ ok: false, reason: 'missing' });
    expect(verifyHubSignature('', body, [SECRET])).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses another algorithm prefix, even with a valid MAC of that algorithm', () => {
    const sha256 = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(verifyHubSignature(`sha256=${sha256}`, body, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyHubSignature(`md5=${hex}`, body, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyHubSignature(hex, body, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a digest of the wrong length or with non-hex characters without throwing', () => {
    expect(verifyHubSignature(`sha1=${hex.slice(0, 38)}`, body, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyHubSignature(`sha1=${hex}00`, body, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyHubSignature(`sha1=${'z'.repeat(40)}`, body, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
  });
});
