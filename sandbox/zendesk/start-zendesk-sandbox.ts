/**
 * Serves a Zendesk sandbox on its own HTTP server (127.0.0.1, port 0 = a free port), for tests and for
 * running the sandbox apart from Baton. `url` is the API base URL a Zendesk client should use.
 */
import { serveRouter, type ServeOptions } from '../kit/serve-router.ts';
import { createZendeskSandbox } from './create-zendesk-sandbox.ts';
import type { RunningZendeskSandbox, ZendeskSandboxOptions } from './types.ts';

export type StartZendeskSandboxOptions = ZendeskSandboxOptions & ServeOptions;

export async function startZendeskSandbox(options: StartZendeskSandboxOptions = {}): Promise<RunningZendeskSandbox> {
  const { port, host, basePath, ...sandboxOptions } = options;
  const sandbox = createZendeskSandbox(sandboxOptions);
  const served = await serveRouter(sandbox.router, { ...(port !== undefined ? { port } : {}), ...(host ? { host } : {}), ...(basePath ? { basePath } : {}) });
  return { ...sandbox, ...served };
}
