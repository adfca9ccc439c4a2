/**
 * The admin bearer check (the same rule as server/http/admin-routes.ts) for routes outside that router:
 * 404 admin_disabled without an admin token, 401 on a missing or wrong one; constant-time compare of hashes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from '../http/errors.ts';

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function requireAdminBearer(adminToken: () => string | undefined): RequestHandler {
  return (req, res, next) => {
    const token = adminToken();
    if (!token) return sendError(res, 'admin_disabled');
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !sameSecret(given, token)) return sendError(res, 'unauthorized');
    next();
  };
}
