/**
 * One HelpdeskContext per account (`<helpdesk>:<tenantId>`): the writer the worker makes for that account and a
 * bot adapter's transcript fetch from the same platform share its rate-limit budget, time-out and logger.
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../config.ts';
import type { HelpdeskContext } from '../helpdesks/helpdesk-module.ts';
import { accountKey, type RateBudget } from './rate-budget.ts';
import type { BatonMetrics } from '../metrics/metrics.ts';

export type ContextFor = (helpdesk: string, tenant: TenantConfig) => HelpdeskContext;

export function createContextFor(opts: { limiter: RateBudget; timeoutMs: number; logger: Logger; metrics?: BatonMetrics }): ContextFor {
  const contexts = new Map<string, HelpdeskContext>();
  return (helpdesk, tenant) => {
    const key = accountKey(helpdesk, tenant.id);
    let ctx = contexts.get(key);
    if (!ctx) {
      const { limiter, metrics } = opts;
      ctx = {
        tenantId: tenant.id,
        accountKey: key,
        acquire: () => limiter.acquire(key),
        observe: (reading) => limiter.observe(key, reading),
        timeoutMs: opts.timeoutMs,
        ...(metrics ? { requestDone: (status: number, ms: number) => metrics.helpdeskRequest(helpdesk, status, ms) } : {}),
        logger: opts.logger.child({ tenantId: tenant.id, helpdesk }),
      };
      contexts.set(key, ctx);
    }
    return ctx;
  };
}
