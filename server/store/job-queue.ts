/**
 * The job queue's claim side, for the SQLite store: fair claiming across accounts (a tenant at one helpdesk,
 * each with its own rate-limit budget), uncounted deferrals, and
 * the per-job analysis-try counter that is committed before analysis starts.
 */
import type Database from 'better-sqlite3';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { ClaimedJob, TenantBudget } from './store.ts';

/** What the analysis-try counter says until the analysis reports back: a death or freeze leaves this reason. */
export const ANALYSIS_INTERRUPTED = 'interrupted (the process died or froze during analysis)';

export interface JobQueue {
  claim(now: number, leaseMs: number, limit: number, budget?: TenantBudget): ClaimedJob[];
  defer(handoffId: string, runAfter: number, reason: string, mayHaveWritten: boolean): void;
  beginAnalysis(handoffId: string): number;
  endAnalysis(handoffId: string, failure?: string): void;
}

type ClaimRow = { attempts: number; tries: number; analysis_tries: number; analysis_error: string | null };

export function createJobQueue(db: Database.Database, clock: () => number): JobQueue {
  const q = {
    readyAccounts: db.prepare<[number], { tenant_id: string; helpdesk: string }>(
      "SELECT DISTINCT tenant_id, helpdesk FROM jobs WHERE state = 'queued' AND run_after <= ? ORDER BY tenant_id, helpdesk",
    ),
    readyOf: db.prepare<[string, string, number, number], { handoff_id: string }>(
      "SELECT handoff_id FROM jobs WHERE state = 'queued' AND tenant_id = ? AND helpdesk = ? AND run_after <= ? ORDER BY run_after, created_at LIMIT ?",
    ),
    claimOne: db.prepare<[number, number, string], ClaimRow>(
      "UPDATE jobs SET state = 'running', attempts = attempts + 1, tries = tries + 1, lease_until = ?, updated_at = ? WHERE handoff_id = ? AND state = 'queued' RETURNING attempts, tries, analysis_tries, analysis_error",
    ),
    eventJson: db.prepare<[string], { event_json: string }>('SELECT event_json FROM events WHERE handoff_id = ?'),
    // Not a failed attempt: the retry budget is given back; `tries` only when no request can have gone out.
    defer: db.prepare(
      "UPDATE jobs SET state = 'queued', run_after = ?, lease_until = NULL, last_error = ?, attempts = max(0, attempts - 1), tries = max(0, tries - ?), updated_at = ? WHERE handoff_id = ? AND state = 'running'",
    ),
    beginAnalysis: db.prepare<[string, number, string], { analysis_tries: number }>(
      'UPDATE jobs SET analysis_tries = analysis_tries + 1, analysis_error = ?, updated_at = ? WHERE handoff_id = ? RETURNING analysis_tries',
    ),
    analysisDone: db.prepare('UPDATE jobs SET analysis_tries = 0, analysis_error = NULL WHERE handoff_id = ?'),
    analysisFailed: db.prepare('UPDATE jobs SET analysis_error = ? WHERE handoff_id = ?'),
  };

  /** Round-robin start point: the account after the one served first last time, so one slot a round is still shared. */
  let lastFirst: string | undefined;

  const claim = db.transaction((now: number, leaseMs: number, limit: number, budget?: TenantBudget): ClaimedJob[] => {
    const allowance = (t: string, h: string): number =>
      budget === undefined ? limit : typeof budget === 'function' ? budget(t, h) : budget.has(t) || budget.has(`${h}:${t}`) ? 0 : limit;
    // Sorted by `<tenant>\u0000<helpdesk>`, the same order the query returns them in.
    const accounts = q.readyAccounts.all(now).map((r) => ({ tenant: r.tenant_id, helpdesk: r.helpdesk, key: `${r.tenant_id}\u0000${r.helpdesk}` }));
    const start = lastFirst === undefined ? 0 : accounts.findIndex((a) => a.key > lastFirst!);
    const rotated = start <= 0 ? accounts : [...accounts.slice(start), ...accounts.slice(0, start)];
    // Each account's oldest ready jobs, as many as its budget allows, then one from each in turn.
    const queues = rotated
      .map((a) => ({ ...a, ids: q.readyOf.all(a.tenant, a.helpdesk, now, Math.max(0, Math.min(limit, Math.floor(allowance(a.tenant, a.helpdesk))))).map((r) => r.handoff_id) }))
      .filter((x) => x.ids.length > 0);
    const out: ClaimedJob[] = [];
    for (let round = 0; out.length < limit && queues.some((x) => x.ids.length > round); round++) {
      for (const { tenant, key, ids } of queues) {
        const id = ids[round];
        if (id === undefined || out.length >= limit) continue;
        const claimed = q.claimOne.get(now + leaseMs, now, id);
        const ev = claimed && q.eventJson.get(id);
        if (!claimed || !ev) continue;
        if (out.length === 0) lastFirst = key;
        out.push({
          handoffId: id,
          tenantId: tenant,
          attempts: claimed.attempts,
          tries: claimed.tries,
          analysisTries: claimed.analysis_tries,
          analysisError: claimed.analysis_error,
          event: JSON.parse(ev.event_json) as HandoffEvent,
        });
      }
    }
    return out;
  });

  return {
    // IMMEDIATE: a read-then-write; under another writer it waits (busy_timeout) rather than fail SQLITE_BUSY.
    claim: (now, leaseMs, limit, budget) => claim.immediate(now, leaseMs, limit, budget),
    defer: (id, runAfter, reason, mayHaveWritten) => void q.defer.run(runAfter, reason, mayHaveWritten ? 0 : 1, clock(), id),
    beginAnalysis: (id) => q.beginAnalysis.get(ANALYSIS_INTERRUPTED, clock(), id)?.analysis_tries ?? 0,
    endAnalysis: (id, failure) => void (failure === undefined ? q.analysisDone.run(id) : q.analysisFailed.run(failure, id)),
  };
}
