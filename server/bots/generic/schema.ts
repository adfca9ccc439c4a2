/** Validates a generic handoff body against the published JSON Schema; errors name each field and why. */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../../schemas/generic-handoff-v1.schema.json' with { type: 'json' };
import { describeAjvError } from '../../util/ajv-errors.ts';
import type { GenericHandoffV1 } from './normalize.ts';

export interface FieldError {
  field: string;
  problem: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
// 'fast' format checks: RFC-shaped regexes without the full URI grammar, plenty for a webhook body.
addFormats.default(ajv, { mode: 'fast' });
const validate = ajv.compile<GenericHandoffV1>(schema);

export function validateGenericHandoff(body: unknown): { ok: true; value: GenericHandoffV1 } | { ok: false; errors: FieldError[] } {
  if (validate(body)) return { ok: true, value: body };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const e of validate.errors ?? []) {
    // `if/then` adds a summary error on top of the specific one; the specific one is enough.
    if (e.keyword === 'if') continue;
    const d = describeAjvError(e);
    const key = `${d.field} ${d.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(d);
  }
  return { ok: false, errors };
}
