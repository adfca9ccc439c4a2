/**
 * Migration 5: a store written before helpdesk references were strings (reports, deliveries and feedback keyed
 * by `ticket_id INTEGER`) opens with every row as a Zendesk ref whose id is the ticket id as text, still found by
 * the sidebar's lookup; queued jobs keep their helpdesk for per-account claims.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../../../server/store/schema.ts';
import { openSqliteStore } from '../../../server/store/store.ts';
import { testEvent } from '../../helpers/handoff-event.ts';

/** A database as release 4 left it: migrations 1–4 only, rows written the old way. */
function version4Store(file: string): void {
  const db = new Database(file);
  for (let v = 0; v < 4; v++) db.exec(MIGRATIONS[v] as string);
  db.pragma('user_version = 4');
  const insertEvent = db.prepare('INSERT INTO events (handoff_id, tenant_id, event_id, source, received_at, event_json) VALUES (?, ?, ?, ?, ?, ?)');
  const legacyTarget = (ticketId?: number) => (ticketId === undefined ? { helpdesk: 'zendesk' } : { helpdesk: 'zendesk', ticketId });
  insertEvent.run('ho_done', 'acme', 'generic:e1', 'generic', '2026-11-20T10:00:00Z', JSON.stringify({ ...testEvent('acme', 'e1'), target: legacyTarget(35436) }));
  insertEvent.run('ho_queued', 'acme', 'generic:e2', 'generic', '2026-11-20T10:00:00Z', JSON.stringify({ ...testEvent('acme', 'e2'), target: legacyTarget() }));
  db.prepare("INSERT INTO jobs (handoff_id, tenant_id, state, attempts, run_after, created_at, updated_at) VALUES ('ho_done', 'acme', 'done', 1, 0, 1, 1)").run();
  db.prepare("INSERT INTO jobs (handoff_id, tenant_id, state, attempts, run_after, created_at, updated_at) VALUES ('ho_queued', 'acme', 'queued', 0, 0, 2, 2)").run();
  db.prepare("INSERT INTO reports (handoff_id, tenant_id, ticket_id, report_json, created_at) VALUES ('ho_done', 'acme', 35436, '{\"summary\":{\"text\":\"S\"}}', 5)").run();
  db.prepare("INSERT INTO deliveries (handoff_id, tenant_id, helpdesk, ticket_id, outcome, delivered_at) VALUES ('ho_done', 'acme', 'zendesk', 35436, 'updated', 5)").run();
  db.prepare("INSERT INTO feedback (tenant_id, ticket_id, handoff_id, accurate, comment, agent_id, created_at) VALUES ('acme', 35436, 'ho_done', 1, 'spot on', '42', 6)").run();
  db.close();
}

describe('store migration 5: references as strings', () => {
  it('turns every ticket id into a zendesk ref, keeps the lookups working and indexed, and tags jobs with their helpdesk', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-mig5-')), 'baton.sqlite');
    version4Store(file);
    const store = openSqliteStore(file, () => 10_000);
    expect(store.connection.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const ref = { helpdesk: 'zendesk', id: '35436' };
    expect(await store.getReportFor('acme', ref)).toMatchObject({ handoffId: 'ho_done', ref, report: { summary: { text: 'S' } } });
    expect((await store.getReport('ho_done'))?.ref).toEqual(ref);
    expect(await store.getReportFor('globex', ref)).toBeUndefined();
    expect(await store.getReportFor('acme', { helpdesk: 'intercom', id: '35436' })).toBeUndefined();
    expect(await store.listFeedback('acme', ref)).toEqual([{ id: 1, tenantId: 'acme', ref, handoffId: 'ho_done', accurate: true, comment: 'spot on', agentId: '42', createdAt: 6 }]);
    expect(store.connection.prepare('SELECT helpdesk, ref_id FROM deliveries').all()).toEqual([{ helpdesk: 'zendesk', ref_id: '35436' }]);
    // The sidebar's lookup uses an index, not a scan of every report.
    const plan = store.connection.prepare('EXPLAIN QUERY PLAN SELECT * FROM reports WHERE tenant_id = ? AND helpdesk = ? AND ref_id = ? ORDER BY created_at DESC').all('a', 'b', 'c');
    expect(JSON.stringify(plan)).toContain('reports_ref');
    // The old column is gone, so nothing can write a number there again.
    expect(store.connection.prepare("SELECT name FROM pragma_table_info('reports')").all()).not.toContainEqual({ name: 'ticket_id' });
    // The queued job is claimable, budgeted as a zendesk account.
    const seen: Array<[string, string]> = [];
    const claimed = await store.claim(10_000, 5000, 5, (tenantId, helpdesk) => (seen.push([tenantId, helpdesk]), 1));
    expect(claimed.map((j) => j.handoffId)).toEqual(['ho_queued']);
    expect(seen).toEqual([['acme', 'zendesk']]);
    await store.close();
  });

  it('new rows carry any helpdesk and a string id', async () => {
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'baton-mig5-')), 'baton.sqlite'), () => 20_000);
    const { handoffId } = await store.accept(testEvent('globex', 'i1', { target: { helpdesk: 'intercom', id: '215468352873095' } }));
    expect(await store.claim(20_000, 5000, 1, new Set(['intercom:globex']))).toEqual([]);
    expect(await store.claim(20_000, 5000, 1, new Set(['zendesk:globex']))).toHaveLength(1);
    const ref = { helpdesk: 'intercom', id: '215468352873095' };
    await store.complete({ handoffId, tenantId: 'globex', ref, outcome: 'updated' }, { summary: { text: 'I' } } as never);
    expect((await store.getReportFor('globex', ref))?.handoffId).toBe(handoffId);
    await store.addFeedback({ tenantId: 'globex', ref, handoffId, accurate: false });
    expect(await store.listFeedback('globex', ref)).toMatchObject([{ ref, accurate: false }]);
    await store.close();
  });
});
