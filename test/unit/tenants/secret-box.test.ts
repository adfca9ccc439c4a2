import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../server/config-error.ts';
import { createSecretBox, keyIdOf, loadMasterKeys, parseMasterKey } from '../../../server/tenants/secret-box.ts';

const key = (): { id: string; key: Buffer } => {
  const k = randomBytes(32);
  return { id: keyIdOf(k), key: k };
};

describe('secret box', () => {
  it('seals and opens; the sealed form has no clear text and names its key', () => {
    const k = key();
    const box = createSecretBox({ current: k });
    const sealed = box.seal('tok_9 and whsec_abc', 'baton-tenant:initech');
    expect(sealed).not.toContain('tok_9');
    expect(sealed.split('.')[1]).toBe(k.id);
    expect(box.open(sealed, 'baton-tenant:initech')).toBe('tok_9 and whsec_abc');
    // Same value, fresh IV: two seals differ.
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it('refuses a value sealed for another tenant, a tampered one and an unknown key', () => {
    const box = createSecretBox({ current: key() });
    const sealed = box.seal('secret', 'baton-tenant:a');
    expect(() => box.open(sealed, 'baton-tenant:b')).toThrow(ConfigError);
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4] as string, 'base64url');
    ct[0] = (ct[0] as number) ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.open(parts.join('.'), 'baton-tenant:a')).toThrow(/does not open/);
    expect(() => createSecretBox({ current: key() }).open(sealed, 'baton-tenant:a')).toThrow(/neither BATON_MASTER_KEY/);
    expect(() => box.open('plain text', 'baton-tenant:a')).toThrow(/sealed form/);
  });

  it('rotates: the previous key still opens, and marks old values stale', () => {
    const oldKey = key();
    const newKey = key();
    const sealedOld = createSecretBox({ current: oldKey }).seal('v', 'c');
    const box = createSecretBox({ current: newKey, previous: oldKey });
    expect(box.open(sealedOld, 'c')).toBe('v');
    expect(box.isStale(sealedOld)).toBe(true);
    expect(box.isStale(box.seal('v', 'c'))).toBe(false);
  });

  it('without a key, refuses to seal with a ConfigError', () => {
    expect(() => createSecretBox({}).seal('v', 'c')).toThrow(/BATON_MASTER_KEY is not set/);
  });

  it('reads hex and base64 keys of 32 bytes only', () => {
    const raw = randomBytes(32);
    expect(parseMasterKey(raw.toString('hex'), 'K').key.equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('base64'), 'K').key.equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('base64url'), 'K').key.equals(raw)).toBe(true);
    expect(() => parseMasterKey(randomBytes(16).toString('base64'), 'BATON_MASTER_KEY')).toThrow(/BATON_MASTER_KEY must be 32 bytes/);
    expect(() => parseMasterKey('not a key', 'K')).toThrow(ConfigError);
  });

  it('sandbox mode generates a 0600 key file once; production without a key has none', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-key-'));
    const first = loadMasterKeys({}, { sandbox: true, dataDir });
    expect(first.generatedFile).toBe(join(dataDir, 'master.key'));
    expect(statSync(first.generatedFile as string).mode & 0o777).toBe(0o600);
    const again = loadMasterKeys({}, { sandbox: true, dataDir });
    expect(again.generatedFile).toBeUndefined();
    expect(again.current?.id).toBe(first.current?.id);
    expect(readFileSync(join(dataDir, 'master.key'), 'utf8').trim()).toBe(first.current?.key.toString('base64'));
    expect(loadMasterKeys({}, { sandbox: false, dataDir }).current).toBeUndefined();
    const env = { BATON_MASTER_KEY: randomBytes(32).toString('hex'), BATON_MASTER_KEY_PREVIOUS: randomBytes(32).toString('base64') };
    const both = loadMasterKeys(env, { sandbox: false, dataDir });
    expect(both.current && both.previous).toBeTruthy();
  });
});
