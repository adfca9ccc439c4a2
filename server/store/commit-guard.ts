/**
 * Whether the store can commit, and outcomes that could not be recorded when it could not.
 *
 * A full disk fails commits while reads (and `SELECT 1`) still work, so readiness cannot be a ping. Every
 * write that fails with a storage fault marks the store as failing until a write (or the readiness probe,
 * a real commit into a scratch table) succeeds again. A job outcome (complete / release / kill) that hit a
 * storage fault is kept in memory and recorded as soon as a commit goes through, so the job does not sit
 * in `running` until its lease runs out (120 s by default).
 */
import type { SyncStore } from './store.ts';

/** SQLite result codes that mean "the storage refused the write", not "this input is wrong". */
const STORAGE_FAULT = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

export function isStorageFault(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_FAULT.test(code);
}

export type CommitHealth = { ok: true } | { ok: false; code: 'store_cannot_commit'; reason: string; since: number };

type Outcome = { kind: 'complete' | 'release' | 'kill'; record: () => void };

/** Every other method that writes (those a store does not have are skipped). */
const WRITES: readonly string[] = [
  'accept', 'acceptMany', 'claim', 'renew', 'replay', 'releaseExpired', 'addFeedback', 'purgeBefore', 'eraseCustomer',
  'defer', 'beginAnalysis', 'endAnalysis',
];

export interface GuardOptions {
  /** A real commit into a scratch table; throws when the store cannot commit. */
  probe: () => void;
  clock: () => number;
  /** How soon to retry recording kept outcomes when nothing else commits (ms). */
  retryMs?: number;
}

export function guardCommits<S extends Omit<SyncStore, 'commitHealth'>>(inner: S, opts: GuardOptions): S & { commitHealth(): CommitHealth; pendingOutcomes(): number } {
  let failure: { reason: string; since: number } | undefined;
  const pending = new Map<string, Outcome>();
  let flushing = false;
  let timer: NodeJS.Timeout | undefined;

  const failed = (err: unknown): void => {
    if (!isStorageFault(err)) return;
    failure ??= { reason: `${(err as { code: string }).code}: ${(err as Error).message}`, since: opts.clock() };
  };
  const succeeded = (): void => {
    failure = undefined;
    flush();
  };
  const scheduleRetry = (): void => {
    if (timer || !pending.size) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush();
    }, opts.retryMs ?? 1000);
    timer.unref();
  };
  function flush(): void {
    if (flushing || !pending.size) return;
    flushing = true;
    try {
      for (const [id, o] of [...pending]) {
        try {
          o.record();
          pending.delete(id);
        } catch (err) {
          // Still cannot commit: keep it. Any other error (e.g. the handoff was erased): nothing left to record.
          if (isStorageFault(err)) {
            failed(err);
            break;
          }
          pending.delete(id);
        }
      }
    } finally {
      flushing = false;
      scheduleRetry();
    }
  }
  const tracked = <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      // Outcomes kept from a failed commit go first, so a job is not claimed again before its result is in.
      flush();
      let r: R;
      try {
        r = fn(...args);
      } catch (err) {
        failed(err);
        throw err;
      }
      succeeded();
      return r;
    };
  const outcome = (handoffId: string, kind: Outcome['kind'], record: () => void): void => {
    // A delivery that landed but could not be recorded outranks a later retry or kill of the same try.
    if (kind !== 'complete' && pending.get(handoffId)?.kind === 'complete') return;
    flush();
    try {
      record();
    } catch (err) {
      failed(err);
      if (isStorageFault(err)) {
        pending.set(handoffId, { kind, record });
        scheduleRetry();
      }
      throw err;
    }
    pending.delete(handoffId);
    succeeded();
  };

  const guarded = { ...inner } as S & { commitHealth(): CommitHealth; pendingOutcomes(): number };
  const methods = guarded as unknown as Record<string, unknown>;
  for (const name of WRITES) {
    const fn = methods[name];
    if (typeof fn === 'function') methods[name] = tracked(fn as (...a: unknown[]) => unknown);
  }
  guarded.complete = (d, report, scrubbedEvent) => outcome(d.handoffId, 'complete', () => inner.complete(d, report, scrubbedEvent));
  guarded.release = (id, runAfter, error) => outcome(id, 'release', () => inner.release(id, runAfter, error));
  guarded.kill = (id, reason) => outcome(id, 'kill', () => inner.kill(id, reason));
  guarded.commitHealth = (): CommitHealth => {
    try {
      opts.probe();
    } catch (err) {
      failure ??= { reason: err instanceof Error ? err.message : String(err), since: opts.clock() };
      return { ok: false, code: 'store_cannot_commit', ...failure };
    }
    succeeded();
    return { ok: true };
  };
  guarded.pendingOutcomes = () => pending.size;
  guarded.close = async () => {
    if (timer) clearTimeout(timer);
    flush();
    if (timer) clearTimeout(timer);
    await inner.close();
  };
  return guarded;
}
