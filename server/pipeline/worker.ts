/**
 * Claims queued handoffs, analyses them, writes the briefing to the helpdesk and records the outcome.
 * Jobs are leased: if the process dies mid-job, the lease runs out (or start-up releases it) and the job runs
 * again; the writer then checks whether the earlier try landed, so nothing is lost and nothing is written twice.
 */
import type { Logger } from 'pino';
import type { Config, TenantConfig } from '../config.ts';
import type { ClaimedJob, Store } from '../store/store.ts';
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { HandoffReport } from '../types/handoff-report.ts';
import type { AnalysisOptions } from '../analysis/options.ts';
import { DEFAULT_ANALYSIS_OPTIONS } from '../analysis/options.ts';
import { redactEvent } from '../analysis/redact-event.ts';
import { classifyCommonFailure, retryDelayMs } from './retry-policy.ts';
import { accountKey, RateLimitDeferral, withMaxWait, type RateBudget } from './rate-limiter.ts';
import type { BatonMetrics } from '../metrics/metrics.ts';
import type { HandoffWriter, HelpdeskModule, Verdict, WriteInput } from '../helpdesks/helpdesk-module.ts';
import { helpdeskModule } from '../helpdesks/registry.ts';
import { createContextFor, type ContextFor } from './helpdesk-context.ts';

export type { HandoffWriter, WriteInput };

/** Analyses that crash, time out or die with the process before a job is dead-lettered. */
export const MAX_ANALYSIS_TRIES = 3;
/** Rate-limit slots one write needs when the job's helpdesk module is unknown (it is then dead-lettered anyway). */
export const DEFAULT_REQUESTS_PER_WRITE = 2;

/** Fills in a transcript the bot platform's webhook did not carry (event.transcriptComplete === false). */
export type CompleteTranscript = (event: HandoffEvent, tenant: TenantConfig) => Promise<HandoffEvent>;

/**
 * The bot platform's own step once the report exists, before the helpdesk write (Sunshine relay mode passes
 * control to the agent workspace with the report's metadata). Must be idempotent: a retried job runs it again.
 */
export type AfterAnalysis = (event: HandoffEvent, report: HandoffReport, tenant: TenantConfig, handoffId: string) => Promise<void>;

/** A waiting handoff (target.awaitKey) looks for its object again at least this often, even without a wake-up. */
export const AWAIT_RECHECK_MS = 60_000;
/** A binding made up to this long before the handoff arrived still counts (the two webhooks race). */
export const AWAIT_BINDING_SLACK_MS = 10 * 60_000;

export interface WorkerDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  /** Keyed by account (`<helpdesk>:<tenantId>`, rate-limiter.ts accountKey). */
  limiter: RateBudget;
  /** Prometheus figures (server/metrics); default: none. */
  metrics?: BatonMetrics;
  /** Helpdesk modules by name; default: the registry (helpdesks/registry.ts). */
  modules?: (name: string) => HelpdeskModule | undefined;
  /** Test seam: the writer for a tenant's helpdesk, instead of the module's createWriter. */
  writerFor?: (tenant: TenantConfig, helpdesk: string) => HandoffWriter | undefined;
  /** Transcript-fetch stage, before analysis; default: the event unchanged. */
  completeTranscript?: CompleteTranscript;
  /** The bot platform's step after analysis (e.g. Sunshine relay's passControl); default: none. */
  afterAnalysis?: AfterAnalysis;
  /** Per-account contexts (shared with the transcript fetch); default: built from the limiter and config. */
  contextFor?: ContextFor;
  /** In-thread, or a worker pool (may reject when its worker crashes or the budget is spent). */
  analyze: (event: HandoffEvent, options: AnalysisOptions) => HandoffReport | Promise<HandoffReport>;
  clock?: () => number;
  random?: () => number;
  /**
   * Whether a tenant's helpdesk still accepts Baton's credentials (the tenant registry, issue 13): a disconnected
   * helpdesk's jobs wait (deferred, not dead-lettered) until re-connected; a 401 verdict marks it disconnected.
   */
  connections?: {
    isDisconnected(tenantId: string, helpdesk: string): boolean;
    markDisconnected(tenantId: string, helpdesk: string, reason: string): Promise<void>;
  };
  /** Each write's outcome, for alerts (server/alerts: dead letters, sustained failures). */
  onOutcome?(o: { tenantId: string; helpdesk: string; handoffId: string; kind: 'delivered' | 'retry' | 'dead'; reason?: string }): void;
}

/** How often a job of a disconnected helpdesk looks again (a re-connect also wakes the worker). */
export const DISCONNECTED_RECHECK_MS = 60_000;

/**
 * Once delivered, the stored event keeps only the redacted transcript, every other free-text field redacted
 * (name, reason, intent, articles, attributes…; identifiers stay, see analysis/redact-event.ts) and no raw
 * payload, so card numbers and passwords do not stay at rest. Every redaction kind applies here whatever the
 * tenant's toggles: nothing at rest needs them. Until delivery (queued, retrying, dead-lettered) the original
 * is kept so it can be analysed and re-played.
 */
export function scrubbed(event: HandoffEvent, report: HandoffReport): HandoffEvent {
  const { event: redacted } = redactEvent(event, DEFAULT_ANALYSIS_OPTIONS.redaction);
  return {
    ...redacted,
    messages: redacted.messages.map((m, i) => ({ ...m, text: report.transcript[i]?.text ?? '[removed]' })),
    raw: null,
  };
}

function prefixed(v: Verdict, prefix: string): Verdict {
  return { ...v, reason: `${prefix}${v.reason}` };
}

export class Worker {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** In-flight jobs per account: they will spend rate-limit budget the limiter has not seen yet. */
  private readonly inFlightByAccount = new Map<string, number>();
  /** One writer per account, made by its module with that account's HelpdeskContext. */
  /** Per account, with the section it was built from: a changed section (re-connect, new token) builds a new one. */
  private readonly writers = new Map<string, { section: unknown; writer: HandoffWriter }>();
  /**
   * Jobs handed back mid-write to wait for budget: their next write waits in place instead, so a write that
   * needs more requests than one window leaves free still finishes (no defer-and-retry livelock).
   */
  private readonly deferredMidWrite = new Set<string>();
  /** Jobs handed back at shutdown while their write was still running: their late outcome is not recorded. */
  private readonly abandoned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly clock: () => number;

  private readonly contextFor: ContextFor;

  constructor(private readonly deps: WorkerDeps) {
    this.clock = deps.clock ?? Date.now;
    this.contextFor = deps.contextFor ?? createContextFor({ limiter: deps.limiter, timeoutMs: deps.config.worker.requestTimeoutMs, logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
  }

  private moduleOf(helpdesk: string): HelpdeskModule | undefined {
    return (this.deps.modules ?? helpdeskModule)(helpdesk);
  }

  /** The account's writer, or undefined when the tenant does not connect that helpdesk. */
  private writerOf(tenant: TenantConfig, helpdesk: string): HandoffWriter | undefined {
    if (this.deps.writerFor) return this.deps.writerFor(tenant, helpdesk);
    const mod = this.moduleOf(helpdesk);
    const section = tenant.helpdesks[helpdesk];
    if (!mod || section === undefined) return undefined;
    const key = accountKey(helpdesk, tenant.id);
    const cached = this.writers.get(key);
    if (cached && cached.section === section) return cached.writer;
    const writer = mod.createWriter(section, this.contextFor(helpdesk, tenant));
    this.writers.set(key, { section, writer });
    return writer;
  }

  /** Starts claiming; resolves once the jobs a previous process left running are back in the queue. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // Jobs this store may own that are still 'running' belong to a process that died (SQLite: every one; Postgres:
    // only expired leases and this replica's own). Take them back before the first claim.
    try {
      const released = await this.deps.store.releaseExpired(this.clock(), true);
      if (released) this.deps.logger.warn({ released }, 'resuming jobs left running by a previous process');
    } catch (err) {
      this.deps.logger.error({ err }, 'could not take back jobs left running');
    }
    if (this.running) this.schedule(0);
  }

  /** A new job arrived: look now instead of at the next poll. */
  wake(): void {
    if (this.running && this.inFlight.size < this.deps.config.worker.concurrency) this.schedule(0);
  }

  get busy(): number {
    return this.inFlight.size;
  }

  /** Stops claiming, lets in-flight jobs finish for up to `graceMs`, then hands the rest back to the queue. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    // A claim already sent (an asynchronous store: Postgres) may still return jobs leased to us; wait for it so
    // they are in inFlight below and handed back, not left 'running' until their lease expires.
    await this.claimInFlight;
    const pending = [...this.inFlight.entries()];
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending.map(([, p]) => p)), new Promise((r) => (timeout = setTimeout(r, graceMs)))]);
    clearTimeout(timeout);
    await Promise.all(
      [...this.inFlight.keys()].map(async (handoffId) => {
        // Counted as an attempt, so the next try first checks whether this one landed.
        this.abandoned.add(handoffId);
        try {
          await this.deps.store.release(handoffId, this.clock(), 'released at shutdown');
          this.deps.logger.warn({ handoffId }, 'job released at shutdown');
        } catch (err) {
          this.deps.logger.error({ err, handoffId }, 'job could not be released at shutdown; its lease will expire');
        }
      }),
    );
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.running) return;
    // One claim at a time: a wake() during a claim asks for another round after it, never a parallel one.
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = true;
    const capacity = this.deps.config.worker.concurrency - this.inFlight.size;
    void (this.claimInFlight = this.claimRound())
      .then((claimed) => {
        this.claiming = false;
        const again = this.claimAgain;
        this.claimAgain = false;
        if (this.running) this.schedule(again || (claimed === capacity && capacity > 0) ? 0 : this.deps.config.worker.pollMs);
      });
  }
  private claiming = false;
  private claimAgain = false;
  /** The claim round under way: stop() waits for it, so jobs it claims are handed back too (see stop). */
  private claimInFlight: Promise<number> | undefined;

  /**
   * One claim: fills free slots round-robin across tenants, each tenant only as far as its rate-limit budget
   * goes, and starts the jobs. Returns how many it started. Public so tests can drive rounds with a scripted clock.
   */
  async claimRound(): Promise<number> {
    const { store, config, limiter } = this.deps;
    const capacity = config.worker.concurrency - this.inFlight.size;
    if (capacity <= 0) return 0;
    let claimed: ClaimedJob[] = [];
    let claimedAt = this.clock();
    try {
      // A shared (Postgres) budget: what the other replicas spent, before sizing this claim by it.
      await limiter.refresh();
      await store.releaseExpired(this.clock());
      const budget = (tenantId: string, helpdesk: string): number => {
        const key = accountKey(helpdesk, tenantId);
        const need = Math.max(1, Math.min(this.moduleOf(helpdesk)?.requestsPerWrite ?? DEFAULT_REQUESTS_PER_WRITE, limiter.limitFor(key)));
        return Math.floor(limiter.freeSlots(key) / need) - (this.inFlightByAccount.get(key) ?? 0);
      };
      claimedAt = this.clock();
      claimed = await store.claim(claimedAt, config.worker.leaseMs, capacity, budget);
    } catch (err) {
      this.deps.logger.error({ err }, 'could not claim jobs');
    }
    for (const job of claimed) {
      const key = accountKey(job.event.target.helpdesk, job.tenantId);
      this.inFlightByAccount.set(key, (this.inFlightByAccount.get(key) ?? 0) + 1);
      const p = this.process(job, claimedAt)
        .catch((err: unknown) => this.deps.logger.error({ err, handoffId: job.handoffId }, 'job outcome could not be recorded'))
        .finally(() => {
          this.inFlight.delete(job.handoffId);
          const left = (this.inFlightByAccount.get(key) ?? 1) - 1;
          if (left > 0) this.inFlightByAccount.set(key, left);
          else this.inFlightByAccount.delete(key);
          this.wake();
        });
      this.inFlight.set(job.handoffId, p);
    }
    return claimed.length;
  }

  /** Dead-letters a job (and counts it). */
  private async kill(handoffId: string, reason: string): Promise<void> {
    await this.deps.store.kill(handoffId, reason);
    this.deps.metrics?.deadLettered(reason);
  }

  /** Resolves when every job started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  private async process(job: ClaimedJob, claimedAt: number): Promise<void> {
    const { store, config, tenants, limiter } = this.deps;
    const log = this.deps.logger.child({ handoffId: job.handoffId, tenantId: job.tenantId, attempt: job.attempts });
    const tenant = tenants.get(job.tenantId);
    const helpdesk = job.event.target.helpdesk;
    const mod = this.moduleOf(helpdesk);
    const writer = tenant && this.writerOf(tenant, helpdesk);
    if (!tenant || !writer) {
      const reason = !tenant
        ? `tenant ${job.tenantId} is not configured`
        : !mod && !this.deps.writerFor
          ? `no helpdesk module named "${helpdesk}"`
          : `tenant has no ${helpdesk} configured`;
      await this.kill(job.handoffId, reason);
      log.error({ reason }, 'job dead-lettered: no tenant or helpdesk');
      return;
    }
    // A target without an id asks the helpdesk to create one; some cannot (the module says why).
    if (job.event.target.id === undefined && mod?.cannotCreate) {
      await this.kill(job.handoffId, mod.cannotCreate);
      log.error({ reason: mod.cannotCreate }, 'job dead-lettered: the helpdesk cannot create a target');
      return;
    }
    // Checked before analysing again: analyses that never finished include those that took the process down.
    if (job.analysisTries >= MAX_ANALYSIS_TRIES) {
      const reason = `analysis failed ${job.analysisTries} times: ${job.analysisError ?? 'unknown reason'}`;
      await this.kill(job.handoffId, reason);
      log.error({ reason }, 'job dead-lettered');
      return;
    }
    const key = accountKey(helpdesk, tenant.id);
    if (this.deps.connections?.isDisconnected(tenant.id, helpdesk)) {
      await store.defer(job.handoffId, this.clock() + DISCONNECTED_RECHECK_MS, `waiting: ${helpdesk} is disconnected until an admin re-connects it`, false);
      return;
    }
    // Budget spent since the claim (e.g. a 429 paused the account): hand the slot back, nothing was tried.
    const wait = limiter.waitFor(key);
    if (wait > 0) {
      this.deps.metrics?.rateLimitWait(helpdesk, 'deferred', wait);
      await store.defer(job.handoffId, this.clock() + wait, 'waiting for rate-limit budget', false);
      return;
    }
    // The lease as this process knows it. A renewal counts only if it finished before the lease it extends ran out;
    // after a freeze (SIGSTOP, a long GC) past it, another replica may hold the job: the writer then looks first.
    const leaseMs = config.worker.leaseMs;
    const margin = Math.min(1_000, leaseMs / 10);
    let leaseUntil = claimedAt + leaseMs;
    let leaseLost = false;
    const leaseMayBeLost = (): boolean => leaseLost || this.clock() >= leaseUntil - margin;
    const renew = setInterval(() => {
      const from = this.clock();
      store
        .renew(job.handoffId, from + leaseMs)
        .then(() => {
          if (this.clock() < leaseUntil - margin) leaseUntil = from + leaseMs;
          else leaseLost = true;
        })
        .catch((err: unknown) => log.warn({ err }, 'lease renewal failed'));
    }, Math.max(1000, leaseMs / 3));
    let stage: 'transcript' | 'bot' | 'write' = 'transcript';
    try {
      // A handoff waiting for its helpdesk object with nothing to do before it exists: no fetch, no analysis yet.
      if (job.event.target.awaitBeforeAnalysis && (await this.awaitedTarget(job, job.event, log)) === undefined) return;
      // Transcript-fetch stage: a webhook that carried only part of the conversation is completed first.
      const event = job.event.transcriptComplete === false && this.deps.completeTranscript ? await this.deps.completeTranscript(job.event, tenant) : job.event;
      if (this.abandoned.has(job.handoffId)) return;
      stage = 'write';
      const report = await this.analyzeCounted(job, event, tenant, log);
      if (!report || this.abandoned.has(job.handoffId)) return;
      stage = 'bot';
      if (this.deps.afterAnalysis) await this.deps.afterAnalysis(event, report, tenant, job.handoffId);
      if (this.abandoned.has(job.handoffId)) return;
      stage = 'write';
      const target = await this.awaitedTarget(job, event, log);
      if (target === undefined) return;
      const patient = this.deferredMidWrite.delete(job.handoffId);
      const input: WriteInput = { handoffId: job.handoffId, event: target, report, attempt: job.tries, now: this.clock(), leaseMayBeLost };
      const result = await (patient ? withMaxWait(Number.POSITIVE_INFINITY, () => writer.write(input)) : writer.write(input));
      if (this.abandoned.has(job.handoffId)) return;
      await store.complete({ handoffId: job.handoffId, tenantId: tenant.id, ref: result.ref, outcome: result.outcome }, report, scrubbed(target, report));
      log.info({ ref: result.ref, outcome: result.outcome }, 'handoff delivered');
      this.deps.metrics?.delivered(helpdesk, result.outcome, Date.parse(job.event.receivedAt), this.clock());
      this.deps.onOutcome?.({ tenantId: tenant.id, helpdesk, handoffId: job.handoffId, kind: 'delivered' });
    } catch (err) {
      if (this.abandoned.has(job.handoffId)) return;
      const now = this.clock();
      if (err instanceof RateLimitDeferral) {
        // Not a failure: the retry budget is kept. A request may already have gone out, so `tries` stays counted.
        await store.defer(job.handoffId, now + err.waitMs, err.message, true);
        this.deferredMidWrite.add(job.handoffId);
        log.debug({ retryInMs: err.waitMs }, 'deferred: waiting for rate-limit budget');
        return;
      }
      // A transcript fetch asks the bot platform, not the helpdesk: the common verdicts, no account pause.
      const verdict: Verdict =
        stage === 'transcript'
          ? prefixed(classifyCommonFailure(err, now), 'transcript fetch: ')
          : stage === 'bot'
            ? prefixed(classifyCommonFailure(err, now), 'bot platform: ')
            : mod
              ? mod.classifyFailure(err, now)
              : classifyCommonFailure(err, now);
      if (verdict.action === 'retry' && verdict.disconnected && this.deps.connections) {
        // Credentials refused: the helpdesk is disconnected (alerting the tenant), the job waits for a re-connect.
        await this.deps.connections.markDisconnected(tenant.id, helpdesk, verdict.reason);
        await store.defer(job.handoffId, now + DISCONNECTED_RECHECK_MS, verdict.reason, true);
        log.warn({ reason: verdict.reason }, 'helpdesk disconnected; the job waits for a re-connect');
        return;
      }
      if (verdict.action === 'dead' || job.attempts >= config.worker.retry.maxAttempts) {
        const reason = verdict.action === 'dead' ? verdict.reason : `gave up after ${job.attempts} attempts: ${verdict.reason}`;
        await this.kill(job.handoffId, reason);
        log.error({ reason }, 'job dead-lettered');
        this.deps.onOutcome?.({ tenantId: tenant.id, helpdesk, handoffId: job.handoffId, kind: 'dead', reason });
        return;
      }
      if (stage === 'write') this.deps.onOutcome?.({ tenantId: tenant.id, helpdesk, handoffId: job.handoffId, kind: 'retry', reason: verdict.reason });
      const delay = retryDelayMs(job.attempts, config.worker.retry, verdict, this.deps.random);
      if (verdict.accountWide) {
        limiter.pause(key, now + (verdict.notBeforeMs ?? delay));
        this.deps.metrics?.rateLimitWait(helpdesk, 'paused', verdict.notBeforeMs ?? delay);
      }
      await store.release(job.handoffId, now + delay, verdict.reason);
      this.deps.metrics?.retried(verdict.reason);
      log.warn({ reason: verdict.reason, retryInMs: delay }, stage === 'write' ? 'helpdesk write failed; will retry' : `${stage === 'bot' ? 'bot platform step' : 'transcript fetch'} failed; will retry`);
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * The event with its target id, for a handoff whose helpdesk object is created by the helpdesk (target.awaitKey):
   * the id bound by the helpdesk's webhook, or undefined when the job was handed back to wait (not a failed
   * attempt; a binding wakes it) or dead-lettered because `awaitUntil` passed.
   */
  private async awaitedTarget(job: ClaimedJob, event: HandoffEvent, log: Logger): Promise<HandoffEvent | undefined> {
    const t = event.target;
    if (t.id !== undefined || !t.awaitKey) return event;
    const { store } = this.deps;
    const received = Date.parse(event.receivedAt);
    const id = await store.claimBoundTarget(job.tenantId, t.helpdesk, t.awaitKey, job.handoffId, (Number.isFinite(received) ? received : 0) - AWAIT_BINDING_SLACK_MS);
    if (id !== undefined) return { ...event, target: { ...t, id } };
    const now = this.clock();
    const until = Date.parse(t.awaitUntil ?? '');
    if (Number.isFinite(until) && now >= until) {
      const reason = `no ${t.helpdesk} object was created for ${t.awaitKey} by ${t.awaitUntil}`;
      await this.kill(job.handoffId, reason);
      log.error({ reason }, 'job dead-lettered: the helpdesk object never came');
      return undefined;
    }
    const next = Number.isFinite(until) ? Math.min(until, now + AWAIT_RECHECK_MS) : now + AWAIT_RECHECK_MS;
    await store.defer(job.handoffId, next, `waiting for the ${t.helpdesk} object of ${t.awaitKey}`, false);
    log.info({ awaitKey: t.awaitKey, recheckInMs: next - now }, 'waiting for the helpdesk object');
    return undefined;
  }

  /**
   * Analysis with its try committed first, so a crash, time-out, kill -9 or freeze is counted. Returns undefined
   * when it failed (the job is then retried, or dead-lettered on the last try).
   */
  private async analyzeCounted(job: ClaimedJob, event: HandoffEvent, tenant: TenantConfig, log: Logger): Promise<HandoffReport | undefined> {
    const { store, config } = this.deps;
    const tries = await store.beginAnalysis(job.handoffId);
    const t0 = performance.now();
    try {
      const report = await this.deps.analyze(event, tenant.analysis);
      this.deps.metrics?.analysis(performance.now() - t0, true);
      if (!this.abandoned.has(job.handoffId)) await store.endAnalysis(job.handoffId);
      return report;
    } catch (err) {
      this.deps.metrics?.analysis(performance.now() - t0, false);
      if (this.abandoned.has(job.handoffId)) return undefined;
      const why = err instanceof Error ? err.message : String(err);
      if (tries >= MAX_ANALYSIS_TRIES) {
        await this.kill(job.handoffId, `analysis failed ${tries} times: ${why}`);
        log.error({ err }, 'job dead-lettered: analysis failed');
      } else {
        await store.endAnalysis(job.handoffId, why);
        await store.release(job.handoffId, this.clock() + retryDelayMs(tries, config.worker.retry, { action: 'retry', reason: why }, this.deps.random), `analysis failed: ${why}`);
        this.deps.metrics?.retried(`analysis failed: ${why}`);
        log.warn({ err, analysisTries: tries }, 'analysis failed; will retry');
      }
      return undefined;
    }
  }
}
