/**
 * Admin API for operators: list jobs (e.g. the dead letters), re-play one, and erase a customer's handoffs
 * (GDPR/CCPA). Bearer `adminToken` from the config or BATON_ADMIN_TOKEN; without one configured the API is
 * off (use `baton dead-letters` / `baton erase` on the host).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type Router } from 'express';
import type { Config, TenantConfig } from '../config.ts';
import type { JobState, Store } from '../store/store.ts';
import { sendError } from './errors.ts';
import { jsonContentTypeProblem } from './content-type.ts';
import { parseErasureRequest } from './erasure-request.ts';

const STATES: readonly JobState[] = ['queued', 'running', 'done', 'dead'];

function sameSecret(a: string, b: string): boolean {
  // Hash first so lengths match and the compare stays constant-time.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

const MAX_LIMIT = 500;

export function adminRouter(deps: {
  config: Readonly<Config>;
  store: Store;
  onReplay?: () => void;
  /** The TenantRegistry, so tenants added at run time can be erased too; default the config's file tenants. */
  tenants?: ReadonlyMap<string, TenantConfig>;
}): Router {
  const router = express.Router();
  router.use('/v1/admin', (req, res, next) => {
    const token = deps.config.adminToken;
    if (!token) return sendError(res, 'admin_disabled', 'The admin API is off: set adminToken in the config or BATON_ADMIN_TOKEN');
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !sameSecret(given, token)) return sendError(res, 'unauthorized', 'Admin bearer token missing or wrong');
    next();
  });
  router.get('/v1/admin/jobs', async (req, res) => {
    // A repeated parameter (?state=dead&state=queued) arrives as an array: refuse it rather than ignore it.
    const repeated = ['state', 'limit', 'tenant'].filter((k) => req.query[k] !== undefined && typeof req.query[k] !== 'string');
    if (repeated.length)
      return sendError(res, 'bad_query', `Give ${repeated.join(', ')} at most once`, repeated.map((field) => ({ field, problem: 'given more than once' })));
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    if (state !== undefined && !STATES.includes(state as JobState))
      return sendError(res, 'bad_query', `state must be one of ${STATES.join(', ')}`, [{ field: 'state', problem: 'unknown state' }]);
    const rawLimit = req.query.limit;
    const limit = rawLimit === undefined ? 100 : typeof rawLimit === 'string' && /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT))
      return sendError(res, 'bad_query', `limit must be an integer from 1 to ${MAX_LIMIT}`, [{ field: 'limit', problem: 'not an integer in range' }]);
    const tenantId = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    res.json({ jobs: await deps.store.listJobs({ ...(state ? { state: state as JobState } : {}), ...(tenantId ? { tenantId } : {}), limit }) });
  });
  router.post('/v1/admin/jobs/:handoffId/replay', async (req, res) => {
    if (!(await deps.store.replay(req.params.handoffId, Date.now())))
      return sendError(res, 'not_dead', `No dead-lettered job ${req.params.handoffId}`);
    deps.onReplay?.();
    res.status(202).json({ handoffId: req.params.handoffId, status: 'queued' });
  });
  router.post('/v1/admin/tenants/:tenantId/erasure', express.json({ limit: '16kb' }), async (req, res) => {
    const { tenantId } = req.params;
    if (!(deps.tenants ? deps.tenants.has(tenantId) : deps.config.tenants.some((t) => t.id === tenantId))) return sendError(res, 'not_found', `No tenant ${tenantId} is configured`);
    const contentType = jsonContentTypeProblem(req.get('content-type'));
    if (contentType) return sendError(res, contentType);
    const parsed = parseErasureRequest(req.body);
    if ('problems' in parsed) return sendError(res, 'bad_request', 'Give exactly one of "email" or "customerId"', parsed.problems);
    const deleted = await deps.store.eraseCustomer(tenantId, parsed.who);
    res.json({ tenantId, ...parsed.who, deleted });
  });
  return router;
}
