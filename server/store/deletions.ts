/**
 * Deleting handoffs for good: retention (everything finished before a cut-off) and erasure (every handoff of
 * one customer of one tenant, for GDPR/CCPA requests). Each handoff goes with its job, report, delivery and
 * feedback. The connection runs with secure_delete, so freed pages are zeroed; the caller then truncates the
 * WAL so no old page image survives there either.
 */
import type Database from 'better-sqlite3';

export interface DeletedCounts {
  events: number;
  jobs: number;
  reports: number;
  deliveries: number;
  feedback: number;
}

export type CustomerSelector = { email: string } | { customerId: string };

/** Handoffs deleted per transaction, so a large first purge does not hold the writer lock for long. */
const CHUNK = 500;

export function emptyCounts(): DeletedCounts {
  return { events: 0, jobs: 0, reports: 0, deliveries: 0, feedback: 0 };
}

export function addCounts(a: DeletedCounts, b: DeletedCounts): DeletedCounts {
  return {
    events: a.events + b.events,
    jobs: a.jobs + b.jobs,
    reports: a.reports + b.reports,
    deliveries: a.deliveries + b.deliveries,
    feedback: a.feedback + b.feedback,
  };
}

/** The form erasure matches on, and the form stored at accept time: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createDeletions(db: Database.Database) {
  const del = {
    feedback: db.prepare('DELETE FROM feedback WHERE handoff_id = ?'),
    deliveries: db.prepare('DELETE FROM deliveries WHERE handoff_id = ?'),
    reports: db.prepare('DELETE FROM reports WHERE handoff_id = ?'),
    jobs: db.prepare('DELETE FROM jobs WHERE handoff_id = ?'),
    events: db.prepare('DELETE FROM events WHERE handoff_id = ?'),
    // Outcomes (issue 11): the handoff's row and rejected answers, and the helpdesk events about its object
    // (they hold the customer's redacted messages after the handoff).
    outcomeEvents: db.prepare(
      'DELETE FROM outcome_events WHERE (tenant_id, helpdesk, ref_id) IN (SELECT tenant_id, helpdesk, ref_id FROM handoff_outcomes WHERE handoff_id = ?)',
    ),
    outcomeRejections: db.prepare('DELETE FROM outcome_rejections WHERE handoff_id = ?'),
    outcomes: db.prepare('DELETE FROM handoff_outcomes WHERE handoff_id = ?'),
  };
  // Never a job that is still queued or running: it has not been delivered yet.
  const finishedBefore = db.prepare<[number, number], { handoff_id: string }>(
    "SELECT handoff_id FROM jobs WHERE created_at < ? AND state IN ('done','dead') LIMIT ?",
  );
  const oldFeedback = db.prepare('DELETE FROM feedback WHERE created_at < ?');
  // Helpdesk events about objects no handoff of Baton's is on (Intercom sends every conversation's): kept only
  // until the retention cutoff, long after any handoff they could belong to would have been stored.
  const strayOutcomeEvents = db.prepare(
    'DELETE FROM outcome_events WHERE received_at < ? AND NOT EXISTS (SELECT 1 FROM handoff_outcomes o WHERE o.tenant_id = outcome_events.tenant_id AND o.helpdesk = outcome_events.helpdesk AND o.ref_id = outcome_events.ref_id)',
  );
  const byEmail = db.prepare<[string, string], { handoff_id: string }>(
    'SELECT handoff_id FROM events WHERE tenant_id = ? AND customer_email = ?',
  );
  const byCustomerId = db.prepare<[string, string], { handoff_id: string }>(
    'SELECT handoff_id FROM events WHERE tenant_id = ? AND customer_id = ?',
  );

  const deleteHandoffs = db.transaction((ids: readonly string[]): DeletedCounts => {
    const c = emptyCounts();
    for (const id of ids) {
      // Children first: reports, deliveries and jobs reference events.
      del.outcomeEvents.run(id);
      del.outcomeRejections.run(id);
      del.outcomes.run(id);
      c.feedback += del.feedback.run(id).changes;
      c.deliveries += del.deliveries.run(id).changes;
      c.reports += del.reports.run(id).changes;
      c.jobs += del.jobs.run(id).changes;
      c.events += del.events.run(id).changes;
    }
    return c;
  });

  return {
    /** Deletes finished handoffs created before `cutoffMs` (and feedback older than it), one chunk at a time. */
    purgeBefore(cutoffMs: number): DeletedCounts {
      let total = emptyCounts();
      for (;;) {
        const ids = finishedBefore.all(cutoffMs, CHUNK).map((r) => r.handoff_id);
        if (!ids.length) break;
        total = addCounts(total, deleteHandoffs(ids));
        if (ids.length < CHUNK) break;
      }
      total.feedback += oldFeedback.run(cutoffMs).changes;
      strayOutcomeEvents.run(cutoffMs);
      return total;
    },
    /** Deletes every handoff of one customer of `tenantId`, whatever its state; returns what went. */
    eraseCustomer(tenantId: string, who: CustomerSelector): DeletedCounts {
      const rows = 'email' in who ? byEmail.all(tenantId, normalizeEmail(who.email)) : byCustomerId.all(tenantId, who.customerId);
      const ids = rows.map((r) => r.handoff_id);
      let total = emptyCounts();
      for (let i = 0; i < ids.length; i += CHUNK) total = addCounts(total, deleteHandoffs(ids.slice(i, i + CHUNK)));
      return total;
    },
  };
}
