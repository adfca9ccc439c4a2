/**
 * Outcomes after the handoff (issue 11): one row per delivered handoff (handoff-facts.ts) plus every helpdesk
 * event about its object (first agent reply, customer messages, solved, reopened). Idempotent and
 * order-independent by construction: each write is one upsert, and the outcome figures are always recomputed
 * from ALL stored events of the object, so a duplicate changes nothing and an event that arrives before its
 * handoff row is applied when the row lands (both sides write first, then read: whichever reads second sees
 * the other's write). Tenant-isolated: every statement is keyed by tenant_id.
 */
import { redactText } from '../analysis/redaction.ts';
import { detectRepeat } from '../analysis/repeat-yourself.ts';
import type { Store } from '../store/store.ts';
import type { HandoffFacts } from './handoff-facts.ts';
import { reasonClusterKey } from './reason-cluster.ts';
import { num, numOrNull, postgresRunner, sqliteRunner, type SqlRunner } from './sql-runner.ts';

export const OUTCOME_EVENT_KINDS = ['agent_reply', 'customer_message', 'solved', 'reopened'] as const;
export type OutcomeEventKind = (typeof OUTCOME_EVENT_KINDS)[number];

export interface OutcomeEventInput {
  tenantId: string;
  helpdesk: string;
  refId: string;
  /** The helpdesk's own id for this event (comment id, webhook delivery id…): the same key twice is a duplicate. */
  eventKey: string;
  kind: OutcomeEventKind;
  /** When it happened at the helpdesk (ms). */
  at: number;
  /** The customer's message (customer_message only); redacted before it is stored. */
  text?: string;
}

export interface OutcomeRow {
  tenantId: string;
  handoffId: string;
  helpdesk: string;
  refId: string;
  acceptedAt: number;
  firstHumanReplyAt: number | null;
  solvedAt: number | null;
  reopenedCount: number;
  repeatYourself: boolean | null;
  repeatScore: number | null;
  repeatEvidence: string | null;
  reEscalationOf: string | null;
  reason: string;
  topic: string;
  priority: string;
  group: string;
}

/** A handoff row with its outcome columns given directly (seed-insights.ts), instead of derived from events. */
export interface SeededOutcome extends HandoffFacts {
  firstHumanReplyAt: number | null;
  solvedAt: number | null;
  reopenedCount: number;
  repeatYourself: boolean | null;
  repeatScore: number | null;
  reEscalationOf: string | null;
}

export interface OutcomeStore {
  readonly sql: SqlRunner;
  /** Records (or refreshes) a delivered handoff's row; applies events already stored for its object. */
  recordHandoff(facts: HandoffFacts): Promise<void>;
  /** Stores one helpdesk event (once) and recomputes the outcomes of the object's handoffs. */
  recordEvent(input: OutcomeEventInput, receivedAt: number): Promise<{ duplicate: boolean; handoffs: number }>;
  get(tenantId: string, handoffId: string): Promise<OutcomeRow | undefined>;
  /** Many rows at once with their outcomes already known (the seeded data set, benches); new rows only. */
  insertMany(rows: readonly SeededOutcome[]): Promise<void>;
}

const WEEK_MS = 7 * 86_400_000;
/** The first customer messages after the handoff that the repeat-yourself check reads. */
const REPEAT_WINDOW = 3;
const REDACT_ALL = { cardNumbers: true, cvv: true, passwords: true, nationalIds: true } as const;

/** The outcome store over the core store's own connection (SQLite) or pool (Postgres). */
export function outcomeStoreFor(store: Store): OutcomeStore {
  const s = store as Store & { connection?: unknown; pool?: unknown };
  if (store.kind === 'sqlite' && s.connection) return createOutcomeStore(sqliteRunner(s.connection as Parameters<typeof sqliteRunner>[0]));
  if (store.kind === 'postgres' && s.pool) return createOutcomeStore(postgresRunner(s.pool as Parameters<typeof postgresRunner>[0]));
  throw new Error(`outcomes: no SQL access to a ${store.kind} store`);
}

const INSERT_ROW = `INSERT INTO handoff_outcomes (tenant_id, handoff_id, helpdesk, ref_id, customer_key, accepted_at, day, reason, topic,
  bot, source, channel, priority, group_key, sentiment, reason_key, reason_text, customer_text)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, handoff_id) DO UPDATE SET helpdesk = excluded.helpdesk, ref_id = excluded.ref_id,
  customer_key = excluded.customer_key, accepted_at = excluded.accepted_at, day = excluded.day, reason = excluded.reason,
  topic = excluded.topic, bot = excluded.bot, source = excluded.source, channel = excluded.channel,
  priority = excluded.priority, group_key = excluded.group_key, sentiment = excluded.sentiment,
  reason_key = excluded.reason_key, reason_text = excluded.reason_text, customer_text = excluded.customer_text`;

const INSERT_REJECTION = `INSERT INTO outcome_rejections (tenant_id, handoff_id, seq, accepted_at, kind, text_key, text, url)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, handoff_id, seq) DO NOTHING`;

function rowParams(f: HandoffFacts): Array<string | number | null> {
  return [
    f.tenantId, f.handoffId, f.helpdesk, f.refId, f.customerKey, f.acceptedAt, Math.floor(f.acceptedAt / 86_400_000),
    f.reason, f.topic, f.bot, f.source, f.channel, f.priority, f.group, f.sentiment,
    reasonClusterKey(f.reason, f.reasonText), f.reasonText, f.customerText,
  ];
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** How rejected answers are grouped: the article's URL, else the words of the text. */
export function rejectionKey(r: { kind: string; text: string; url?: string }): string {
  if (r.url) return `${r.kind}|${r.url.trim().toLowerCase()}`;
  return `${r.kind}|${r.text.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200)}`;
}

export function createOutcomeStore(sql: SqlRunner): OutcomeStore {
  const insertRejections = async (f: HandoffFacts): Promise<void> => {
    let seq = 0;
    for (const r of f.rejected) {
      await sql.run(INSERT_REJECTION, [f.tenantId, f.handoffId, seq++, f.acceptedAt, r.kind, rejectionKey(r), tidy(r.text), r.url ?? null]);
    }
  };

  /** Recomputes first reply, solved, reopened and repeat-yourself for every handoff on one helpdesk object. */
  const recompute = async (tenantId: string, helpdesk: string, refId: string): Promise<number> => {
    const handoffs = await sql.all<{ handoff_id: string; accepted_at: unknown; customer_text: string }>(
      'SELECT handoff_id, accepted_at, customer_text FROM handoff_outcomes WHERE tenant_id = ? AND helpdesk = ? AND ref_id = ? ORDER BY accepted_at, handoff_id',
      [tenantId, helpdesk, refId],
    );
    if (handoffs.length === 0) return 0;
    const events = await sql.all<{ kind: string; at: unknown; text: string | null }>(
      'SELECT kind, at, text FROM outcome_events WHERE tenant_id = ? AND helpdesk = ? AND ref_id = ? ORDER BY at, event_key',
      [tenantId, helpdesk, refId],
    );
    for (let h = 0; h < handoffs.length; h++) {
      const row = handoffs[h]!;
      const from = num(row.accepted_at);
      // A later handoff on the same object owns the events after it.
      const until = h + 1 < handoffs.length ? num(handoffs[h + 1]!.accepted_at) : Infinity;
      let firstReply: number | null = null;
      let solved: number | null = null;
      let reopened = 0;
      const after: string[] = [];
      for (const e of events) {
        const at = num(e.at);
        if (at < from || at >= until) continue;
        if (e.kind === 'agent_reply' && firstReply === null) firstReply = at;
        else if (e.kind === 'solved') solved = at;
        else if (e.kind === 'reopened') reopened++;
        else if (e.kind === 'customer_message' && after.length < REPEAT_WINDOW && e.text) after.push(e.text);
      }
      const verdict = after.length ? detectRepeat(row.customer_text ? row.customer_text.split('\n') : [], after) : undefined;
      await sql.run(
        `UPDATE handoff_outcomes SET first_human_reply_at = ?, solved_at = ?, reopened_count = ?, repeat_yourself = ?,
         repeat_score = ?, repeat_evidence = ? WHERE tenant_id = ? AND handoff_id = ?`,
        [
          firstReply, solved, reopened,
          verdict ? (verdict.repeated ? 1 : 0) : null,
          verdict ? verdict.score : null,
          verdict?.evidence ? `${verdict.evidence.kind}: ${verdict.evidence.excerpt}` : null,
          tenantId, row.handoff_id,
        ],
      );
    }
    return handoffs.length;
  };

  /** Re-escalation: the customer's previous handoff within 7 days, for every handoff of theirs it can affect. */
  const relinkCustomer = async (tenantId: string, customerKey: string, at: number): Promise<void> => {
    await sql.run(
      `UPDATE handoff_outcomes SET re_escalation_of = (
         SELECT p.handoff_id FROM handoff_outcomes p
         WHERE p.tenant_id = handoff_outcomes.tenant_id AND p.customer_key = handoff_outcomes.customer_key
           AND p.accepted_at >= handoff_outcomes.accepted_at - ${WEEK_MS}
           AND (p.accepted_at < handoff_outcomes.accepted_at
                OR (p.accepted_at = handoff_outcomes.accepted_at AND p.handoff_id < handoff_outcomes.handoff_id))
         ORDER BY p.accepted_at DESC, p.handoff_id DESC LIMIT 1)
       WHERE tenant_id = ? AND customer_key = ? AND accepted_at >= ? AND accepted_at <= ?`,
      [tenantId, customerKey, at, at + WEEK_MS],
    );
  };

  return {
    sql,
    async recordHandoff(f) {
      await sql.run(INSERT_ROW, rowParams(f));
      await insertRejections(f);
      await recompute(f.tenantId, f.helpdesk, f.refId);
      if (f.customerKey) await relinkCustomer(f.tenantId, f.customerKey, f.acceptedAt);
    },
    async recordEvent(e, receivedAt) {
      const text = e.kind === 'customer_message' && e.text ? redactText(e.text, 'customer', REDACT_ALL, () => {}).slice(0, 2000) : null;
      const changed = await sql.run(
        `INSERT INTO outcome_events (tenant_id, helpdesk, event_key, ref_id, kind, at, received_at, text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, helpdesk, event_key) DO NOTHING`,
        [e.tenantId, e.helpdesk, e.eventKey, e.refId, e.kind, e.at, receivedAt, text],
      );
      if (changed === 0) return { duplicate: true, handoffs: 0 };
      return { duplicate: false, handoffs: await recompute(e.tenantId, e.helpdesk, e.refId) };
    },
    async get(tenantId, handoffId) {
      const [r] = await sql.all<Record<string, unknown>>('SELECT * FROM handoff_outcomes WHERE tenant_id = ? AND handoff_id = ?', [tenantId, handoffId]);
      if (!r) return undefined;
      const ry = numOrNull(r.repeat_yourself);
      return {
        tenantId: String(r.tenant_id),
        handoffId: String(r.handoff_id),
        helpdesk: String(r.helpdesk),
        refId: String(r.ref_id),
        acceptedAt: num(r.accepted_at),
        firstHumanReplyAt: numOrNull(r.first_human_reply_at),
        solvedAt: numOrNull(r.solved_at),
        reopenedCount: num(r.reopened_count),
        repeatYourself: ry === null ? null : ry === 1,
        repeatScore: numOrNull(r.repeat_score),
        repeatEvidence: (r.repeat_evidence as string | null) ?? null,
        reEscalationOf: (r.re_escalation_of as string | null) ?? null,
        reason: String(r.reason),
        topic: String(r.topic),
        priority: String(r.priority),
        group: String(r.group_key),
      };
    },
    async insertMany(rows) {
      // Multi-row VALUES in batches: one statement per 400 rows on either database.
      const BATCH = 400;
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        const params: Array<string | number | null> = [];
        for (const f of batch) {
          params.push(...rowParams(f), f.firstHumanReplyAt, f.solvedAt, f.reopenedCount,
            f.repeatYourself === null ? null : f.repeatYourself ? 1 : 0, f.repeatScore, f.reEscalationOf);
        }
        await sql.run(
          `INSERT INTO handoff_outcomes (tenant_id, handoff_id, helpdesk, ref_id, customer_key, accepted_at, day, reason, topic,
           bot, source, channel, priority, group_key, sentiment, reason_key, reason_text, customer_text,
           first_human_reply_at, solved_at, reopened_count, repeat_yourself, repeat_score, re_escalation_of) VALUES ` +
            batch.map(() => `(${Array(24).fill('?').join(', ')})`).join(', ') +
            ' ON CONFLICT (tenant_id, handoff_id) DO NOTHING',
          params,
        );
        const rej: Array<string | number | null> = [];
        let n = 0;
        for (const f of batch) {
          f.rejected.forEach((r, seq) => {
            rej.push(f.tenantId, f.handoffId, seq, f.acceptedAt, r.kind, rejectionKey(r), tidy(r.text), r.url ?? null);
            n++;
          });
        }
        if (n) {
          await sql.run(
            'INSERT INTO outcome_rejections (tenant_id, handoff_id, seq, accepted_at, kind, text_key, text, url) VALUES ' +
              Array(n).fill(`(${Array(8).fill('?').join(', ')})`).join(', ') +
              ' ON CONFLICT (tenant_id, handoff_id, seq) DO NOTHING',
            rej,
          );
        }
      }
    },
  };
}
