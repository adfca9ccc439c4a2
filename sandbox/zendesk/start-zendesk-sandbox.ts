/**
 * Serves a Zendesk sandbox on its own HTTP server (127.0.0.1, port 0 = a free port), for tests and for
 * running the sandbox apart from Baton. `url` is the API base URL a Zendesk client should use.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createZendeskSandbox } from './create-zendesk-sandbox.ts';
import type { RunningZendeskSandbox, ZendeskSandboxOptions } from './types.ts';

export interface StartZendeskSandboxOptions extends ZendeskSandboxOptions {
  port?: number;
  host?: string;
  /** Mount the sandbox below this path (e.g. `/sandbox/zendesk`, as the main server does); default: root. */
  basePath?: string;
}

export async function startZendeskSandbox(options: StartZendeskSandboxOptions = {}): Promise<RunningZendeskSandbox> {
  const { port = 0, host = '127.0.0.1', basePath = '', ...sandboxOptions } = options;
  const mount = basePath.replace(/\/+$/, '');
  if (mount && !mount.startsWith('/')) throw new Error(`startZendeskSandbox: basePath must start with "/" (got "${basePath}")`);
  const sandbox = createZendeskSandbox(sandboxOptions);
  const app = express();
  app.disable('x-powered-by');
  app.use(mount || '/', sandbox.router);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    ...sandbox,
    port: actualPort,
    url: `http://${host}:${actualPort}${mount}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
