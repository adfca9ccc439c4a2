/** The body of an erasure request: exactly one of `{ "email" }` or `{ "customerId" }`, each a non-empty string. */
import type { CustomerSelector } from '../store/deletions.ts';
import type { ErrorDetail } from './errors.ts';

const MAX_LENGTH = 320;

export function parseErasureRequest(body: unknown): { who: CustomerSelector } | { problems: ErrorDetail[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: [{ field: '(body)', problem: 'must be a JSON object' }] };
  const o = body as Record<string, unknown>;
  const problems: ErrorDetail[] = Object.keys(o)
    .filter((k) => k !== 'email' && k !== 'customerId')
    .map((field) => ({ field, problem: 'unknown field' }));
  for (const field of ['email', 'customerId'] as const) {
    const v = o[field];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !v.trim()) problems.push({ field, problem: 'must be a non-empty string' });
    else if (v.length > MAX_LENGTH) problems.push({ field, problem: `must be at most ${MAX_LENGTH} characters` });
    else if (field === 'email' && !/^[^@\s]+@[^@\s]+$/.test(v.trim())) problems.push({ field, problem: 'must be an email address' });
  }
  if (o.email !== undefined && o.customerId !== undefined) problems.push({ field: 'customerId', problem: 'give either email or customerId, not both' });
  if (o.email === undefined && o.customerId === undefined) problems.push({ field: 'email', problem: 'give email or customerId' });
  if (problems.length) return { problems };
  return { who: typeof o.email === 'string' ? { email: o.email } : { customerId: o.customerId as string } };
}
