/**
 * AppClient: Baton's typed face of the ZAF client. Only this file touches the raw SDK object, so the
 * app (and its tests, which pass a fake RawZafClient) never depend on the SDK's untyped API.
 */
import type { RawZafClient, ZafGetResult, ZafRegistration, ZafRequestOptions, ZafXhrLike } from './types.ts';

export interface HttpResult {
  /** 0 when the proxy could not reach the server at all. */
  status: number;
  body: unknown;
}

export interface AppClient {
  onRegistered(handler: (reg: ZafRegistration) => void): void;
  on(event: string, handler: (data: unknown) => void): void;
  /** Reads several paths at once; a failing path yields undefined instead of rejecting. */
  get(paths: string[]): Promise<Record<string, unknown>>;
  invoke(name: string, ...args: unknown[]): Promise<void>;
  /** Resolves for every HTTP status (never rejects for 4xx/5xx); rejects only on SDK failures. */
  request(options: ZafRequestOptions): Promise<HttpResult>;
  resize(heightPx: number): void;
}

function parseBody(x: ZafXhrLike | undefined): unknown {
  if (!x) return undefined;
  if (x.responseJSON !== undefined) return x.responseJSON;
  if (typeof x.responseText === 'string' && x.responseText !== '') {
    try {
      return JSON.parse(x.responseText);
    } catch {
      return x.responseText;
    }
  }
  return undefined;
}

function isXhrLike(v: unknown): v is ZafXhrLike {
  return typeof v === 'object' && v !== null && ('status' in v || 'responseText' in v || 'responseJSON' in v);
}

export function wrapClient(raw: RawZafClient): AppClient {
  let lastHeight = -1;
  return {
    onRegistered(handler) {
      raw.on('app.registered', (data: ZafRegistration) => handler(data));
    },
    on(event, handler) {
      raw.on(event, handler);
    },
    async get(paths) {
      const res: ZafGetResult = await raw.get(paths);
      const out: Record<string, unknown> = {};
      for (const p of paths) if (!res.errors?.[p]) out[p] = res[p];
      return out;
    },
    async invoke(name, ...args) {
      await raw.invoke(name, ...args);
    },
    async request(options) {
      try {
        const data = await raw.request({ ...options, httpCompleteResponse: true });
        if (isXhrLike(data)) return { status: data.status ?? 200, body: parseBody(data) };
        return { status: 200, body: data };
      } catch (err) {
        if (isXhrLike(err)) return { status: err.status ?? 0, body: parseBody(err) };
        throw err;
      }
    },
    resize(heightPx) {
      const h = Math.max(40, Math.ceil(heightPx));
      if (h === lastHeight) return;
      lastHeight = h;
      void raw.invoke('resize', { width: '100%', height: `${h}px` }).catch(() => undefined);
    },
  };
}
