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
import { classifyFailure, retryDelayMs } from './retry-policy.ts';
import type { TenantRateLimiter } from './rate-limiter.ts';

/** What the worker hands a helpdesk writer for one try of one handoff. */
export interface WriteInput {
  handoffId: string;
  event: HandoffEvent;
  report: HandoffReport;
  /** 1 on the first try ever (replays included); later tries check whether an earlier one already landed. */
  attempt: number;
  /** Epoch ms of this try, from the worker's clock. */
  now: number;
}

export interface HandoffWriter {
  readonly helpdesk: string;
  write(input: WriteInput): Promise<{ ticketId: number; outcome: string }>;
}

export interface WorkerDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  tenants: ReadonlyMap<string, TenantConfig>;
  limiter: TenantRateLimiter;
  writerFor: (tenant: TenantConfig) => HandoffWriter | undefined;
  analyze: (event: HandoffEvent, options: AnalysisOptions) => HandoffReport;
  clock?: () => number;
  random?: () => number;
}

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

export class Worker {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Jobs handed back at shutdown while their write was still running: their late outcome is not recorded. */
  private readonly abandoned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly clock: () => number;

  constructor(private readonly deps: WorkerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Single-process store: anything still 'running' belongs to a process that died. Take it back now.
    const released = this.deps.store.releaseExpired(this.clock(), true);
    if (released) this.deps.logger.warn({ released }, 'resuming jobs left running by a previous process');
    this.schedule(0);
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
    const pending = [...this.inFlight.entries()];
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending.map(([, p]) => p)), new Promise((r) => (timeout = setTimeout(r, graceMs)))]);
    clearTimeout(timeout);
    for (const [handoffId] of this.inFlight) {
      // Counted as an attempt, so the next try first checks whether this one landed.
      this.abandoned.add(handoffId);
      this.deps.store.release(handoffId, this.clock(), 'released at shutdown');
      this.deps.logger.warn({ handoffId }, 'job released at shutdown');
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.running) return;
    const { store, config, limiter } = this.deps;
    const capacity = config.worker.concurrency - this.inFlight.size;
    let claimed: ClaimedJob[] = [];
    if (capacity > 0) {
      try {
        store.releaseExpired(this.clock());
        claimed = store.claim(this.clock(), config.worker.leaseMs, capacity, limiter.pausedTenants());
      } catch (err) {
        this.deps.logger.error({ err }, 'could not claim jobs');
      }
    }
    for (const job of claimed) {
      const p = this.process(job)
        .catch((err: unknown) => this.deps.logger.error({ err, handoffId: job.handoffId }, 'job outcome could not be recorded'))
        .finally(() => {
        this.inFlight.delete(job.handoffId);
        this.wake();
      });
      this.inFlight.set(job.handoffId, p);
    }
    this.schedule(claimed.length === capacity && capacity > 0 ? 0 : config.worker.pollMs);
  }

  private async process(job: ClaimedJob): Promise<void> {
    const { store, config, tenants, limiter } = this.deps;
    const log = this.deps.logger.child({ handoffId: job.handoffId, tenantId: job.tenantId, attempt: job.attempts });
    const tenant = tenants.get(job.tenantId);
    const writer = tenant && this.deps.writerFor(tenant);
    if (!tenant || !writer) {
      store.kill(job.handoffId, tenant ? 'tenant has no helpdesk configured' : `tenant ${job.tenantId} is not configured`);
      log.error('job dead-lettered: no tenant or helpdesk');
      return;
    }
    const renew = setInterval(() => store.renew(job.handoffId, this.clock() + config.worker.leaseMs), Math.max(1000, config.worker.leaseMs / 3));
    try {
      let report: HandoffReport;
      try {
        report = this.deps.analyze(job.event, tenant.analysis);
      } catch (err) {
        store.kill(job.handoffId, `analysis failed: ${(err as Error).message}`);
        log.error({ err }, 'job dead-lettered: analysis failed');
        return;
      }
      const result = await writer.write({ handoffId: job.handoffId, event: job.event, report, attempt: job.tries, now: this.clock() });
      if (this.abandoned.has(job.handoffId)) return;
      store.complete(
        { handoffId: job.handoffId, tenantId: tenant.id, helpdesk: writer.helpdesk, ticketId: result.ticketId, outcome: result.outcome },
        report,
        scrubbed(job.event, report),
      );
      log.info({ ticketId: result.ticketId, outcome: result.outcome }, 'handoff delivered');
    } catch (err) {
      if (this.abandoned.has(job.handoffId)) return;
      const now = this.clock();
      const verdict = classifyFailure(err, now);
      if (verdict.action === 'dead' || job.attempts >= config.worker.retry.maxAttempts) {
        const reason = verdict.action === 'dead' ? verdict.reason : `gave up after ${job.attempts} attempts: ${verdict.reason}`;
        store.kill(job.handoffId, reason);
        log.error({ reason }, 'job dead-lettered');
        return;
      }
      const delay = retryDelayMs(job.attempts, config.worker.retry, verdict, this.deps.random);
      if (verdict.tenantWide) limiter.pause(tenant.id, now + (verdict.notBeforeMs ?? delay));
      store.release(job.handoffId, now + delay, verdict.reason);
      log.warn({ reason: verdict.reason, retryInMs: delay }, 'helpdesk write failed; will retry');
    } finally {
      clearInterval(renew);
    }
  }
}
