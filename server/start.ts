/**
 * Wires one Baton process: store, HTTP app, worker; and in sandbox mode each helpdesk's local sandbox and
 * preview pages (HelpdeskModule.sandboxMode). main.ts calls this with the config from the environment; tests call it too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config, TenantConfig } from './config.ts';
import { createLogger } from './logger.ts';
import type { Store } from './store/store.ts';
import { openStore } from './store/open-store.ts';
import { createApp } from './http/app.ts';
import { adminRouter } from './http/admin-routes.ts';
import { adminTenantsRouter } from './http/admin-tenants-routes.ts';
import { openTenantRegistry } from './tenants/open-tenant-registry.ts';
import { wireConnect } from './connect/connect-wiring.ts';
import type { TenantRegistry } from './tenants/tenant-registry.ts';
import { ownBaseUrl } from './http/local-url.ts';
import { loopbackHostGuard } from './http/loopback-guard.ts';
import express from 'express';
import { Worker, type CompleteTranscript, type WorkerDeps } from './pipeline/worker.ts';
import { createContextFor } from './pipeline/helpdesk-context.ts';
import { botAdapter, botRouters, botSandboxes, createAfterAnalysis, createTranscriptCompleter } from './bots/registry.ts';
import { Inbox } from './pipeline/inbox.ts';
import { webhookChecks } from './bots/webhook-checks.ts';
import type { BotAdapter } from './bots/bot-adapter.ts';
import { leanWebhook } from './http/lean-webhook.ts';
import { openRateBudget } from './pipeline/open-rate-budget.ts';
import { helpdeskOfKey } from './pipeline/rate-budget.ts';
import { createMetrics } from './metrics/metrics.ts';
import { metricsRouter, metricsToken } from './metrics/metrics-router.ts';
import { countHandoffs } from './metrics/handoff-metrics.ts';
import { helpdeskModule, helpdeskModules } from './helpdesks/registry.ts';
import { createAnalysisPool, type AnalysisPool } from './pipeline/analysis-pool.ts';
import { DEFAULT_DIST_DIR } from './http/build-app.ts';
import { trackRequests } from './http/request-drain.ts';
import { startRetention } from './store/retention.ts';
import { evaluateRouter } from './evaluate/evaluate-route.ts';
import { cachedFirstReplyStats } from './evaluate/stats-cache.ts';
import { outcomesFor } from './outcomes/outcomes-service.ts';

export const SHUTDOWN_GRACE_MS = 8_000;
/** The inbox's commit window with `durability: "full"` (pipeline/inbox.ts). */
export const FULL_DURABILITY_COMMIT_WINDOW_MS = 2;

export interface BatonInstance {
  url: string;
  port: number;
  store: Store;
  /** Every tenant (BATON_CONFIG's and the store's), refreshed from the store (server/tenants). */
  tenants: TenantRegistry;
  worker: Worker;
  logger: Logger;
  /** The Express app, so tools (scripts/fuzz.ts) can list every route it serves. */
  app: import('express').Express;
  close(): Promise<void>;
}

/** A rate-limit wait longer than this hands the job back instead of holding a worker slot (see worker.ts). */
export const MAX_SLOT_WAIT_MS = 1_000;

export interface StartOptions {
  logger?: Logger;
  distDir?: string;
  worker?: boolean;
  /** Replaces the analysis (tests: one that hangs or crashes). */
  analyze?: WorkerDeps['analyze'];
  /** Replaces the transcript-fetch stage (tests). */
  completeTranscript?: CompleteTranscript;
}

/** Our request ceiling for an account (`<helpdesk>:<tenantId>`): the module's, from the tenant's section. */
function ceilingFor(tenants: ReadonlyMap<string, TenantConfig>, key: string): number {
  const at = key.indexOf(':');
  const helpdesk = key.slice(0, at);
  const section = tenants.get(key.slice(at + 1))?.helpdesks[helpdesk];
  const mod = helpdeskModule(helpdesk);
  return mod && section !== undefined ? mod.ceilingPerMinute(section) : 100;
}


export async function startBaton(config: Readonly<Config>, opts: StartOptions = {}): Promise<BatonInstance> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  // Postgres when BATON_DATABASE_URL is set, else SQLite under the data-directory lock (released when the store
  // closes): the worker's start-up takes back every running job it may own (see open-store.ts, process-lock.ts).
  const store = await openStore(config);
  // Tenants of the file and of the store, one live Map read on every request (issue 13).
  let tenants: TenantRegistry;
  try {
    tenants = await openTenantRegistry({ config, store, logger });
  } catch (err) {
    await store.close();
    throw err;
  }
  // Prometheus figures of this process (GET /metrics); queue depth is the database's, read on each scrape.
  const replicaId = (store as unknown as { replicaId?: string }).replicaId;
  const metrics = createMetrics(replicaId ? { replicaId } : {});
  metrics.queueDepthFrom(() => store.jobCounts());
  // In memory on SQLite; one budget per helpdesk account shared by every replica on Postgres (issue 10).
  const limiter = openRateBudget({ store, ceilingFor: (key) => ceilingFor(tenants, key), maxWaitMs: MAX_SLOT_WAIT_MS, logger });
  limiter.onWait = (key, kind, ms) => metrics.rateLimitWait(helpdeskOfKey(key), kind, ms);
  const contextFor = createContextFor({ limiter, timeoutMs: config.worker.requestTimeoutMs, logger, metrics });
  // Analysis runs in worker threads with a time budget, so no handoff can block the event loop (issue 7 item 1).
  const pool = opts.analyze ? undefined : createAnalysisPool({ threads: config.worker.analysisThreads, budgetMs: config.worker.analysisBudgetMs });
  // Connect <helpdesk> (OAuth), alerts, and the worker's view of disconnected helpdesks (issue 13).
  const connect = wireConnect({ config, registry: tenants, logger, ownBaseUrl: () => ownUrl(), onReconnected: () => worker.wake() });
  const worker = new Worker({
    ...connect.workerHooks,
    config,
    store,
    logger,
    tenants,
    limiter,
    metrics,
    contextFor,
    // Transcript-fetch stage: the bot adapter of the event's source fetches what its webhook left out, within
    // the same account budget as the helpdesk writes (server/bots/registry.ts).
    completeTranscript: opts.completeTranscript ?? createTranscriptCompleter(contextFor),
    // The bot platform's step after analysis (Sunshine relay mode passes control on to the agent workspace).
    afterAnalysis: createAfterAnalysis(contextFor, logger),
    analyze: opts.analyze ?? ((e, o) => (pool as AnalysisPool).analyze(e, o)),
  });
  const distDir = opts.distDir ?? DEFAULT_DIST_DIR;
  const bound: { port?: number } = {};

  const ownUrl = (): string | undefined => (bound.port ? ownBaseUrl(config.host, bound.port) : undefined);
  const routeDeps = { config, store, logger, tenants, distDir, ownBaseUrl: ownUrl };

  // One inbox (one group commit) for the Express routes and the lean generic webhook below. With an fsync per
  // commit (durability "full"), batches stay open 2 ms so concurrent webhooks share one fsync.
  const inbox = new Inbox(store, { commitWindowMs: config.durability === 'full' ? FULL_DURABILITY_COMMIT_WINDOW_MS : 0 });
  const routers = [
    // Every bot adapter's webhook on the route factory: the generic POST /v1/tenants/:tenantId/handoffs and
    // POST /v1/tenants/:tenantId/bots/<platform> (server/bots/registry.ts).
    ...botRouters({ config, inbox, logger, tenants, onAccepted: () => worker.wake() }),
    // "Should I escalate?" for bots (issue 11): the webhook's auth, nothing stored; waits from outcome tracking.
    evaluateRouter({ config, tenants, logger, firstReplyStats: cachedFirstReplyStats(outcomesFor(store).firstReplyStats) }),
    adminRouter({ config, store, tenants, onReplay: () => worker.wake() }),
    metricsRouter({ metrics, token: metricsToken(process.env, config.adminToken) }),
    adminTenantsRouter({ config, tenants, ...(process.env.BATON_PUBLIC_URL ? { publicUrl: process.env.BATON_PUBLIC_URL } : {}) }),
    ...connect.routers,
    // Each helpdesk's own routes (sidebar APIs, canvas endpoints…): HelpdeskModule.routes.
    ...helpdeskModules().flatMap((m) => m.routes?.(routeDeps) ?? []),
  ];
  const mounts: Array<[string, import('express').Router]> = [];
  if (config.sandbox) {
    // Sandbox code lives outside the production tree (sandbox/, app/preview/) and is loaded only in sandbox mode.
    for (const m of helpdeskModules()) {
      const parts = await m.sandboxMode?.(routeDeps);
      routers.push(...(parts?.routers ?? []));
      // Loopback Host only (loopback-guard.ts): the sandbox's pages show transcripts without auth.
      if (parts?.sandbox) mounts.push([`/sandbox/${m.name}`, express.Router().use(loopbackHostGuard(config), parts.sandbox)]);
    }
    // Bot platforms with a sandbox (e.g. Sunshine Conversations at /sandbox/sunshine): BotAdapter.sandboxMode.
    for (const [name, sandbox] of await botSandboxes({ tenants, logger, ownBaseUrl: ownUrl })) mounts.push([`/sandbox/${name}`, express.Router().use(loopbackHostGuard(config), sandbox)]);
  }
  const app = createApp({ store, logger, routers, mounts });
  // The generic webhook is answered from plain node:http in front of Express, with the route factory's checks
  // (http/lean-webhook.ts); every other request, and any the lean path does not take, goes to Express.
  const genericChecks = webhookChecks(botAdapter('generic') as BotAdapter, { config, inbox, logger, tenants });
  const server: Server = createServer(countHandoffs(leanWebhook({ maxBodyBytes: config.maxBodyBytes, checks: genericChecks, fallback: app, logger, onAccepted: () => worker.wake() }), metrics));
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    connect.close();
    tenants.close();
    await pool?.close();
    await store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  bound.port = port;
  if (opts.worker ?? config.worker.enabled) await worker.start();

  const requests = trackRequests(server);
  const retention = startRetention({ store, retentionDays: config.retentionDays, logger });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Stop accepting new connections; answer every request already read (a 202 means stored, so it must
      // reach the bot) while the worker finishes or hands back what it holds; only then cut connections.
      const serverClosed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      retention.stop();
      await Promise.all([requests.drain(SHUTDOWN_GRACE_MS), worker.stop(SHUTDOWN_GRACE_MS)]);
      server.closeAllConnections();
      await serverClosed;
      connect.close();
    tenants.close();
      await pool?.close();
      await limiter.flush();
      await store.close();
    })());

  return { url: `http://${config.host}:${port}`, port, store, tenants, worker, logger, app, close };
}
