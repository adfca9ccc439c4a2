/**
 * Sandbox mode for Intercom (HelpdeskModule.sandboxMode): the local Intercom sandbox and the /preview/intercom
 * inbox look-alike. Both live outside the production tree and are loaded only here, only in sandbox mode.
 */
import type { Router } from 'express';
import type { HelpdeskRouteDeps } from '../helpdesk-module.ts';

export async function intercomSandboxMode(deps: HelpdeskRouteDeps): Promise<{ sandbox: Router; routers: Router[] }> {
  const { createIntercomSandbox } = await import('../../../sandbox/intercom/index.ts');
  const { intercomPreviewRouter } = await import('../../../app/preview/intercom-preview.ts');
  return { sandbox: createIntercomSandbox().router, routers: [intercomPreviewRouter({ config: deps.config, logger: deps.logger })] };
}
