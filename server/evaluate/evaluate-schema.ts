/**
 * The evaluate request body: the generic handoff event v1's `conversation`, `customer`, `messages` (and the
 * optional `handoff` with the bot's own reason), validated by the published schema's own definitions
 * (schemas/generic-handoff-v1.schema.json). Nothing is stored, so no event `id`, no target, and no
 * `conversation.id` or `customer.email` is needed.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import generic from '../../schemas/generic-handoff-v1.schema.json' with { type: 'json' };
import { describeAjvError } from '../util/ajv-errors.ts';
import type { FieldError } from '../bots/generic/schema.ts';
import type { GenericHandoffV1 } from '../bots/generic/normalize.ts';

export type EvaluateBody = Pick<GenericHandoffV1, 'customer' | 'messages' | 'handoff'> & { conversation?: Partial<GenericHandoffV1['conversation']> };

const p = generic.properties;
const { required: _convRequired, ...conversation } = p.conversation;

export const evaluateRequestSchema = {
  $schema: generic.$schema,
  title: 'Baton evaluate request v1',
  type: 'object',
  required: ['messages'],
  properties: { conversation, customer: p.customer, messages: p.messages, handoff: p.handoff },
};

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv, { mode: 'fast' });
const validate = ajv.compile<EvaluateBody>(evaluateRequestSchema);

export function validateEvaluateBody(body: unknown): { ok: true; value: EvaluateBody } | { ok: false; errors: FieldError[] } {
  if (validate(body)) return { ok: true, value: body };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const e of validate.errors ?? []) {
    const d = describeAjvError(e);
    const key = `${d.field} ${d.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(d);
    if (errors.length >= 20) break;
  }
  return { ok: false, errors };
}
