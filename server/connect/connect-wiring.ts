/**
 * One call for start.ts: the Connect routes, the alert routes, the alerter and the worker's hooks, all over the
 * tenant registry (issue 13).
 *
 *   const connect = wireConnect({ config, registry, logger, ownBaseUrl, onReconnected: () => worker.wake() });
 *   new Worker({ …, ...connect.workerHooks });  routers.push(...connect.routers);  on close: connect.close()
 */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { TenantRegistry } from '../tenants/tenant-registry.ts';
import type { WorkerDeps } from '../pipeline/worker.ts';
import { helpdeskModules } from '../helpdesks/registry.ts';
import type { HelpdeskOAuth } from './helpdesk-oauth.ts';
import { connectRouter } from './connect-routes.ts';
import { Alerter, DeliveryFailureWatch } from '../alerts/alerter.ts';
import { alertRouter } from '../alerts/alert-routes.ts';
import { alertOnDisconnect } from '../alerts/registry-alerts.ts';

export interface ConnectWiring {
  routers: Router[];
  workerHooks: Required<Pick<WorkerDeps, 'connections' | 'onOutcome'>>;
  alerter: Alerter;
  /** The providers by helpdesk name (for the start banner's connect links). */
  providers: ReadonlyMap<string, HelpdeskOAuth>;
  close(): void;
}

export interface WireConnectDeps {
  config: Readonly<Config>;
  registry: TenantRegistry;
  logger: Logger;
  ownBaseUrl(): string | undefined;
  env?: NodeJS.ProcessEnv;
  /** A helpdesk was re-connected: wake the worker so waiting jobs go out. */
  onReconnected?(): void;
}

export function wireConnect(deps: WireConnectDeps): ConnectWiring {
  const env = deps.env ?? process.env;
  const { registry, logger } = deps;
  const providers = new Map(helpdeskModules().flatMap((m) => (m.oauth ? [[m.name, m.oauth] as const] : [])));
  const alerter = new Alerter({ destinationOf: (id) => registry.get(id)?.alerts, logger: logger.child({ component: 'alerts' }) });
  const watch = new DeliveryFailureWatch(alerter);
  const unsubscribe = [
    alertOnDisconnect(registry, alerter),
    registry.onChange((c) => {
      if (c.type === 'reconnected' || c.type === 'updated') deps.onReconnected?.();
    }),
  ];
  const publicUrl = env.BATON_PUBLIC_URL?.replace(/\/+$/, '');
  const routers = [
    connectRouter({
      config: deps.config,
      tenants: registry,
      providers,
      logger: logger.child({ component: 'connect' }),
      ownBaseUrl: deps.ownBaseUrl,
      env,
      ...(publicUrl ? { publicUrl } : {}),
      onConnected: () => deps.onReconnected?.(),
    }),
    alertRouter({ adminToken: () => deps.config.adminToken, tenants: registry, alerter }),
  ];
  return {
    routers,
    alerter,
    providers,
    workerHooks: {
      connections: {
        isDisconnected: (tenantId, helpdesk) => registry.isDisconnected(tenantId, helpdesk),
        markDisconnected: (tenantId, helpdesk, reason) => registry.markDisconnected(tenantId, helpdesk, reason),
      },
      onOutcome(o) {
        if (o.kind === 'delivered') watch.succeeded(o.tenantId, o.helpdesk);
        else if (o.kind === 'retry') watch.failed(o.tenantId, o.helpdesk, o.reason ?? 'unknown');
        else alerter.notify({ tenantId: o.tenantId, kind: 'dead_letter', message: `handoff ${o.handoffId} to ${o.helpdesk} was dead-lettered: ${(o.reason ?? '').slice(0, 300)}. Re-play it with POST /v1/admin/jobs/${o.handoffId}/replay once fixed.` });
      },
    },
    close() {
      for (const u of unsubscribe) u();
      alerter.close();
    },
  };
}

/** The start banner's line in sandbox mode: where to connect a sandbox tenant through the real flow. */
export function sandboxConnectLines(ownBaseUrl: string, providers: ReadonlyMap<string, HelpdeskOAuth>): string[] {
  return [...providers].map(([name, oauth]) => {
    const q = oauth.accountParam && oauth.sandboxAccount ? `?${oauth.accountParam}=${oauth.sandboxAccount}` : '';
    return `Connect ${name} (sandbox OAuth): ${ownBaseUrl}/connect/${name}${q}`;
  });
}
