/** Serves an Intercom sandbox on its own HTTP server (a free port by default), for tests and the demo. */
import { serveRouter, type ServeOptions } from '../kit/serve-router.ts';
import { createIntercomSandbox } from './create-intercom-sandbox.ts';
import type { IntercomSandboxOptions, RunningIntercomSandbox } from './types.ts';

export type StartIntercomSandboxOptions = IntercomSandboxOptions & ServeOptions;

export async function startIntercomSandbox(options: StartIntercomSandboxOptions = {}): Promise<RunningIntercomSandbox> {
  const { port, host, basePath, ...sandboxOptions } = options;
  const sandbox = createIntercomSandbox(sandboxOptions);
  const served = await serveRouter(sandbox.router, { ...(port !== undefined ? { port } : {}), ...(host ? { host } : {}), ...(basePath ? { basePath } : {}) });
  return { ...sandbox, ...served };
}
