/**
 * Graceful shutdown for an HTTP server: track the requests it has read, and on drain let each one finish
 * (its response goes out, with `Connection: close`) before connections are cut. Cutting them instead
 * resets requests whose handoff was already stored, and the bot then retries or gives up not knowing.
 */
import type { Server, ServerResponse } from 'node:http';

export interface RequestDrain {
  /** Resolves when every request read so far has been answered, or after `graceMs`. */
  drain(graceMs: number): Promise<void>;
  readonly inFlight: number;
}

export function trackRequests(server: Server): RequestDrain {
  const active = new Set<ServerResponse>();
  let draining = false;
  let idle: (() => void) | undefined;
  server.on('request', (_req, res: ServerResponse) => {
    active.add(res);
    // A request read during shutdown (keep-alive) is still answered, but its connection is not kept.
    if (draining && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      active.delete(res);
      if (!active.size) idle?.();
    });
  });
  return {
    get inFlight() {
      return active.size;
    },
    drain: (graceMs) => {
      draining = true;
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
      if (!active.size) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        timer.unref();
        idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}
