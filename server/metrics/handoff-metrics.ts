/**
 * Counts every answered handoff webhook (the generic route, wherever it is answered, and each bot platform's) by
 * source, result and status, without touching the routes: it wraps the server's request listener and reads the
 * status and the JSON body's `status` field (`queued`, `duplicate`, `ignored`) as the response is sent.
 */
import type { RequestListener, ServerResponse } from 'node:http';
import type { BatonMetrics, HandoffResult } from './metrics.ts';

/** `/v1/tenants/{tenantId}/handoffs` → generic; `/v1/tenants/{tenantId}/bots/{platform}` → platform. */
export function handoffSource(path: string): string | undefined {
  const parts = path.split('?', 1)[0]!.split('/');
  if (parts.length === 5 && parts[1] === 'v1' && parts[2] === 'tenants' && parts[4] === 'handoffs') return 'generic';
  if (parts.length === 6 && parts[1] === 'v1' && parts[2] === 'tenants' && parts[4] === 'bots') return parts[5];
  return undefined;
}

export function resultOf(status: number, bodyStatus: string | undefined): HandoffResult {
  if (status >= 400) return 'rejected';
  if (status === 202 || bodyStatus === 'queued') return 'accepted';
  if (bodyStatus === 'duplicate') return 'duplicate';
  return 'ignored';
}

/** The answer's `"status":"…"` (webhook answers are small JSON objects; only the first 512 bytes are looked at). */
function bodyStatusOf(head: string): string | undefined {
  return /"status"\s*:\s*"(queued|duplicate|ignored)"/.exec(head)?.[1];
}

export function countHandoffs(listener: RequestListener, metrics: BatonMetrics): RequestListener {
  return (req, res) => {
    const source = req.method === 'POST' ? handoffSource(req.url ?? '') : undefined;
    if (source) {
      let head = '';
      const keep = (chunk: unknown): void => {
        if (head.length >= 512 || chunk === undefined || chunk === null || typeof chunk === 'function') return;
        head += (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')).slice(0, 512 - head.length);
      };
      const write = res.write.bind(res) as (...a: unknown[]) => boolean;
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.write = ((...a: unknown[]) => (keep(a[0]), write(...a))) as typeof res.write;
      res.end = ((...a: unknown[]) => (keep(a[0]), end(...a))) as typeof res.end;
      res.once('finish', () => metrics.handoff(source, resultOf(res.statusCode, bodyStatusOf(head)), res.statusCode));
    }
    listener(req, res);
  };
}
