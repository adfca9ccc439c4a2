/**
 * The outcome store, the report sync and the insights figures on Postgres (issue 11), against the same checks
 * as SQLite: a seeded data set recounted naively, events before the handoff row, duplicates, re-escalation,
 * erasure. Runs when BATON_DATABASE_URL is set (CI starts a throwaway cluster); skipped otherwise.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfPostgres, freshDatabase, type FreshDatabase } from '../../helpers/postgres.ts';
import { openPostgresStore, type PostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { outcomesFor } from '../../../server/outcomes/outcomes-service.ts';
import { generateInsightsSeed, writeInsightsSeed } from '../../../server/outcomes/seed-insights.ts';
import { quantiles } from '../../../server/outcomes/insights-range.ts';
import { sampleReport } from '../../fixtures/sample-report.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

describeIfPostgres('outcomes on Postgres', () => {
  let db: FreshDatabase;
  let store: PostgresStore;

  beforeAll(async () => {
    db = await freshDatabase('baton_outcomes');
    store = await openPostgresStore(db.url);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('insights on a seeded data set match a naive recount', async () => {
    const o = outcomesFor(store);
    const seed = generateInsightsSeed({ tenantId: 'pg', count: 500, from: '2026-11-01', days: 28, seed: 9 });
    await writeInsightsSeed(o.outcomes.sql, seed);
    const ins = await o.insights('pg', { from: '2026-11-02', to: '2026-11-22', groupBy: 'week' }, Date.now());
    const rows = seed.outcomes.filter((r) => r.acceptedAt >= Date.UTC(2026, 10, 2) && r.acceptedAt < Date.UTC(2026, 10, 23));
    const ids = new Set(rows.map((r) => r.handoffId));
    const fb = seed.feedback.filter((f) => ids.has(f.handoffId));
    expect(ins.totals).toEqual({
      handoffs: rows.length,
      replied: rows.filter((r) => r.firstHumanReplyAt !== null).length,
      solved: rows.filter((r) => r.solvedAt !== null).length,
      reopened: rows.filter((r) => r.reopenedCount > 0).length,
      repeatYourself: rows.filter((r) => r.repeatYourself === true).length,
      reEscalated: rows.filter((r) => r.reEscalationOf !== null).length,
      feedback: fb.length,
      feedbackAccurate: fb.filter((f) => f.accurate).length,
    });
    expect(ins.series.map((s) => s.bucket)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(ins.firstReply.overall).toEqual(quantiles(rows.filter((r) => r.firstHumanReplyAt !== null).map((r) => r.firstHumanReplyAt! - r.acceptedAt)));
    expect(ins.rejected.reduce((n, r) => n + r.count, 0)).toBe(rows.reduce((n, r) => n + r.rejected.length, 0));
    expect(await o.firstReplyStats({ tenantId: 'pg', sinceMs: Date.UTC(2026, 10, 2), priority: 'urgent' })).toEqual(
      quantiles(seed.outcomes.filter((r) => r.acceptedAt >= Date.UTC(2026, 10, 2) && r.priority === 'urgent' && r.firstHumanReplyAt !== null).map((r) => r.firstHumanReplyAt! - r.acceptedAt)),
    );
  });

  it('builds rows from delivered reports, applies earlier events once, links re-escalations, and forgets erased customers', async () => {
    const o = outcomesFor(store);
    const at = Date.parse('2026-11-20T10:41:00Z');
    const ev = { tenantId: 'acme', helpdesk: 'zendesk', refId: '35440', eventKey: 'comment:1', kind: 'agent_reply' as const, at };
    expect((await o.outcomes.recordEvent(ev, Date.now())).duplicate).toBe(false);
    expect((await o.outcomes.recordEvent(ev, Date.now())).duplicate).toBe(true);
    const deliver = async (id: string, ticket: string, receivedAt: string): Promise<string> => {
      const { handoffId } = await store.accept(testEvent('acme', id, { receivedAt, customer: { email: 'priya@example.com' } }));
      await store.complete({ handoffId, tenantId: 'acme', ref: { helpdesk: 'zendesk', id: ticket }, outcome: 'updated' }, sampleReport());
      return handoffId;
    };
    const a = await deliver('e1', '35440', '2026-11-20T10:35:00Z');
    const b = await deliver('e2', '35441', '2026-11-22T10:35:00Z');
    expect(await o.syncReports()).toBe(2);
    expect(await o.syncReports()).toBe(0);
    expect(await o.outcomes.get('acme', a)).toMatchObject({ acceptedAt: Date.parse('2026-11-20T10:35:00Z'), firstHumanReplyAt: at, reEscalationOf: null });
    expect((await o.outcomes.get('acme', b))?.reEscalationOf).toBe(a);
    await store.eraseCustomer('acme', { email: 'priya@example.com' });
    expect(await o.outcomes.get('acme', a)).toBeUndefined();
    expect(await o.outcomes.get('acme', b)).toBeUndefined();
  });
});
