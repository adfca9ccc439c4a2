/**
 * The routes Zendesk contributes (HelpdeskModule.routes): the sidebar API, the signed-URL sidebar host and the
 * ticket-created webhook (messaging tickets for waiting handoffs).
 * In sandbox mode the access check and the app's public key are asked of the in-process sandbox, on the port
 * actually bound.
 */
import type { Router } from 'express';
import type { HelpdeskRouteDeps } from '../helpdesk-module.ts';
import { sidebarRouter } from './sidebar/sidebar-routes.ts';
import { zendeskHostedRouter } from './sidebar/zendesk-hosted-routes.ts';
import { loadOrCreateSessionKey } from './sidebar/sidebar-session.ts';
import { createZendeskAccessChecker } from './sidebar/sidebar-access.ts';
import { ticketCreatedRouter } from './ticket-created-webhook.ts';
import { outcomeWebhookRouter } from './outcome-webhook.ts';
import { zendeskInsightsAuthorizer, zendeskRoleOf } from './sidebar/insights-auth.ts';
import { insightsRouter } from '../../outcomes/insights-routes.ts';
import { connectionRouter } from './sidebar/connection-routes.ts';

export function zendeskRoutes(deps: HelpdeskRouteDeps): Router[] {
  const { config, store, logger, distDir } = deps;
  const sessionKey = loadOrCreateSessionKey(config.dataDir);
  const sandboxBase = (): string | undefined => {
    const own = deps.ownBaseUrl();
    return own ? `${own}/sandbox/zendesk` : undefined;
  };
  return [
    sidebarRouter({ config, store, logger, sessionKey, tenants: deps.tenants, ...(config.sandbox ? { access: createZendeskAccessChecker({ baseUrlFor: sandboxBase }) } : {}) }),
    // GET /v1/zendesk/connection: the app's Connect state (issue 13).
    connectionRouter({ config, tenants: deps.tenants, sessionKey, ownBaseUrl: deps.ownBaseUrl }),
    zendeskHostedRouter({ config, logger, distDir, sessionKey, tenants: deps.tenants, ...(config.sandbox ? { baseUrlFor: sandboxBase } : {}) }),
    // Messaging tickets created by Zendesk (requirements.json's webhook): binds them to waiting Sunshine handoffs.
    ticketCreatedRouter({ config, store, logger, tenants: deps.tenants }),
    // What happened after the handoff (requirements.json's outcome triggers): first agent reply, customer comments, solved, reopened.
    outcomeWebhookRouter({ config, store, logger, tenants: deps.tenants }),
    // GET /v1/tenants/:tenantId/insights: the admin token, or a Zendesk admin's sidebar session (role asked of Zendesk).
    insightsRouter({
      config, store, logger, tenants: deps.tenants,
      authorizers: [zendeskInsightsAuthorizer({ config, sessionKey, tenants: deps.tenants, roleOf: zendeskRoleOf(config.sandbox ? { baseUrlFor: sandboxBase } : {}) })],
    }),
  ];
}
