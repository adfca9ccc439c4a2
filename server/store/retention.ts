/**
 * Retention: every hour, delete finished handoffs older than `retentionDays` (never a queued or running job;
 * see deletions.ts). The timer is unref'd, so it never keeps the process alive, and the clock is injected so
 * tests can move time instead of waiting.
 */
import type { Logger } from 'pino';
import type { Store } from './store.ts';
import type { DeletedCounts } from './deletions.ts';

export const DAY_MS = 86_400_000;
export const RETENTION_INTERVAL_MS = 3_600_000;

export interface RetentionSchedule {
  /** One purge now; returns what it deleted (also what the hourly timer calls). */
  runOnce(): Promise<DeletedCounts | undefined>;
  stop(): void;
}

export function startRetention(deps: {
  store: Pick<Store, 'purgeBefore'>;
  retentionDays: number;
  logger: Pick<Logger, 'info' | 'error'>;
  clock?: () => number;
  intervalMs?: number;
}): RetentionSchedule {
  const clock = deps.clock ?? Date.now;
  const runOnce = async (): Promise<DeletedCounts | undefined> => {
    const before = clock() - deps.retentionDays * DAY_MS;
    try {
      const deleted = await deps.store.purgeBefore(before);
      if (deleted.events || deleted.feedback) deps.logger.info({ deleted, before: new Date(before).toISOString() }, 'retention: old handoffs deleted');
      return deleted;
    } catch (err) {
      deps.logger.error({ err }, 'retention purge failed; will try again next hour');
      return undefined;
    }
  };
  const timer = setInterval(() => void runOnce(), deps.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();
  // Also soon after start-up, so a server restarted more often than hourly still purges.
  const first = setTimeout(() => void runOnce(), 5_000);
  first.unref();
  return {
    runOnce,
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
