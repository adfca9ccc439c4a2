/**
 * The sandbox's log of API calls, for tests and the demo: bounded (a ring of the last CALL_LOG_MAX calls;
 * it used to keep every call and reached 1.5 GB after 30k handoffs) and free of credentials. Headers that
 * carry secrets are replaced by a marker; which credential was used stays checkable through a keyed
 * fingerprint (HMAC with a key that lives only in this process), never the secret itself.
 */
import { createHmac, randomBytes } from 'node:crypto';
/** What every recorded call has; the sandboxes add their own fields. */
interface LoggedCall {
  seq: number;
}

export const CALL_LOG_MAX = 1_000;
export const REDACTED = '[redacted]';

/** Request headers that carry credentials or session state. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token', 'x-csrf-token']);

export interface CallLog<C extends LoggedCall = LoggedCall> {
  /** Oldest first; at most `max` entries. */
  readonly calls: C[];
  /** Next 1-based sequence number (keeps counting when old calls fall out of the ring; clear() restarts it). */
  nextSeq(): number;
  record(call: C): void;
  /** Headers as logged: every secret-bearing header replaced by REDACTED. */
  safeHeaders(headers: Record<string, string>): Record<string, string>;
  /** Keyed, non-reversible fingerprint of an Authorization header, so tests can tell credentials apart. */
  fingerprint(authorization: string | undefined): string | undefined;
  clear(): void;
}

export function createCallLog<C extends LoggedCall = LoggedCall>(max = CALL_LOG_MAX): CallLog<C> {
  if (!Number.isInteger(max) || max < 1) throw new Error(`createCallLog: max must be a positive integer (got ${max})`);
  const calls: C[] = [];
  const key = randomBytes(32);
  let seq = 0;
  return {
    calls,
    nextSeq: () => ++seq,
    record(call) {
      calls.push(call);
      if (calls.length > max) calls.splice(0, calls.length - max);
    },
    safeHeaders(headers) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : v;
      return out;
    },
    fingerprint(authorization) {
      if (!authorization) return undefined;
      return `hmac:${createHmac('sha256', key).update(authorization.trim()).digest('hex').slice(0, 16)}`;
    },
    clear() {
      calls.length = 0;
      seq = 0;
    },
  };
}
