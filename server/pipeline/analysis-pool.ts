/**
 * Analysis off the main thread: a piscina pool of worker threads, with a per-handoff time budget, so no
 * handoff can block the event loop (webhooks, /healthz, the sidebar) however hostile its text.
 *
 *   const pool = createAnalysisPool({ threads: 2, budgetMs: 2000 });
 *   const report = await pool.analyze(event, options);
 *
 * analyze() resolves with:
 *   - the full report, when the analysis finished within budgetMs of wall time in its worker;
 *   - a degraded report (analyzeDegraded: first/last messages, capped, heavy steps skipped) with
 *     `cuts.degraded = { reason: 'time_budget', skipped }` when the full analysis ran over budget (its worker
 *     thread is terminated), or `reason: 'analysis_failed'` when the full analysis threw or its worker died.
 * analyze() rejects with AnalysisFailedError only when the degraded analysis failed too:
 *   - `kind: 'timeout'`: the degraded analysis also ran over the budget;
 *   - `kind: 'crash'`: it threw, or its worker thread died (`cause` holds the error).
 * The caller (pipeline) counts a rejection as a failed analysis attempt. After close(), analyze() rejects
 * with AnalysisFailedError kind 'closed'.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { AnalysisOptions } from '../analysis/index.ts';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HandoffReport } from '../types/handoff-report.ts';
import type { AnalysisTask } from './analysis-task.ts';

export const DEFAULT_ANALYSIS_BUDGET_MS = 2_000;

export interface AnalysisPoolOptions {
  /** Worker threads (default 1). */
  threads?: number;
  /** Wall time one analysis may take in its worker before it is cut off (default 2 s). */
  budgetMs?: number;
  /**
   * Wall time the degraded analysis may take (default: the larger of budgetMs and 10 s). Its input is bounded
   * by construction (first and last messages, capped text), so this only catches a hang or a starved machine;
   * a tight full-analysis budget must not also doom the fallback, or a slow host would dead-letter handoffs.
   */
  degradedBudgetMs?: number;
  /** Worker entry module; tests pass a scripted one. Default: analysis-worker.mjs beside this file. */
  workerUrl?: URL;
}

export interface AnalysisPool {
  analyze(event: HandoffEvent, options?: AnalysisOptions): Promise<HandoffReport>;
  close(): Promise<void>;
}

export class AnalysisFailedError extends Error {
  constructor(
    readonly kind: 'timeout' | 'crash' | 'closed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AnalysisFailedError';
  }
}

/** Why one run ended without a report. */
type RunFailure = { kind: 'timeout' } | { kind: 'crash'; error: unknown };

export function createAnalysisPool(opts: AnalysisPoolOptions = {}): AnalysisPool {
  const threads = Math.max(1, opts.threads ?? 1);
  const budgetMs = opts.budgetMs ?? DEFAULT_ANALYSIS_BUDGET_MS;
  const degradedBudgetMs = opts.degradedBudgetMs ?? Math.max(budgetMs, 10_000);
  const piscina = new Piscina<AnalysisTask, HandoffReport>({
    filename: (opts.workerUrl ?? new URL('./analysis-worker.mjs', import.meta.url)).href,
    minThreads: threads,
    maxThreads: threads,
    // Queued tasks wait; only running ones are on the clock (see run()).
    maxQueue: 'auto',
  });
  let closed = false;

  /** One task in a worker; the budget starts when the worker says it started, not while queued. */
  async function run(task: AnalysisTask): Promise<HandoffReport | RunFailure> {
    const abort = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    port1.once('message', () => {
      timer = setTimeout(() => {
        timedOut = true;
        // piscina terminates the worker thread running an aborted task (a busy loop cannot be interrupted otherwise).
        abort.abort();
      }, task.mode === 'degraded' ? degradedBudgetMs : budgetMs);
    });
    try {
      return await piscina.run({ ...task, started: port2 }, { signal: abort.signal, transferList: [port2] });
    } catch (error) {
      return timedOut ? { kind: 'timeout' } : { kind: 'crash', error };
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }

  const isFailure = (r: HandoffReport | RunFailure): r is RunFailure => 'kind' in r && !('version' in r);

  return {
    async analyze(event, options) {
      if (closed) throw new AnalysisFailedError('closed', 'analysis pool is closed');
      const full = await run({ event, options, mode: 'full' });
      if (!isFailure(full)) return full;
      const reason = full.kind === 'timeout' ? 'time_budget' : 'analysis_failed';
      const degraded = await run({ event, options, mode: 'degraded', reason });
      if (!isFailure(degraded)) return degraded;
      const first = full.kind === 'timeout' ? `ran over its ${budgetMs} ms budget` : `failed (${String((full.error as Error)?.message ?? full.error)})`;
      if (degraded.kind === 'timeout') {
        throw new AnalysisFailedError('timeout', `analysis of ${event.id} ${first}, and its degraded form ran over its ${degradedBudgetMs} ms budget too`);
      }
      throw new AnalysisFailedError('crash', `analysis of ${event.id} ${first}, and its degraded form failed: ${String((degraded.error as Error)?.message ?? degraded.error)}`, {
        cause: degraded.error,
      });
    },
    async close() {
      closed = true;
      await piscina.destroy();
    },
  };
}
