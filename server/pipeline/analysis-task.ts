/**
 * What one analysis worker thread runs (loaded by analysis-worker.mjs): the full analysis, or the degraded
 * one after a timeout or failure. Tells the pool on `started` when it begins, so the time budget counts
 * the analysis itself and not the wait in the pool's queue.
 */
import type { MessagePort } from 'node:worker_threads';
import { analyze, analyzeDegraded, type AnalysisOptions } from '../analysis/index.ts';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HandoffReport } from '../types/handoff-report.ts';

export interface AnalysisTask {
  event: HandoffEvent;
  options?: AnalysisOptions;
  mode: 'full' | 'degraded';
  /** Why the degraded form runs (its report says so). */
  reason?: 'time_budget' | 'analysis_failed';
  started?: MessagePort;
}

/**
 * Loads the models and warms the code on a tiny handoff when the thread starts, so a handoff's time budget
 * is not spent on the thread's cold start.
 */
export function warmUp(): void {
  const at = '2026-01-01T00:00:00Z';
  analyze({
    id: 'warmup:0',
    tenantId: 'warmup',
    source: 'generic',
    receivedAt: at,
    trigger: { kind: 'customer_request', nativeType: 'warmup' },
    conversation: { nativeId: 'warmup' },
    customer: {},
    messages: [
      { role: 'customer', text: 'I was charged twice for order #A1234, can I talk to a person?', at },
      { role: 'bot', text: 'Here is how to get a refund: https://help.example.com/refund', at },
    ],
    transcriptComplete: true,
    // Analysis never reads the target; a warm-up names no real helpdesk.
    target: { helpdesk: 'warmup' },
    raw: null,
  });
}

export default function runAnalysisTask(task: AnalysisTask): HandoffReport {
  task.started?.postMessage('started');
  task.started?.close();
  return task.mode === 'full' ? analyze(task.event, task.options) : analyzeDegraded(task.event, task.options, task.reason);
}
