/**
 * Admin API for tenants at run time (issue 13), behind the admin bearer token like admin-routes.ts:
 *
 *   POST   /v1/admin/tenants                     → 201 {id, webhookSecret, appSecret} (secrets shown this once)
 *   GET    /v1/admin/tenants                     → 200 {tenants: [summary…]} (no secrets)
 *   GET    /v1/admin/tenants/:id                 → 200 {tenant: summary, webhooks: [{platform, url, auth, curl}]}
 *   PATCH  /v1/admin/tenants/:id                 → 200 {tenant: summary}
 *   DELETE /v1/admin/tenants/:id                 → 204 (its webhooks get 401 from then on)
 *   POST   /v1/admin/tenants/:id/rotate-secret   {which: "webhook"|"app", keepPrevious?} → 200 {id, webhookSecret|appSecret}
 *
 * Tenants declared in BATON_CONFIG are listed but read-only here (409 tenant_read_only).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Config } from '../config.ts';
import { TENANT_ID_PATTERN, TenantError, type TenantRegistry } from '../tenants/tenant-registry.ts';
import { webhookSetup } from '../tenants/webhook-setup.ts';
import { findTooDeep } from './json-depth.ts';
import { requireJsonBody } from './content-type.ts';
import { sendError, type ErrorCode } from './errors.ts';

/** A tenant document is small; a bigger body is refused with 413 before parsing. */
const MAX_TENANT_BODY = '64kb';

const ERROR_OF: Record<TenantError['kind'], ErrorCode> = {
  invalid: 'invalid_tenant',
  exists: 'tenant_exists',
  not_found: 'tenant_not_found',
  read_only: 'tenant_read_only',
  conflict: 'tenant_conflict',
  no_master_key: 'no_master_key',
};

function sameSecret(a: string, b: string): boolean {
  // Hash first so lengths match and the compare stays constant-time.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export interface AdminTenantsDeps {
  config: Pick<Readonly<Config>, 'adminToken'>;
  tenants: TenantRegistry;
  /** BATON_PUBLIC_URL: the base of the webhook URLs shown; default the request's own origin. */
  publicUrl?: string;
}

export function adminTenantsRouter(deps: AdminTenantsDeps): Router {
  const { tenants } = deps;
  const router = express.Router();
  router.use('/v1/admin/tenants', (req: Request, res: Response, next: NextFunction) => {
    const token = deps.config.adminToken;
    if (!token) return sendError(res, 'admin_disabled');
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !sameSecret(given, token)) return sendError(res, 'unauthorized');
    next();
  });
  const json = [requireJsonBody, express.json({ limit: MAX_TENANT_BODY, type: () => true })];
  /** 400 for a body that is not a JSON object or nests absurdly deep; true when the route may go on. */
  const objectBody = (req: Request, res: Response): req is Request & { body: Record<string, unknown> } => {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      sendError(res, 'invalid_tenant', 'The body must be a JSON object');
      return false;
    }
    const deep = findTooDeep(req.body);
    if (deep !== undefined) {
      sendError(res, 'invalid_tenant', 'The body nests too deep', [{ field: deep, problem: 'nested too deep' }]);
      return false;
    }
    return true;
  };
  const knownId = (req: Request<{ id: string }>, res: Response): boolean => {
    if (!TENANT_ID_PATTERN.test(req.params.id) && !tenants.has(req.params.id)) {
      sendError(res, 'tenant_not_found', `No tenant ${JSON.stringify(req.params.id.slice(0, 80))}`);
      return false;
    }
    return true;
  };
  const fail = (res: Response, err: unknown): void => {
    if (err instanceof TenantError) return sendError(res, ERROR_OF[err.kind], err.message, err.details);
    throw err;
  };
  const origin = (req: Request): string => deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  router.post('/v1/admin/tenants', ...json, async (req: Request, res: Response) => {
    if (!objectBody(req, res)) return;
    try {
      const { tenant, secrets } = await tenants.create(req.body as { id: string });
      res.status(201).json({ id: tenant.id, webhookSecret: secrets.webhookSecret, appSecret: secrets.appSecret });
    } catch (err) {
      fail(res, err);
    }
  });
  router.get('/v1/admin/tenants', (_req, res) => {
    res.json({ tenants: tenants.list() });
  });
  router.get('/v1/admin/tenants/:id', (req: Request<{ id: string }>, res: Response) => {
    const tenant = knownId(req, res) ? tenants.get(req.params.id) : undefined;
    if (res.headersSent) return;
    if (!tenant) return sendError(res, 'tenant_not_found', `No tenant ${req.params.id}`);
    res.json({ tenant: tenants.summary(tenant.id), webhooks: webhookSetup(tenant, origin(req)) });
  });
  router.patch('/v1/admin/tenants/:id', ...json, async (req: Request<{ id: string }>, res: Response) => {
    if (!knownId(req, res) || !objectBody(req, res)) return;
    try {
      await tenants.update(req.params.id, req.body as Record<string, unknown>);
      res.json({ tenant: tenants.summary(req.params.id) });
    } catch (err) {
      fail(res, err);
    }
  });
  router.delete('/v1/admin/tenants/:id', async (req: Request<{ id: string }>, res: Response) => {
    if (!knownId(req, res)) return;
    try {
      if (!(await tenants.remove(req.params.id))) return sendError(res, 'tenant_not_found', `No tenant ${req.params.id}`);
      res.status(204).end();
    } catch (err) {
      fail(res, err);
    }
  });
  router.post('/v1/admin/tenants/:id/rotate-secret', ...json, async (req: Request<{ id: string }>, res: Response) => {
    if (!knownId(req, res) || !objectBody(req, res)) return;
    const { which, keepPrevious } = req.body as { which?: unknown; keepPrevious?: unknown };
    const problems = [
      ...(which === 'webhook' || which === 'app' ? [] : [{ field: 'which', problem: 'must be "webhook" or "app"' }]),
      ...(keepPrevious === undefined || typeof keepPrevious === 'boolean' ? [] : [{ field: 'keepPrevious', problem: 'must be a boolean' }]),
      ...(keepPrevious === true && which === 'app' ? [{ field: 'keepPrevious', problem: 'applies to the webhook secret only' }] : []),
    ];
    if (problems.length) return sendError(res, 'invalid_tenant', 'Give {"which": "webhook" | "app", "keepPrevious"?: boolean}', problems);
    try {
      const secret = await tenants.rotateSecret(req.params.id, which as 'webhook' | 'app', { keepPrevious: keepPrevious === true });
      res.json({ id: req.params.id, [which === 'webhook' ? 'webhookSecret' : 'appSecret']: secret });
    } catch (err) {
      fail(res, err);
    }
  });
  return router;
}
