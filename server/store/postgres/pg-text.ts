/**
 * Postgres TEXT cannot hold U+0000 (SQLite's can), and a webhook may carry one in an event id, a customer id or a
 * feedback comment: left alone it would fail a whole group commit with 22021, for every request in the batch.
 * An identifier (compared for equality: duplicates, erasure, bindings) holding U+0000 is stored marked and
 * escaped: U+0001, then the value with `\` → `\\` and U+0000 → `\0`. Values starting with U+0001 are stored
 * the same way, so the mapping stays one-to-one; every other value (all real ones) is stored as it is. Free text
 * (reasons, comments) has U+0000 replaced by U+FFFD. JSON columns need nothing: JSON.stringify writes U+0000 as
 * the six characters `\u0000`.
 */
const MARK = '\u0001';
const ESCAPED = /\\([\\0])/g;

/** An identifier as stored. */
export function idIn(value: string): string;
export function idIn(value: string | null): string | null;
export function idIn(value: string | null): string | null {
  if (value === null || (!value.includes('\u0000') && !value.startsWith(MARK))) return value;
  return MARK + value.replaceAll('\\', '\\\\').replaceAll('\u0000', '\\0');
}

/** The identifier as given to idIn. */
export function idOut(value: string): string;
export function idOut(value: string | null): string | null;
export function idOut(value: string | null): string | null {
  if (value === null || !value.startsWith(MARK)) return value;
  return value.slice(1).replace(ESCAPED, (_m, c: string) => (c === '0' ? '\u0000' : '\\'));
}

/** Free text as stored: U+0000 (which no reader needs) becomes U+FFFD. */
export function textIn(value: string): string;
export function textIn(value: string | null): string | null;
export function textIn(value: string | null): string | null {
  return value !== null && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}
