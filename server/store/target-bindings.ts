/**
 * Bindings of helpdesk objects to waiting handoffs (migration 6): a handoff stored with `target.awaitKey` and no
 * `target.id` waits until the helpdesk's webhook names the object created for it (e.g. Zendesk's "ticket
 * created" webhook for a messaging ticket). Either may come first: a binding made before the handoff arrives
 * waits for it. Each binding serves one handoff (`consumed_by`), so a conversation's later handoff waits for its
 * own ticket rather than reusing the last one.
 */
import type Database from 'better-sqlite3';

export interface BindInput {
  tenantId: string;
  helpdesk: string;
  refId: string;
  /** The key the handoff waits on (e.g. `conversation:<id>`). */
  awaitKey?: string;
  /** Or the handoff itself, when the object carries Baton's handoff id (relay mode fills that ticket field). */
  handoffId?: string;
}

export interface BindResult {
  /** False when neither the key nor the handoff id names anything Baton can bind (an unknown handoff id). */
  bound: boolean;
  /** Waiting jobs woken (their run_after set to now). */
  woken: number;
}

export interface TargetBindings {
  bind(input: BindInput, now: number): BindResult;
  /**
   * The object bound to this handoff's key, claimed for it: a binding already consumed by this handoff, else the
   * oldest free one made at or after `notBefore` (older ones belong to an earlier handoff of the conversation).
   */
  claim(tenantId: string, helpdesk: string, awaitKey: string, handoffId: string, notBefore: number): string | undefined;
}

export function createTargetBindings(db: Database.Database): TargetBindings {
  const q = {
    keyOf: db.prepare<[string, string], { k: string | null }>(
      "SELECT json_extract(event_json, '$.target.awaitKey') AS k FROM events WHERE handoff_id = ? AND tenant_id = ?",
    ),
    insert: db.prepare(
      'INSERT INTO target_bindings (tenant_id, helpdesk, await_key, ref_id, bound_at, consumed_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    wake: db.prepare(
      "UPDATE jobs SET run_after = ?, updated_at = ? WHERE state = 'queued' AND tenant_id = ? AND helpdesk = ? AND handoff_id IN (SELECT handoff_id FROM events WHERE tenant_id = ? AND json_extract(event_json, '$.target.awaitKey') = ?)",
    ),
    mine: db.prepare<[string, string, string, string], { ref_id: string }>(
      'SELECT ref_id FROM target_bindings WHERE tenant_id = ? AND helpdesk = ? AND await_key = ? AND consumed_by = ? LIMIT 1',
    ),
    free: db.prepare<[string, string, string, number], { ref_id: string }>(
      'SELECT ref_id FROM target_bindings WHERE tenant_id = ? AND helpdesk = ? AND await_key = ? AND consumed_by IS NULL AND bound_at >= ? ORDER BY bound_at, ref_id LIMIT 1',
    ),
    consume: db.prepare('UPDATE target_bindings SET consumed_by = ? WHERE tenant_id = ? AND helpdesk = ? AND await_key = ? AND ref_id = ? AND consumed_by IS NULL'),
  };

  const bind = db.transaction((input: BindInput, now: number): BindResult => {
    let key = input.awaitKey;
    let consumedBy: string | null = null;
    if (input.handoffId !== undefined) {
      const row = q.keyOf.get(input.handoffId, input.tenantId);
      if (row?.k) {
        key = row.k;
        // The object names this very handoff: it is its object, whatever else waits on the key.
        consumedBy = input.handoffId;
      }
    }
    if (key === undefined) return { bound: false, woken: 0 };
    q.insert.run(input.tenantId, input.helpdesk, key, input.refId, now, consumedBy);
    const woken = q.wake.run(now, now, input.tenantId, input.helpdesk, input.tenantId, key).changes;
    return { bound: true, woken };
  });

  const claim = db.transaction((tenantId: string, helpdesk: string, awaitKey: string, handoffId: string, notBefore: number): string | undefined => {
    const mine = q.mine.get(tenantId, helpdesk, awaitKey, handoffId);
    if (mine) return mine.ref_id;
    const free = q.free.get(tenantId, helpdesk, awaitKey, notBefore);
    if (!free) return undefined;
    q.consume.run(handoffId, tenantId, helpdesk, awaitKey, free.ref_id);
    return free.ref_id;
  });

  return {
    bind: (input, now) => bind.immediate(input, now),
    claim: (t, h, k, id, notBefore) => claim.immediate(t, h, k, id, notBefore),
  };
}
