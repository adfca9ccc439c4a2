/**
 * Baton's Prometheus figures (prom-client, text format 0.0.4: https://prometheus.io/docs/instrumenting/exposition_formats/).
 * Each server owns a private Registry, so several servers in one process (tests) do not share counters.
 * Labels come from small fixed sets (helpdesk and source names, result, status, reason class), never ids or text.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobState } from '../store/store.ts';
import { reasonClass } from './reason-class.ts';

const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'dead'];

export type HandoffResult = 'accepted' | 'duplicate' | 'ignored' | 'rejected';
export type RateLimitWaitKind = 'slept' | 'deferred' | 'paused';

export interface BatonMetrics {
  readonly registry: Registry;
  /** One webhook answered: `source` is the route's platform (generic, sunshine, intercom…). */
  handoff(source: string, result: HandoffResult, status: number): void;
  /** A helpdesk write recorded: `acceptedAtMs` is when the event was received. */
  delivered(helpdesk: string, outcome: string, acceptedAtMs: number, nowMs: number): void;
  retried(reason: string): void;
  deadLettered(reason: string): void;
  /** Time spent waiting for rate-limit budget (slept in place, handed back to the queue, or an account pause). */
  rateLimitWait(helpdesk: string, kind: RateLimitWaitKind, ms: number): void;
  analysis(ms: number, ok: boolean): void;
  /** One helpdesk HTTP request: `status` is the HTTP status, or 0 when no response came (network error, time-out). */
  helpdeskRequest(helpdesk: string, status: number, ms: number): void;
  /** Where queue depth comes from on each scrape (Store.jobCounts). */
  queueDepthFrom(read: () => Promise<Partial<Record<JobState, number>>>): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Seconds: from a webhook's 202 to the helpdesk write (retries and rate-limit waits included). */
const DELIVERY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ANALYSIS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Helpdesk / source names are config keys; anything else (a hostile route segment) is folded into one label. */
function name(value: string): string {
  return /^[a-z][a-z0-9_-]{0,31}$/.test(value) ? value : 'other';
}

export function createMetrics(opts: { defaultMetrics?: boolean; replicaId?: string } = {}): BatonMetrics {
  const registry = new Registry();
  if (opts.replicaId) registry.setDefaultLabels({ replica: opts.replicaId });
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const handoffs = new Counter({
    name: 'baton_handoffs_total',
    help: 'Handoff webhooks answered, by source route, result (accepted, duplicate, ignored, rejected) and HTTP status',
    labelNames: ['source', 'result', 'status'] as const,
    registers: [registry],
  });
  const deliveries = new Histogram({
    name: 'baton_delivery_seconds',
    help: 'Time from accepting a handoff to its helpdesk write, by helpdesk and write outcome',
    labelNames: ['helpdesk', 'outcome'] as const,
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'baton_retries_total',
    help: 'Jobs handed back to retry after a failed try, by reason class',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const dead = new Counter({
    name: 'baton_dead_letters_total',
    help: 'Jobs moved to the dead-letter state, by reason class',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const waits = new Counter({
    name: 'baton_rate_limit_waits_total',
    help: 'Waits for a helpdesk account rate-limit budget, by helpdesk and kind (slept, deferred, paused)',
    labelNames: ['helpdesk', 'kind'] as const,
    registers: [registry],
  });
  const waitSeconds = new Counter({
    name: 'baton_rate_limit_wait_seconds_total',
    help: 'Seconds spent waiting for rate-limit budget, by helpdesk and kind',
    labelNames: ['helpdesk', 'kind'] as const,
    registers: [registry],
  });
  const analysis = new Histogram({
    name: 'baton_analysis_seconds',
    help: 'Time to analyse one handoff, by result',
    labelNames: ['result'] as const,
    buckets: ANALYSIS_BUCKETS,
    registers: [registry],
  });
  const requests = new Histogram({
    name: 'baton_helpdesk_request_seconds',
    help: 'Helpdesk API request latency, by helpdesk and HTTP status (0: no response)',
    labelNames: ['helpdesk', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  let readQueue: (() => Promise<Partial<Record<JobState, number>>>) | undefined;
  /** This scrape's read, shared by both gauges (prom-client collects every metric of a scrape concurrently). */
  let lastRead: Promise<Partial<Record<JobState, number>> | undefined> = Promise.resolve(undefined);
  new Gauge({
    name: 'baton_jobs',
    help: 'Handoff jobs by state, read from the store on each scrape (shared by every replica of one database)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      // A scrape must not fail because the database is down; baton_queue_read_ok and /readyz say so.
      lastRead = readQueue ? readQueue().catch(() => undefined) : Promise.resolve(undefined);
      const counts = await lastRead;
      if (counts) for (const s of JOB_STATES) this.set({ state: s }, counts[s] ?? 0);
    },
  });
  new Gauge({
    name: 'baton_queue_read_ok',
    help: '1 when this scrape could read the queue depth from the store, else 0',
    registers: [registry],
    async collect() {
      this.set((await lastRead) ? 1 : 0);
    },
  });

  return {
    registry,
    handoff: (source, result, status) => handoffs.inc({ source: name(source), result, status: String(status) }),
    delivered: (helpdesk, outcome, acceptedAtMs, nowMs) =>
      deliveries.observe({ helpdesk: name(helpdesk), outcome: name(outcome) }, Math.max(0, nowMs - acceptedAtMs) / 1000),
    retried: (reason) => retries.inc({ reason: reasonClass(reason) }),
    deadLettered: (reason) => dead.inc({ reason: reasonClass(reason) }),
    rateLimitWait: (helpdesk, kind, ms) => {
      waits.inc({ helpdesk: name(helpdesk), kind });
      waitSeconds.inc({ helpdesk: name(helpdesk), kind }, Math.max(0, ms) / 1000);
    },
    analysis: (ms, ok) => analysis.observe({ result: ok ? 'ok' : 'failed' }, Math.max(0, ms) / 1000),
    helpdeskRequest: (helpdesk, status, ms) =>
      requests.observe({ helpdesk: name(helpdesk), status: Number.isInteger(status) && status >= 0 && status < 600 ? String(status) : '0' }, Math.max(0, ms) / 1000),
    queueDepthFrom: (read) => {
      readQueue = read;
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
