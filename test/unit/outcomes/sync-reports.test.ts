/**
 * Outcome rows from stored reports (issue 11): a handoff accepted and completed through the real SQLite store
 * gets its outcome row (dimensions from the report, accepted time and customer from the event) before insights
 * read it; events that came first are applied; re-running adds nothing; another tenant's report stays its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../../server/store/store.ts';
import { outcomesFor } from '../../../server/outcomes/outcomes-service.ts';
import { customerKeyOf } from '../../../server/outcomes/handoff-facts.ts';
import { sampleReport } from '../../fixtures/sample-report.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-sync-'));
  store = openSqliteStore(join(dir, 'baton.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function deliver(tenantId: string, id: string, ticket: string, email: string, receivedAt: string): Promise<string> {
  const { handoffId } = await store.accept(testEvent(tenantId, id, { receivedAt, customer: { email } }));
  await store.complete({ handoffId, tenantId, ref: { helpdesk: 'zendesk', id: ticket }, outcome: 'updated' }, sampleReport());
  return handoffId;
}

describe('reportSync', () => {
  it('fills outcome rows from delivered reports, once, and applies earlier events', async () => {
    const o = outcomesFor(store);
    // The agent's reply arrives before Baton has even stored the report.
    await o.outcomes.recordEvent({ tenantId: 'acme', helpdesk: 'zendesk', refId: '35440', eventKey: 'comment:1', kind: 'agent_reply', at: Date.parse('2026-11-20T10:41:00Z') }, Date.now());
    const a = await deliver('acme', 'e1', '35440', 'Priya@Example.com ', '2026-11-20T10:35:00Z');
    const b = await deliver('acme', 'e2', '35441', 'priya@example.com', '2026-11-23T09:00:00Z');
    const c = await deliver('other', 'e1', '35440', 'priya@example.com', '2026-11-20T10:36:00Z');
    expect(await o.syncReports()).toBe(3);
    expect(await o.syncReports()).toBe(0);
    const report = sampleReport();
    const rowA = await o.outcomes.get('acme', a);
    expect(rowA).toMatchObject({
      helpdesk: 'zendesk', refId: '35440', acceptedAt: Date.parse('2026-11-20T10:35:00Z'), firstHumanReplyAt: Date.parse('2026-11-20T10:41:00Z'),
      reason: report.primaryTrigger, topic: report.topic.id, priority: report.priority.level,
    });
    // Same customer (email normalised) within 7 days: a re-escalation; the other tenant's handoff is not linked.
    expect((await o.outcomes.get('acme', b))?.reEscalationOf).toBe(a);
    expect((await o.outcomes.get('other', c))?.firstHumanReplyAt).toBeNull();
    expect(customerKeyOf('acme', { email: ' PRIYA@example.com' })).toBe(customerKeyOf('acme', { email: 'priya@example.com' }));
    expect(customerKeyOf('acme', { email: 'priya@example.com' })).not.toBe(customerKeyOf('other', { email: 'priya@example.com' }));
    // Insights run the sync themselves.
    await deliver('acme', 'e3', '35442', 'x@example.com', '2026-11-24T09:00:00Z');
    const ins = await o.insights('acme', { from: '2026-11-20', to: '2026-11-26', groupBy: 'day' }, Date.now() + 5000);
    expect(ins.totals.handoffs).toBe(3);
    expect(ins.totals.reEscalated).toBe(1);
    expect(ins.firstReply.overall).toEqual({ count: 1, p50Seconds: 360, p90Seconds: 360 });
  });
});

describe('erasure and purge', () => {
  it("delete a customer's outcome rows, rejected answers and the events about their tickets", async () => {
    const o = outcomesFor(store);
    const a = await deliver('acme', 'e1', '501', 'gone@example.com', '2026-11-20T10:35:00Z');
    const keep = await deliver('acme', 'e2', '502', 'stays@example.com', '2026-11-20T10:36:00Z');
    await o.outcomes.recordEvent({ tenantId: 'acme', helpdesk: 'zendesk', refId: '501', eventKey: 'comment:9', kind: 'customer_message', at: Date.parse('2026-11-20T10:50:00Z'), text: 'As I said, my order is late' }, Date.now());
    await o.outcomes.recordEvent({ tenantId: 'acme', helpdesk: 'zendesk', refId: '502', eventKey: 'comment:10', kind: 'agent_reply', at: Date.parse('2026-11-20T10:50:00Z') }, Date.now());
    await o.syncReports();
    expect((await o.outcomes.get('acme', a))?.repeatYourself).toBe(true);
    expect((store.connection.prepare('SELECT COUNT(*) AS n FROM outcome_rejections WHERE handoff_id = ?').get(a) as { n: number }).n).toBeGreaterThan(0);
    await store.eraseCustomer('acme', { email: 'gone@example.com' });
    expect(await o.outcomes.get('acme', a)).toBeUndefined();
    expect(store.connection.prepare("SELECT COUNT(*) AS n FROM outcome_events WHERE ref_id = '501'").get()).toEqual({ n: 0 });
    expect(store.connection.prepare('SELECT COUNT(*) AS n FROM outcome_rejections WHERE handoff_id = ?').get(a)).toEqual({ n: 0 });
    expect((await o.outcomes.get('acme', keep))?.firstHumanReplyAt).toBe(Date.parse('2026-11-20T10:50:00Z'));
    // A sync after the erasure does not bring the row back (its report is gone too).
    expect(await o.syncReports()).toBe(0);
    expect(await o.outcomes.get('acme', a)).toBeUndefined();
  });
});

describe('retention', () => {
  it('purges helpdesk events about objects no handoff is on, once older than the cutoff', async () => {
    const o = outcomesFor(store);
    const h = await deliver('acme', 'e1', '601', 'a@example.com', '2026-11-20T10:35:00Z');
    await o.syncReports();
    const ev = (ref: string, key: string, receivedAt: number) =>
      o.outcomes.recordEvent({ tenantId: 'acme', helpdesk: 'intercom', refId: ref, eventKey: key, kind: 'agent_reply', at: receivedAt }, receivedAt);
    await ev('999', 'old-stray', Date.parse('2026-01-01T00:00:00Z'));
    await ev('998', 'new-stray', Date.parse('2026-11-25T00:00:00Z'));
    await o.outcomes.recordEvent({ tenantId: 'acme', helpdesk: 'zendesk', refId: '601', eventKey: 'old-kept', kind: 'agent_reply', at: Date.parse('2026-11-20T10:40:00Z') }, Date.parse('2026-01-01T00:00:00Z'));
    await store.purgeBefore(Date.parse('2026-06-01T00:00:00Z'));
    const keys = (store.connection.prepare('SELECT event_key FROM outcome_events ORDER BY event_key').all() as Array<{ event_key: string }>).map((r) => r.event_key);
    expect(keys).toEqual(['new-stray', 'old-kept']);
    expect((await o.outcomes.get('acme', h))?.firstHumanReplyAt).toBe(Date.parse('2026-11-20T10:40:00Z'));
  });
});
