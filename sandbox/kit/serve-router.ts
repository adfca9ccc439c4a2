/**
 * Serves a sandbox router on its own HTTP server (127.0.0.1, port 0 = a free port), for tests and for running
 * a sandbox apart from Baton. `url` is the API base URL a client should use.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Mount the router below this path (e.g. `/sandbox/intercom`, as the main server does); default: root. */
  basePath?: string;
}

export interface ServedRouter {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveRouter(router: Router, options: ServeOptions = {}): Promise<ServedRouter> {
  const { port = 0, host = '127.0.0.1', basePath = '' } = options;
  const mount = basePath.replace(/\/+$/, '');
  if (mount && !mount.startsWith('/')) throw new Error(`serveRouter: basePath must start with "/" (got "${basePath}")`);
  const app = express();
  app.disable('x-powered-by');
  app.use(mount || '/', router);
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
