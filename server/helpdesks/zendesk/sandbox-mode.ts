/**
 * Sandbox mode for Zendesk (HelpdeskModule.sandboxMode): the local Zendesk sandbox and the /preview agent
 * workspace, which share the sandbox's app key pair so /preview loads the sidebar the signed-URL way, and the
 * insights dashboard at /preview/insights. All live
 * outside the production tree and are loaded only here, only in sandbox mode.
 */
import type { Router } from 'express';
import type { HelpdeskRouteDeps } from '../helpdesk-module.ts';
import { SANDBOX_APP_ID, SANDBOX_APP_INSTALLATION_ID } from './zendesk-config.ts';

export async function zendeskSandboxMode(deps: HelpdeskRouteDeps): Promise<{ sandbox: Router; routers: Router[] }> {
  const { createSandboxAppKeys, createZendeskSandbox } = await import('../../../sandbox/zendesk/index.ts');
  const { previewRouter } = await import('../../../app/preview/preview-routes.ts');
  const { insightsPreviewRouter } = await import('../../../app/preview/insights-preview.ts');
  const { demoInsightsData } = await import('../../../app/preview/insights-preview-data.ts');
  const appKeys = createSandboxAppKeys(SANDBOX_APP_ID, SANDBOX_APP_INSTALLATION_ID);
  const { config, store, logger, distDir } = deps;
  return {
    sandbox: createZendeskSandbox({ appKeys }).router,
    // /preview/insights: the nav_bar dashboard with the demo tenant's seeded insights (issue 11).
    routers: [previewRouter({ config, store, logger, distDir, appKeys }), insightsPreviewRouter({ config, distDir, ...demoInsightsData(store) })],
  };
}
