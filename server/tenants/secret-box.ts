/**
 * Secrets at rest (issue 13): AES-256-GCM (node:crypto) with a 32-byte master key from BATON_MASTER_KEY
 * (base64 or hex). The sealed form names the key that sealed it, so keys rotate: set the new key as
 * BATON_MASTER_KEY and the old one as BATON_MASTER_KEY_PREVIOUS, run `npx baton tenants reencrypt`, then drop
 * the previous key. GCM's tag authenticates the ciphertext, and the `context` (the tenant id) is bound as
 * additional data, so a sealed value copied onto another tenant's row does not open.
 * https://nodejs.org/api/crypto.html#class-cipher (aes-256-gcm, 12-byte IV, 16-byte tag)
 *
 * Sandbox/dev mode without a key: one is generated into `<dataDir>/master.key` (mode 0600) and the caller logs
 * it. Production (a BATON_CONFIG) without a key: sealing throws a ConfigError (nothing is stored in clear).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config-error.ts';

/** `bx1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts; keyId = first 8 hex of SHA-256(key). */
const PREFIX = 'bx1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface SecretBox {
  /** The key new values are sealed with, or undefined when none is configured (sealing then throws). */
  readonly currentKeyId: string | undefined;
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
  /** Whether `sealed` was sealed with a key other than the current one (re-encrypt it). */
  isStale(sealed: string): boolean;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** A 32-byte key written as 64 hex digits or as base64 (standard or url-safe). */
export function parseMasterKey(raw: string, name: string): MasterKey {
  const text = raw.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== 32)
    throw new ConfigError(`${name} must be 32 bytes, written as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`)`);
  return { id: keyIdOf(key), key };
}

export const MASTER_KEY_FILE = 'master.key';

export interface KeySource {
  current?: MasterKey;
  previous?: MasterKey;
  /** Set when the key was generated just now into the data dir (sandbox mode): the caller logs it. */
  generatedFile?: string;
  /** Set when the key was read from the data dir's key file (sandbox mode). */
  fromFile?: string;
}

/**
 * The keys from the environment. Without BATON_MASTER_KEY: in sandbox mode the data dir's key file (created
 * on first use, 0600); otherwise none (sealing refuses).
 */
export function loadMasterKeys(env: NodeJS.ProcessEnv, opts: { sandbox: boolean; dataDir: string }): KeySource {
  const previous = env.BATON_MASTER_KEY_PREVIOUS ? parseMasterKey(env.BATON_MASTER_KEY_PREVIOUS, 'BATON_MASTER_KEY_PREVIOUS') : undefined;
  if (env.BATON_MASTER_KEY) return { current: parseMasterKey(env.BATON_MASTER_KEY, 'BATON_MASTER_KEY'), ...(previous ? { previous } : {}) };
  if (!opts.sandbox) return previous ? { previous } : {};
  const file = join(opts.dataDir, MASTER_KEY_FILE);
  if (existsSync(file)) return { current: parseMasterKey(readFileSync(file, 'utf8'), file), fromFile: file, ...(previous ? { previous } : {}) };
  mkdirSync(opts.dataDir, { recursive: true });
  const key = randomBytes(32);
  // wx: never overwrite a key another process wrote a moment ago (its values would no longer open).
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { current: parseMasterKey(readFileSync(file, 'utf8'), file), fromFile: file, ...(previous ? { previous } : {}) };
  }
  chmodSync(file, 0o600);
  return { current: { id: keyIdOf(key), key }, generatedFile: file, ...(previous ? { previous } : {}) };
}

export function createSecretBox(keys: { current?: MasterKey; previous?: MasterKey }): SecretBox {
  const byId = new Map<string, Buffer>();
  if (keys.previous) byId.set(keys.previous.id, keys.previous.key);
  if (keys.current) byId.set(keys.current.id, keys.current.key);
  const parts = (sealed: string): string[] => {
    const p = sealed.split('.');
    if (p.length !== 5 || p[0] !== PREFIX) throw new ConfigError('A stored secret is not in the sealed form Baton writes');
    return p;
  };
  return {
    currentKeyId: keys.current?.id,
    seal(plain, context) {
      if (!keys.current)
        throw new ConfigError(
          'BATON_MASTER_KEY is not set: Baton will not store tenant secrets without it (32 bytes, e.g. `openssl rand -base64 32`)',
        );
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [PREFIX, keys.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [, keyId, iv, tag, ct] = parts(sealed) as [string, string, string, string, string];
      const key = byId.get(keyId);
      if (!key)
        throw new ConfigError(
          `A stored secret was sealed with master key ${keyId}, which is neither BATON_MASTER_KEY nor BATON_MASTER_KEY_PREVIOUS`,
        );
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new ConfigError(`A stored secret sealed with master key ${keyId} does not open (tampered, or sealed for another tenant)`);
      }
    },
    isStale(sealed) {
      return parts(sealed)[1] !== keys.current?.id;
    },
  };
}
