/**
 * One-shot scripted responses for tests (in the spirit of octokit's fixtures): queue a 429, a 500, a slow
 * answer or a dropped connection for the next matching request, then assert on the recorded calls.
 */
import type { SandboxScript, ScriptedResponse } from './types.ts';

export interface ResponseScript extends SandboxScript {
  /** Removes and returns the first queued response matching this request. */
  take(method: string, path: string): ScriptedResponse | undefined;
}

/** `normalize` maps both the scripted and the requested path before comparing (e.g. Zendesk's optional `.json`). */
export function createResponseScript(normalize: (path: string) => string = (p) => p): ResponseScript {
  const queue: ScriptedResponse[] = [];
  const matches = (r: ScriptedResponse, method: string, path: string): boolean => {
    const m = r.match;
    if (!m) return true;
    if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
    if (m.path instanceof RegExp) return m.path.test(path);
    if (typeof m.path === 'string') return normalize(m.path) === normalize(path);
    return true;
  };
  return {
    next(response) {
      if (response.status !== undefined && (!Number.isInteger(response.status) || response.status < 100 || response.status > 599))
        throw new Error(`script.next: status must be an HTTP status code (got ${String(response.status)})`);
      if (response.status === undefined && !response.drop && !response.passThrough) throw new Error('script.next: give a status, drop: true, or passThrough: true');
      queue.push({ ...response });
    },
    pending: () => queue.length,
    clear() {
      queue.length = 0;
    },
    take(method, path) {
      const i = queue.findIndex((r) => matches(r, method, path));
      return i < 0 ? undefined : queue.splice(i, 1)[0];
    },
  };
}
