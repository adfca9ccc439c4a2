/** Turns ajv errors into `{ field, problem }` with dotted paths people can act on. */
import type { ErrorObject } from 'ajv';

/** `/tenants/0/zendesk` + missing `email` -> `tenants[0].zendesk.email`. */
export function jsonPointerToPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

export function describeAjvError(e: ErrorObject): { field: string; problem: string } {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return { field: jsonPointerToPath(e.instancePath, String(p.missingProperty)), problem: 'is required' };
  if (e.keyword === 'additionalProperties')
    return { field: jsonPointerToPath(e.instancePath, String(p.additionalProperty)), problem: 'is not a known key' };
  if (e.keyword === 'enum')
    return { field: jsonPointerToPath(e.instancePath) || '(root)', problem: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
  return { field: jsonPointerToPath(e.instancePath) || '(root)', problem: e.message ?? 'is invalid' };
}
