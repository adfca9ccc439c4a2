/**
 * Times each helpdesk request for metrics (HelpdeskContext.requestDone): from when it leaves (after its rate-limit
 * slot) to its response or failure. Axios hands a request's config object to its response, so it keys the start.
 */
import { isAxiosError, type InternalAxiosRequestConfig } from 'axios';
import type { HelpdeskContext } from './helpdesk-module.ts';

const started = new WeakMap<object, number>();

/** Call in the request interceptor, after the slot was acquired. */
export function markSent(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  started.set(config, performance.now());
  return config;
}

/** Call in both response interceptors with the response's config (or the error's) and status (0: none). */
export function reportDone(ctx: Pick<HelpdeskContext, 'requestDone'>, config: object | undefined, status: number): void {
  const t0 = config ? started.get(config) : undefined;
  if (t0 === undefined || !ctx.requestDone) return;
  ctx.requestDone(status, performance.now() - t0);
}

/** The status of a failed request, 0 when no response came (network error, time-out). */
export function statusOfError(err: unknown): number {
  return isAxiosError(err) ? (err.response?.status ?? 0) : 0;
}

/** The config of a failed request, if axios made one. */
export function configOfError(err: unknown): object | undefined {
  return isAxiosError(err) ? err.config : undefined;
}
