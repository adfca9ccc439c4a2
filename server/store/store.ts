/**
 * The one module that speaks SQL. Embedded SQLite (better-sqlite3) in WAL mode with synchronous=NORMAL by
 * default: a committed transaction survives `kill -9` of the process but not a power loss of the host, unless
 * the store is opened with `durability: 'full'` (see README). Everything else in Baton talks to the Store
 * interface, so a Postgres store can follow.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HandoffReport } from '../types/handoff-report.ts';
import type { HelpdeskRef } from '../helpdesks/helpdesk-module.ts';
import { MIGRATIONS } from './schema.ts';
import { toJobRow, toStoredReport, type JobDbRow, type ReportDbRow } from './db-rows.ts';
import { startCheckpointer } from './checkpointer.ts';
import { createJobQueue } from './job-queue.ts';
import { createDeletions, normalizeEmail, type CustomerSelector, type DeletedCounts } from './deletions.ts';
import { guardCommits, type CommitHealth } from './commit-guard.ts';
import { createTargetBindings, type BindInput, type BindResult } from './target-bindings.ts';

export type { BindInput, BindResult };

export type JobState = 'queued' | 'running' | 'done' | 'dead';

export interface InboxResult {
  handoffId: string;
  duplicate: boolean;
}

export interface ClaimedJob {
  handoffId: string;
  tenantId: string;
  /** Tries since the job was queued or last replayed: the retry budget. */
  attempts: number;
  /** Every try ever, replays included: above 1, an earlier try may have landed. */
  tries: number;
  /** Analyses started and not finished (crashed, timed out, or cut short by a process death), before this claim. */
  analysisTries: number;
  /** Why the last of those analyses did not finish. */
  analysisError: string | null;
  event: HandoffEvent;
}

export interface JobRow {
  handoffId: string;
  tenantId: string;
  eventId: string;
  state: JobState;
  attempts: number;
  runAfter: number;
  lastError: string | null;
  updatedAt: number;
}

export interface StoredReport {
  handoffId: string;
  tenantId: string;
  /** The helpdesk object the briefing was written to (null only for rows from before it was known). */
  ref: HelpdeskRef | null;
  report: HandoffReport;
  createdAt: number;
}

export interface FeedbackInput {
  tenantId: string;
  ref: HelpdeskRef;
  handoffId: string;
  accurate: boolean;
  comment?: string;
  agentId?: string;
}

export interface DeliveryInput {
  handoffId: string;
  tenantId: string;
  /** Where the write landed (WriteResult.ref). */
  ref: HelpdeskRef;
  outcome: string;
}

/**
 * Accounts to skip (e.g. paused; a set of tenant ids or `<helpdesk>:<tenantId>` keys), or how many jobs each
 * account (a tenant at one helpdesk) may start now (0 skips it).
 */
export type TenantBudget = ReadonlySet<string> | ((tenantId: string, helpdesk: string) => number);

export type StoreDescription =
  | { kind: 'sqlite'; file: string; journalMode: string; synchronous: 'off' | 'normal' | 'full' | 'extra' }
  | { kind: 'postgres'; server: string; database: string; replicaId: string };

/**
 * Every method that touches data is asynchronous, so SQLite (synchronous underneath) and Postgres (a pool) serve
 * the same callers; test/contract/store-contract.ts is the suite every store must pass.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores the event and queues its job in one transaction; a known (tenant, event id) is a duplicate. */
  accept(event: HandoffEvent): Promise<InboxResult>;
  /**
   * The same for several events in ONE transaction (group commit): all are stored, or none. `serialized[i]`,
   * when given, is the caller's JSON.stringify(events[i]), so a value that cannot be serialized never joins a batch.
   */
  acceptMany(events: readonly HandoffEvent[], serialized?: readonly string[]): Promise<InboxResult[]>;
  /**
   * Claims up to `limit` ready jobs, round-robin across tenants (each tenant's oldest first, within its budget),
   * so one tenant's backlog cannot hold every slot; the lease makes a crashed claim reclaimable.
   */
  claim(now: number, leaseMs: number, limit: number, budget?: TenantBudget): Promise<ClaimedJob[]>;
  /** Hands a claimed job back without spending its retry budget (it waited for rate-limit budget, it did not fail). */
  defer(handoffId: string, runAfter: number, reason: string, mayHaveWritten: boolean): Promise<void>;
  /** Commits one more analysis try BEFORE analysis starts, so a death or freeze during it is counted; returns the count. */
  beginAnalysis(handoffId: string): Promise<number>;
  /** Analysis finished (the counter resets), or failed with a reason (the counter stays). */
  endAnalysis(handoffId: string, failure?: string): Promise<void>;
  /** Extends a running job's lease (long retries inside one attempt). */
  renew(handoffId: string, leaseUntil: number): Promise<void>;
  /** Puts a claimed job back in the queue, to run no earlier than `runAfter`. The claim still counts as an attempt. */
  release(handoffId: string, runAfter: number, error: string | null): Promise<void>;
  /**
   * Records the helpdesk write and keeps the report: one transaction, so a done job always has both.
   * `scrubbedEvent` replaces the stored event (the raw payload is no longer needed once delivered).
   */
  complete(delivery: DeliveryInput, report: HandoffReport, scrubbedEvent?: HandoffEvent): Promise<void>;
  /** Moves a job to the dead-letter state with the reason. */
  kill(handoffId: string, reason: string): Promise<void>;
  /** Re-queues a dead job; returns false when there is no such dead job. */
  replay(handoffId: string, now: number): Promise<boolean>;
  /**
   * Jobs whose lease ran out (a crashed or paused replica) go back to the queue. `all` also takes back every
   * running job this store may own: on SQLite (one process, by the data-directory lock) every running job; on
   * Postgres only the jobs leased by this replica, never another live replica's.
   */
  releaseExpired(now: number, all?: boolean): Promise<number>;
  listJobs(filter: { state?: JobState; tenantId?: string; limit?: number }): Promise<JobRow[]>;
  getJob(handoffId: string): Promise<JobRow | undefined>;
  /** The newest report written to this helpdesk object of this tenant; never another tenant's. */
  getReportFor(tenantId: string, ref: HelpdeskRef): Promise<StoredReport | undefined>;
  getReport(handoffId: string): Promise<StoredReport | undefined>;
  getEvent(handoffId: string): Promise<HandoffEvent | undefined>;
  addFeedback(input: FeedbackInput): Promise<number>;
  listFeedback(tenantId: string, ref: HelpdeskRef): Promise<Array<FeedbackInput & { id: number; createdAt: number }>>;
  /** How many jobs are in each state (the queue-depth metric). */
  jobCounts(): Promise<Record<JobState, number>>;
  /** Count and first/last delivery time (ms), for benchmarks and ops dashboards. */
  deliveryStats(): Promise<{ count: number; first: number | null; last: number | null }>;
  ping(): Promise<boolean>;
  /** Whether a commit goes through now (a real write into a scratch table); see commit-guard.ts. */
  commitHealth(): CommitHealth;
  /** Deletes finished (done/dead) handoffs created before `cutoffMs`, with their reports, deliveries, feedback. */
  purgeBefore(cutoffMs: number): Promise<DeletedCounts>;
  /** Deletes every handoff of one customer of one tenant (GDPR/CCPA erasure), whatever its state. */
  eraseCustomer(tenantId: string, who: CustomerSelector): Promise<DeletedCounts>;
  /**
   * A helpdesk object created for a waiting handoff (`target.awaitKey`): records it and wakes the jobs waiting on
   * that key (see target-bindings.ts). Either order of arrival works.
   */
  bindTarget(input: BindInput, now: number): Promise<BindResult>;
  /** The object bound to a waiting handoff's key, claimed for it (bindings older than `notBefore` are ignored). */
  claimBoundTarget(tenantId: string, helpdesk: string, awaitKey: string, handoffId: string, notBefore: number): Promise<string | undefined>;
  /** Which store this is and how it keeps data (logged at start-up): SQLite's journal/synchronous, Postgres's server. */
  describe(): Promise<StoreDescription>;
  /** Stops the checkpoint thread (its connection) before closing ours, so the WAL files are gone when it resolves. */
  close(): Promise<void>;
}

/** The synchronous shape of a Store, as better-sqlite3 serves it; wrapped by `asyncStore` for callers. */
export type SyncStore = {
  [K in Exclude<keyof Store, 'kind' | 'describe' | 'close' | 'commitHealth'>]: Store[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never;
} & { commitHealth(): CommitHealth; close(): Promise<void> };

export function newHandoffId(): string {
  return `ho_${randomUUID().replaceAll('-', '')}`;
}

export interface SqliteStoreOptions {
  /** `full` fsyncs the WAL on every commit (https://www.sqlite.org/pragma.html#pragma_synchronous). */
  durability?: 'normal' | 'full';
}

/**
 * The SQLite store; `connection` is for ops tooling and fault rehearsals (e.g. PRAGMA max_page_count in tests),
 * `sync` the same store without the promise wrapping (SQLite-only tests and tools).
 */
export type SqliteStore = Store & {
  readonly kind: 'sqlite';
  readonly connection: Database.Database;
  readonly sync: SyncStore & { pendingOutcomes(): number; durability(): SqliteDurability };
  pendingOutcomes(): number;
};

export interface SqliteDurability {
  journalMode: string;
  synchronous: 'off' | 'normal' | 'full' | 'extra';
}

/** Disk headroom the readiness probe asks the filesystem for (written next to the database, then removed). */
const PROBE_FILE_BYTES = 1 << 20;
/** How long a passed headroom check is trusted (the commit probe still runs on every /readyz). */
const DISK_PROBE_REUSE_MS = 5_000;

export function openSqliteStore(file: string, clock: () => number = Date.now, opts: SqliteStoreOptions = {}): SqliteStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(opts.durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed, so a scrubbed or purged row leaves no copy in the file.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  // Checkpoints run on a background thread (checkpointer.ts); this is only the backstop (~40 MB of WAL).
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file);
  db.pragma('wal_autocheckpoint = 10000');
  migrate(db);

  const q = {
    findEvent: db.prepare<[string, string], { handoff_id: string }>(
      'SELECT handoff_id FROM events WHERE tenant_id = ? AND event_id = ?',
    ),
    insertEvent: db.prepare(
      'INSERT INTO events (handoff_id, tenant_id, event_id, source, received_at, customer_email, customer_id, event_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertJob: db.prepare(
      "INSERT INTO jobs (handoff_id, tenant_id, helpdesk, state, attempts, run_after, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)",
    ),
    eventJson: db.prepare<[string], { event_json: string }>('SELECT event_json FROM events WHERE handoff_id = ?'),
    renew: db.prepare("UPDATE jobs SET lease_until = ?, updated_at = ? WHERE handoff_id = ? AND state = 'running'"),
    release: db.prepare(
      "UPDATE jobs SET state = 'queued', run_after = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE handoff_id = ? AND state = 'running'",
    ),
    done: db.prepare("UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = ? WHERE handoff_id = ?"),
    kill: db.prepare("UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = ?, updated_at = ? WHERE handoff_id = ?"),
    replay: db.prepare(
      "UPDATE jobs SET state = 'queued', attempts = 0, analysis_tries = 0, analysis_error = NULL, run_after = ?, last_error = NULL, updated_at = ? WHERE handoff_id = ? AND state = 'dead'",
    ),
    expired: db.prepare(
      "UPDATE jobs SET state = 'queued', lease_until = NULL, run_after = ?, updated_at = ? WHERE state = 'running' AND lease_until < ?",
    ),
    insertDelivery: db.prepare(
      'INSERT OR REPLACE INTO deliveries (handoff_id, tenant_id, helpdesk, ref_id, outcome, delivered_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertReport: db.prepare(
      'INSERT OR REPLACE INTO reports (handoff_id, tenant_id, helpdesk, ref_id, report_json, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    job: db.prepare<[string], JobDbRow>(
      'SELECT j.*, e.event_id FROM jobs j JOIN events e USING (handoff_id) WHERE j.handoff_id = ?',
    ),
    reportFor: db.prepare<[string, string, string], ReportDbRow>(
      'SELECT * FROM reports WHERE tenant_id = ? AND helpdesk = ? AND ref_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
    ),
    report: db.prepare<[string], ReportDbRow>(
      'SELECT * FROM reports WHERE handoff_id = ?',
    ),
    addFeedback: db.prepare(
      'INSERT INTO feedback (tenant_id, helpdesk, ref_id, handoff_id, accurate, comment, agent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    listFeedback: db.prepare<[string, string, string], { id: number; tenant_id: string; helpdesk: string; ref_id: string; handoff_id: string; accurate: number; comment: string | null; agent_id: string | null; created_at: number }>(
      'SELECT * FROM feedback WHERE tenant_id = ? AND helpdesk = ? AND ref_id = ? ORDER BY id',
    ),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
    scrubEvent: db.prepare('UPDATE events SET event_json = ? WHERE handoff_id = ?'),
    jobCounts: db.prepare<[], { state: JobState; n: number }>('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state'),
    deliveryStats: db.prepare<[], { count: number; first: number | null; last: number | null }>(
      'SELECT COUNT(*) AS count, MIN(delivered_at) AS first, MAX(delivered_at) AS last FROM deliveries',
    ),
  };

  const acceptOne = (event: HandoffEvent, json?: string): InboxResult => {
    const known = q.findEvent.get(event.tenantId, event.id);
    if (known) return { handoffId: known.handoff_id, duplicate: true };
    const handoffId = newHandoffId();
    const now = clock();
    q.insertEvent.run(handoffId, event.tenantId, event.id, event.source, event.receivedAt, customerEmail(event), customerId(event), json ?? JSON.stringify(event));
    q.insertJob.run(handoffId, event.tenantId, event.target.helpdesk, now, now, now);
    return { handoffId, duplicate: false };
  };
  const accept = db.transaction((event: HandoffEvent) => acceptOne(event));
  const acceptMany = db.transaction((events: readonly HandoffEvent[], serialized?: readonly string[]) =>
    events.map((e, i) => acceptOne(e, serialized?.[i])),
  );

  const jobQueue = createJobQueue(db, clock);
  const bindings = createTargetBindings(db);

  const complete = db.transaction((d: DeliveryInput, report: HandoffReport, scrubbedEvent?: HandoffEvent) => {
    // Erased while its write was in flight: nothing of it may come back.
    if (!jobExists.get(d.handoffId)) return;
    const now = clock();
    if (scrubbedEvent) q.scrubEvent.run(JSON.stringify(scrubbedEvent), d.handoffId);
    q.insertDelivery.run(d.handoffId, d.tenantId, d.ref.helpdesk, d.ref.id, d.outcome, now);
    q.insertReport.run(d.handoffId, d.tenantId, d.ref.helpdesk, d.ref.id, JSON.stringify(report), now);
    q.done.run(now, d.handoffId);
  });

  const jobExists = db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM jobs WHERE handoff_id = ?');
  const deletions = createDeletions(db);
  /** Empties the WAL file, so page images from before a scrub or deletion do not stay in it. */
  const truncateWal = (): void => {
    if (file === ':memory:') return;
    for (let i = 0; i < 5; i++) {
      const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (!r?.busy) return;
    }
  };
  // On this connection, between transactions: a TRUNCATE holds the write lock, and on the checkpoint thread
  // it made this connection's read-then-write transactions fail at once with SQLITE_BUSY (no busy handler
  // runs for a lock upgrade). After the thread's PASSIVE passes little is left to copy; at most once a second.
  let truncateTimer: NodeJS.Timeout | undefined;
  const scheduleTruncate = (): void => {
    if (truncateTimer || file === ':memory:') return;
    truncateTimer = setTimeout(() => {
      truncateTimer = undefined;
      try {
        truncateWal();
      } catch {
        /* busy or closing: the next scrub schedules another */
      }
    }, 1000);
    truncateTimer.unref();
  };
  const probeWrite = db.prepare('INSERT OR REPLACE INTO store_probe (id, at, pad) VALUES (1, ?, NULL)');
  const probeGrow = db.prepare('INSERT INTO store_probe (id, at, pad) VALUES (2, 0, zeroblob(?))');
  const ROLLED_BACK = new Error('probe rolled back');
  // Must allocate new pages (the free list cannot serve it), then rolls back to its savepoint.
  const growthCheck = db.transaction((bytes: number) => {
    probeGrow.run(bytes);
    throw ROLLED_BACK;
  });
  const probe = db.transaction((now: number) => {
    probeWrite.run(now);
    const free = db.pragma('freelist_count', { simple: true }) as number;
    // A large free list serves the next commits without growing the file: no need to check growth then.
    if (free < 256) {
      try {
        growthCheck((free + 4) * (db.pragma('page_size', { simple: true }) as number));
      } catch (err) {
        if (err !== ROLLED_BACK) throw err;
      }
    }
  });
  // /readyz is unauthenticated and may be polled hard: a passed headroom check holds for a few seconds, so a
  // flood of probes cannot turn into a flood of 1 MB writes (a failed one is re-checked every time).
  let diskOkAt = -Infinity;
  const probeDisk = (): void => {
    if (file === ':memory:' || clock() - diskOkAt < DISK_PROBE_REUSE_MS) return;
    const scratch = `${file}-probe`;
    try {
      writeFileSync(scratch, Buffer.alloc(PROBE_FILE_BYTES));
      diskOkAt = clock();
    } finally {
      try {
        unlinkSync(scratch);
      } catch {
        /* never created */
      }
    }
  };

  const store: Omit<SyncStore, 'commitHealth'> & { durability(): SqliteDurability } = {
    // IMMEDIATE: these read before they write, and a deferred transaction's upgrade to a writer gets no busy
    // handler, so another process writing at that moment (a `baton erase`, a WAL truncation) failed it at once.
    accept: (event) => accept.immediate(event),
    acceptMany: (events, serialized) => acceptMany.immediate(events, serialized),
    claim: jobQueue.claim,
    defer: jobQueue.defer,
    beginAnalysis: jobQueue.beginAnalysis,
    endAnalysis: jobQueue.endAnalysis,
    renew: (id, leaseUntil) => void q.renew.run(leaseUntil, clock(), id),
    release: (id, runAfter, error) => void q.release.run(runAfter, error, clock(), id),
    complete: (d, report, scrubbedEvent) => {
      complete.immediate(d, report, scrubbedEvent);
      // The scrub rewrote the event's pages; the WAL keeps the old images until it is emptied, within a second.
      if (scrubbedEvent) scheduleTruncate();
    },
    kill: (id, reason) => void q.kill.run(reason, clock(), id),
    replay: (id, now) => q.replay.run(now, now, id).changes === 1,
    releaseExpired: (now, all = false) => q.expired.run(now, now, all ? Number.MAX_SAFE_INTEGER : now).changes,
    listJobs: ({ state, tenantId, limit = 100 }) => {
      const where: string[] = [];
      const args: Array<string | number> = [];
      if (state) {
        where.push('j.state = ?');
        args.push(state);
      }
      if (tenantId) {
        where.push('j.tenant_id = ?');
        args.push(tenantId);
      }
      const sql = `SELECT j.*, e.event_id FROM jobs j JOIN events e USING (handoff_id) ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.updated_at DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, limit) as JobDbRow[]).map((r) => toJobRow(r));
    },
    getJob: (id) => {
      const r = q.job.get(id);
      return r ? toJobRow(r) : undefined;
    },
    getReportFor: (tenantId, ref) => {
      const r = q.reportFor.get(tenantId, ref.helpdesk, ref.id);
      return r ? toStoredReport(r) : undefined;
    },
    getEvent: (id) => {
      const r = q.eventJson.get(id);
      return r ? (JSON.parse(r.event_json) as HandoffEvent) : undefined;
    },
    getReport: (id) => {
      const r = q.report.get(id);
      return r ? toStoredReport(r) : undefined;
    },
    addFeedback: (f) =>
      Number(
        q.addFeedback.run(f.tenantId, f.ref.helpdesk, f.ref.id, f.handoffId, f.accurate ? 1 : 0, f.comment ?? null, f.agentId ?? null, clock())
          .lastInsertRowid,
      ),
    listFeedback: (tenantId, ref) =>
      q.listFeedback.all(tenantId, ref.helpdesk, ref.id).map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        ref: { helpdesk: r.helpdesk, id: r.ref_id },
        handoffId: r.handoff_id,
        accurate: r.accurate === 1,
        ...(r.comment !== null ? { comment: r.comment } : {}),
        ...(r.agent_id !== null ? { agentId: r.agent_id } : {}),
        createdAt: r.created_at,
      })),
    deliveryStats: () => q.deliveryStats.get() ?? { count: 0, first: null, last: null },
    jobCounts: () => {
      const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, dead: 0 };
      for (const r of q.jobCounts.all()) counts[r.state] = r.n;
      return counts;
    },
    bindTarget: bindings.bind,
    claimBoundTarget: bindings.claim,
    ping: () => q.ping.get()?.ok === 1,
    durability: () => ({
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      synchronous: (['off', 'normal', 'full', 'extra'] as const)[db.pragma('synchronous', { simple: true }) as number] ?? 'normal',
    }),
    purgeBefore: (cutoffMs) => {
      const counts = deletions.purgeBefore(cutoffMs);
      if (counts.events || counts.feedback) truncateWal();
      return counts;
    },
    eraseCustomer: (tenantId, who) => {
      const counts = deletions.eraseCustomer(tenantId, who);
      truncateWal();
      return counts;
    },
    close: async () => {
      clearTimeout(truncateTimer);
      await checkpointer?.stop();
      // The last connection to close checkpoints and deletes the WAL.
      db.close();
    },
  };
  const guarded = guardCommits(store, {
    probe: () => {
      probe(clock());
      probeDisk();
    },
    clock,
  });
  return {
    ...asyncStore(guarded, async () => ({ kind: 'sqlite', file, ...guarded.durability() })),
    kind: 'sqlite',
    connection: db,
    sync: guarded,
    pendingOutcomes: guarded.pendingOutcomes,
  };
}

/** Every data method of a synchronous store as a promise (a throw becomes a rejection), for the Store callers. */
export function asyncStore(core: SyncStore, describe: () => Promise<StoreDescription>): Store {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(core)) {
    if (typeof fn !== 'function') continue;
    out[name] =
      name === 'commitHealth' || name === 'close'
        ? fn
        : (...args: unknown[]) => {
            try {
              return Promise.resolve((fn as (...a: unknown[]) => unknown)(...args));
            } catch (err) {
              return Promise.reject(err);
            }
          };
  }
  return { ...(out as unknown as Omit<Store, 'kind' | 'describe'>), kind: 'sqlite', describe };
}

function customerEmail(event: HandoffEvent): string | null {
  return typeof event.customer?.email === 'string' ? normalizeEmail(event.customer.email) : null;
}

function customerId(event: HandoffEvent): string | null {
  const id: unknown = event.customer?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
