/**
 * The admin API for a tenant's alerts (admin bearer token):
 *
 *   PUT    /v1/admin/tenants/:tenantId/alerts       {url, format?, minIntervalMinutes?} → 204 (stored encrypted with the tenant)
 *   DELETE /v1/admin/tenants/:tenantId/alerts       → 204
 *   POST   /v1/admin/tenants/:tenantId/alerts/test  → 200 {delivered: true, status} | 502 alert_delivery_failed
 *
 * The URL is never echoed back (it is a secret). Errors: 404 unknown tenant, 409 no destination / file tenant,
 * 400 bad body, 502 when the destination refuses or cannot be reached.
 */
import express, { type Router } from 'express';
import type { TenantRegistry } from '../tenants/tenant-registry.ts';
import { TenantError } from '../tenants/tenant-registry.ts';
import { requireAdminBearer } from '../connect/admin-bearer.ts';
import { sendError } from '../http/errors.ts';
import { ALERT_FORMATS, alertUrlProblem } from './alert-config.ts';
import type { Alerter } from './alerter.ts';

export interface AlertRouterDeps {
  adminToken(): string | undefined;
  tenants: Pick<TenantRegistry, 'get' | 'update'>;
  alerter: Pick<Alerter, 'sendNow'>;
}

const TENANT_ERRORS = { invalid: 'invalid_tenant', exists: 'tenant_exists', not_found: 'tenant_not_found', read_only: 'tenant_read_only', conflict: 'tenant_conflict', no_master_key: 'no_master_key' } as const;

export function alertRouter(deps: AlertRouterDeps): Router {
  const router = express.Router();
  const admin = requireAdminBearer(deps.adminToken);
  const base = '/v1/admin/tenants/:tenantId/alerts';

  router.put(base, admin, express.json({ limit: '4kb' }), async (req, res) => {
    const tenantId = String(req.params.tenantId);
    if (!deps.tenants.get(tenantId)) return sendError(res, 'tenant_not_found', `No tenant ${tenantId}`);
    const b = req.body as Record<string, unknown> | undefined;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return sendError(res, 'invalid_body', 'Send a JSON object {url, format?, minIntervalMinutes?}');
    const unknown = Object.keys(b).filter((k) => !['url', 'format', 'minIntervalMinutes'].includes(k));
    if (unknown.length) return sendError(res, 'invalid_body', `Unknown field(s): ${unknown.join(', ')}`);
    const problem = typeof b.url !== 'string' ? 'is required' : alertUrlProblem(b.url);
    if (problem) return sendError(res, 'invalid_body', `"url" ${problem}`);
    if (b.format !== undefined && !(ALERT_FORMATS as readonly unknown[]).includes(b.format)) return sendError(res, 'invalid_body', `"format" must be one of ${ALERT_FORMATS.join(', ')}`);
    if (b.minIntervalMinutes !== undefined && !(Number.isInteger(b.minIntervalMinutes) && (b.minIntervalMinutes as number) >= 1 && (b.minIntervalMinutes as number) <= 1440))
      return sendError(res, 'invalid_body', '"minIntervalMinutes" must be an integer from 1 to 1440');
    try {
      await deps.tenants.update(tenantId, { alerts: b });
    } catch (err) {
      if (err instanceof TenantError) return sendError(res, TENANT_ERRORS[err.kind], err.message);
      throw err;
    }
    res.status(204).end();
  });

  router.delete(base, admin, async (req, res) => {
    const tenantId = String(req.params.tenantId);
    if (!deps.tenants.get(tenantId)) return sendError(res, 'tenant_not_found', `No tenant ${tenantId}`);
    try {
      await deps.tenants.update(tenantId, { alerts: null });
    } catch (err) {
      if (err instanceof TenantError) return sendError(res, TENANT_ERRORS[err.kind], err.message);
      throw err;
    }
    res.status(204).end();
  });

  router.post(`${base}/test`, admin, async (req, res) => {
    const tenantId = String(req.params.tenantId);
    const tenant = deps.tenants.get(tenantId);
    if (!tenant) return sendError(res, 'tenant_not_found', `No tenant ${tenantId}`);
    if (!tenant.alerts) return sendError(res, 'alerts_not_configured', `Tenant ${tenantId} has no alert destination: PUT ${req.baseUrl}/v1/admin/tenants/${tenantId}/alerts first`);
    const outcome = await deps.alerter.sendNow({ tenantId, kind: 'test', message: 'This is a test alert from Baton: alerts for this tenant arrive here.' });
    if (!outcome.delivered) return sendError(res, 'alert_delivery_failed', outcome.error ?? 'The alert destination did not accept the message');
    res.status(200).json({ delivered: true, status: outcome.status });
  });

  return router;
}
