/**
 * Fills the outcome rows from the stored reports (issue 11): every report without a `handoff_outcomes` row
 * gets one (handoff-facts.ts), in batches, oldest first. Run before insights and first-reply queries (one run
 * at a time; callers arriving during a run share it), so a report the worker stored a moment ago counts, a handoff delivered
 * before this feature existed is backfilled, and no write on the delivery path can be lost between the
 * report's commit and an outcome hook. Idempotent: a row that exists is skipped; recordHandoff is an upsert.
 * Reads the core tables `reports` (report JSON, helpdesk, ref) and `events` (received time, source, customer).
 */
import type { HandoffReport } from '../types/handoff-report.ts';
import { handoffFacts } from './handoff-facts.ts';
import type { OutcomeStore } from './outcome-store.ts';
import { num } from './sql-runner.ts';

const BATCH = 500;
/** Reports committed slightly out of created_at order (concurrent workers) are still seen. */
const SLACK_MS = 10 * 60_000;

interface Row {
  handoff_id: string;
  tenant_id: string;
  helpdesk: string;
  ref_id: string;
  report_json: string;
  created_at: unknown;
  received_at: unknown;
  source: string;
  customer_email: string | null;
  customer_id: string | null;
}

function timeOf(v: unknown, fallback: number): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  return fallback;
}

export interface ReportSync {
  /** Brings the outcome rows up to date; resolves with the rows added. */
  run(): Promise<number>;
}

export function reportSync(outcomes: OutcomeStore): ReportSync {
  let watermark = 0;
  let running: Promise<number> | undefined;

  const once = async (): Promise<number> => {
    let added = 0;
    for (;;) {
      const rows = await outcomes.sql.all<Row>(
        `SELECT r.handoff_id, r.tenant_id, r.helpdesk, r.ref_id, r.report_json, r.created_at,
                e.received_at, e.source, e.customer_email, e.customer_id
         FROM reports r JOIN events e ON e.handoff_id = r.handoff_id
         WHERE r.created_at >= ? AND r.helpdesk IS NOT NULL AND r.ref_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM handoff_outcomes o WHERE o.tenant_id = r.tenant_id AND o.handoff_id = r.handoff_id)
         ORDER BY r.created_at, r.handoff_id LIMIT ${BATCH}`,
        [Math.max(0, watermark - SLACK_MS)],
      );
      let batchAdded = 0;
      for (const r of rows) {
        watermark = Math.max(watermark, num(r.created_at));
        let report: HandoffReport;
        try {
          report = JSON.parse(r.report_json) as HandoffReport;
        } catch {
          continue;
        }
        if (!report?.topic || !report.sentiment || !Array.isArray(report.transcript)) continue;
        const createdAt = num(r.created_at);
        await outcomes.recordHandoff(
          handoffFacts(
            {
              tenantId: r.tenant_id,
              handoffId: r.handoff_id,
              helpdesk: r.helpdesk,
              refId: r.ref_id,
              acceptedAt: timeOf(r.received_at, createdAt),
              source: r.source,
              customer: { ...(r.customer_email ? { email: r.customer_email } : {}), ...(r.customer_id ? { id: r.customer_id } : {}) },
            },
            report,
          ),
        );
        added++;
        batchAdded++;
      }
      // A batch of nothing but unreadable reports would come back forever: stop.
      if (rows.length < BATCH || batchAdded === 0) return added;
    }
  };

  return {
    run() {
      if (running) return running;
      running = once().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
