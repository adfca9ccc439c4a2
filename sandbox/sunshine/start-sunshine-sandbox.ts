/** Serves a Sunshine Conversations sandbox on its own HTTP server (a free port by default), for tests and the demo. */
import { serveRouter, type ServeOptions } from '../kit/serve-router.ts';
import { createSunshineSandbox } from './create-sunshine-sandbox.ts';
import type { RunningSunshineSandbox, SunshineSandboxOptions } from './types.ts';

export async function startSunshineSandbox(options: SunshineSandboxOptions & ServeOptions = {}): Promise<RunningSunshineSandbox> {
  const { port, host, basePath, ...sandboxOptions } = options;
  const sandbox = createSunshineSandbox(sandboxOptions);
  const served = await serveRouter(sandbox.router, { ...(port !== undefined ? { port } : {}), ...(host ? { host } : {}), ...(basePath ? { basePath } : {}) });
  return { ...sandbox, ...served };
}
