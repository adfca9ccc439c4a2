/**
 * Intercom's error body: `{"type":"error.list","request_id":…,"errors":[{"code","message","field"?}]}`
 * (components.schemas.error in the 2.16 spec; codes `unauthorized`, `not_found`, `parameter_invalid` appear
 * in its examples). Codes the sandbox uses beyond those (`intercom_version_invalid`, `rate_limit_exceeded`,
 * `admin_not_found`, `method_not_allowed`, `server_error`) are not confirmed by a source.
 */
import { randomUUID } from 'node:crypto';
import type { KitResponse } from '../kit/create-spec-router.ts';

export function intercomError(status: number, code: string, message: string, field?: string): KitResponse {
  return { status, body: { type: 'error.list', request_id: randomUUID(), errors: [{ code, message, ...(field ? { field } : {}) }] } };
}
