/**
 * Idempotency-Key handling for ticket creation, as Zendesk documents it
 * (https://developer.zendesk.com/api-reference/ticketing/introduction/#idempotency):
 * - a create carrying `Idempotency-Key` is processed once; a retry with the same key and the same body gets
 *   the stored response again, with `x-idempotency-lookup: hit` (a first request gets `miss`);
 * - the same key with a different body is refused with 400 `IdempotentRequestError`;
 * - keys expire after two hours, after which the key is new again.
 * Only successful responses are stored, so a request refused for a bad body can be corrected and retried.
 */

export const IDEMPOTENCY_TTL_MS = 2 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  storedAt: number;
  response: StoredResponse;
}

export type IdempotencyLookup = { kind: 'miss' } | { kind: 'hit'; response: StoredResponse } | { kind: 'mismatch' };

export interface IdempotencyStore {
  lookup(key: string, fingerprint: string, now: number): IdempotencyLookup;
  store(key: string, fingerprint: string, response: StoredResponse, now: number): void;
  size(): number;
  clear(): void;
}

/** Key-order-independent JSON, so `{a,b}` and `{b,a}` count as the same request body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function createIdempotencyStore(ttlMs = IDEMPOTENCY_TTL_MS): IdempotencyStore {
  const entries = new Map<string, Entry>();

  function sweep(now: number): void {
    for (const [k, e] of entries) if (now - e.storedAt >= ttlMs) entries.delete(k);
  }

  return {
    lookup(key, fingerprint, now) {
      sweep(now);
      const entry = entries.get(key);
      if (!entry) return { kind: 'miss' };
      if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
      return { kind: 'hit', response: structuredClone(entry.response) };
    },
    store(key, fingerprint, response, now) {
      entries.set(key, { fingerprint, storedAt: now, response: structuredClone(response) });
    },
    size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
