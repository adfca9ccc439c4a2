/**
 * Which Postgres errors mean "the database cannot take writes now" (readiness fails, outcomes are kept for later)
 * rather than "this input is wrong". SQLSTATE classes from https://www.postgresql.org/docs/current/errcodes-appendix.html:
 * 08 connection exception, 53 insufficient resources (53100 disk full), 57P0x shutdown / cannot connect now,
 * 58 system error (I/O), 25006 read-only transaction (a standby or `default_transaction_read_only`), 25P03 our
 * session ended for idling in a transaction (this process was frozen), XX001/XX002
 * corrupted data or index. Node socket errors mean the server is unreachable.
 */
const SQLSTATE_FAULT = /^(08|53|58)[0-9A-Z]{3}$|^57P0[1-4]$|^25006$|^25P03$|^XX00[12]$/;
const SOCKET_FAULT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** node-postgres's own wording for a lost or unavailable connection (it sets no code on these). */
const DRIVER_FAULT = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end)/;

export function isPostgresStorageFault(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (SQLSTATE_FAULT.test(code) || SOCKET_FAULT.has(code))) return true;
  return DRIVER_FAULT.test(err.message);
}

/** Deadlock or serialization failure: the transaction may simply be run again. */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** A short description for logs and readiness: the SQLSTATE and message, never the connection string. */
export function describePgError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
