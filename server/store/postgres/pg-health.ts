/**
 * Commit health for the Postgres store, as server/store/commit-guard.ts gives SQLite: a write that fails with a
 * storage fault (connection lost, disk full 53100, read-only 25006; see pg-errors.ts) marks the store failing
 * until a write or the probe (a real commit into `store_probe`) succeeds again, and a job outcome (complete /
 * release / kill) that hit one is kept in memory and recorded once a commit goes through.
 *
 * `commitHealth()` is synchronous (readiness asks it), while a Postgres commit is not: it answers from the last
 * outcome and starts a probe (one at a time) whose result the next call sees. The store awaits one probe at open.
 */
import type { CommitHealth } from '../commit-guard.ts';
import type { Store } from '../store.ts';
import { describePgError, isPostgresStorageFault } from './pg-errors.ts';

type Outcome = { kind: 'complete' | 'release' | 'kill'; record: () => Promise<void> };

/** Every other method that writes. */
const WRITES = [
  'accept', 'acceptMany', 'claim', 'renew', 'replay', 'releaseExpired', 'addFeedback', 'purgeBefore', 'eraseCustomer',
  'defer', 'beginAnalysis', 'endAnalysis', 'bindTarget', 'claimBoundTarget',
] as const;

export interface PgHealthOptions {
  probe: () => Promise<void>;
  clock: () => number;
  retryMs?: number;
}

export async function createPgHealth<S extends Omit<Store, 'commitHealth'>>(
  inner: S,
  opts: PgHealthOptions,
): Promise<S & { commitHealth(): CommitHealth; pendingOutcomes(): number }> {
  let failure: { reason: string; since: number } | undefined;
  const pending = new Map<string, Outcome>();
  let flushing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let probing: Promise<void> | undefined;
  let closed = false;

  const failed = (err: unknown): void => {
    if (!isPostgresStorageFault(err)) return;
    failure ??= { reason: describePgError(err), since: opts.clock() };
  };
  const succeeded = (): void => {
    failure = undefined;
    void flush();
  };
  const scheduleRetry = (): void => {
    if (timer || !pending.size || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, opts.retryMs ?? 1000);
    timer.unref();
  };
  const flush = (): Promise<void> => {
    if (flushing || !pending.size) return flushing ?? Promise.resolve();
    flushing = (async () => {
      try {
        for (const [id, o] of [...pending]) {
          try {
            await o.record();
            if (pending.get(id) === o) pending.delete(id);
          } catch (err) {
            // Still cannot commit: keep it. Any other error (e.g. the handoff was erased): nothing left to record.
            if (isPostgresStorageFault(err)) {
              failed(err);
              break;
            }
            if (pending.get(id) === o) pending.delete(id);
          }
        }
      } finally {
        flushing = undefined;
        scheduleRetry();
      }
    })();
    return flushing;
  };
  const tracked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      // Outcomes kept from a failed commit go first, so a job is not claimed again before its result is in.
      if (pending.size) await flush();
      let r: R;
      try {
        r = await fn(...args);
      } catch (err) {
        failed(err);
        throw err;
      }
      succeeded();
      return r;
    };
  const outcome = async (handoffId: string, kind: Outcome['kind'], record: () => Promise<void>): Promise<void> => {
    // A delivery that landed but could not be recorded outranks a later retry or kill of the same try.
    if (kind !== 'complete' && pending.get(handoffId)?.kind === 'complete') return;
    if (pending.size) await flush();
    try {
      await record();
    } catch (err) {
      failed(err);
      if (isPostgresStorageFault(err)) {
        pending.set(handoffId, { kind, record });
        scheduleRetry();
      }
      throw err;
    }
    pending.delete(handoffId);
    succeeded();
  };
  const runProbe = (): Promise<void> => {
    probing ??= opts
      .probe()
      .then(succeeded, (err: unknown) => {
        // Any probe failure means "cannot commit now", whatever its code (a probe has no bad input).
        failure ??= { reason: describePgError(err), since: opts.clock() };
      })
      .finally(() => {
        probing = undefined;
      });
    return probing;
  };

  const guarded = { ...inner } as S & { commitHealth(): CommitHealth; pendingOutcomes(): number };
  const methods = guarded as unknown as Record<string, unknown>;
  for (const name of WRITES) {
    const fn = methods[name];
    if (typeof fn === 'function') methods[name] = tracked(fn as (...a: unknown[]) => Promise<unknown>);
  }
  guarded.complete = (d, report, scrubbedEvent) => outcome(d.handoffId, 'complete', () => inner.complete(d, report, scrubbedEvent));
  guarded.release = (id, runAfter, error) => outcome(id, 'release', () => inner.release(id, runAfter, error));
  guarded.kill = (id, reason) => outcome(id, 'kill', () => inner.kill(id, reason));
  guarded.commitHealth = (): CommitHealth => {
    if (!closed) void runProbe();
    return failure ? { ok: false, code: 'store_cannot_commit', ...failure } : { ok: true };
  };
  guarded.pendingOutcomes = () => pending.size;
  guarded.close = async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    await probing;
    await flush().catch(() => {});
    if (timer) clearTimeout(timer);
    await inner.close();
  };
  await runProbe();
  return guarded;
}
