/**
 * OpenAPI 3.0 schemas as JSON Schema for ajv, and ajv errors as readable issues: shared by every sandbox's
 * request validator (sandbox/zendesk/spec-validator.ts, sandbox/kit/openapi-spec.ts).
 */
import type { ErrorObject } from 'ajv';
import type { ValidationIssue } from './types.ts';

type Json = Record<string, unknown>;
export type Direction = 'request' | 'response';

export const REF_PREFIX = '#/components/schemas/';
/** Keywords with no meaning for validation (or with a different one in ajv, like `discriminator`). */
const DROP = new Set(['example', 'examples', 'description', 'xml', 'externalDocs', 'deprecated', 'discriminator', 'nullable', 'readOnly', 'writeOnly', 'title']);
export const READ_ONLY_KEYWORD = 'x-sandbox-read-only';
export const WRITE_ONLY_KEYWORD = 'x-sandbox-write-only';

/**
 * OpenAPI 3.0 schema -> JSON Schema (draft-07) for one direction:
 * - `nullable: true` adds `null` to `type` (and to `enum`), or wraps a typeless schema in anyOf [.., null];
 * - `$ref` siblings are ignored, as OpenAPI 3.0 says;
 * - properties marked readOnly must not appear in requests, writeOnly ones not in responses.
 */
export function convert(schema: unknown, direction: Direction, refs: Set<string>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, direction, refs));
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Json;
  if (typeof s.$ref === 'string') {
    const ref = s.$ref;
    if (!ref.startsWith(REF_PREFIX)) return {};
    const name = ref.slice(REF_PREFIX.length);
    refs.add(name);
    return { $ref: `#/definitions/${encodeURIComponent(name)}` };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (DROP.has(k)) continue;
    if (k === 'properties' && v && typeof v === 'object') {
      const props: Json = {};
      for (const [name, sub] of Object.entries(v as Json)) {
        const subJson = (sub ?? {}) as Json;
        if (direction === 'request' && subJson.readOnly === true) props[name] = { [READ_ONLY_KEYWORD]: true };
        else if (direction === 'response' && subJson.writeOnly === true) props[name] = { [WRITE_ONLY_KEYWORD]: true };
        else props[name] = convert(sub, direction, refs);
      }
      out.properties = props;
    } else if (k === 'required' && !Array.isArray(v)) {
      continue; // `required: true` on a property is an OpenAPI 2 habit; not a JSON Schema keyword.
    } else if (['items', 'additionalProperties', 'not'].includes(k) || ['allOf', 'anyOf', 'oneOf'].includes(k)) {
      out[k] = convert(v, direction, refs);
    } else {
      out[k] = v;
    }
  }
  if (s.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.type === undefined) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function dotted(instancePath: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(body)';
}

/** Turns ajv errors into one readable issue per path (a failed oneOf is reported once, not per branch). */
export function describeErrors(errors: ErrorObject[]): ValidationIssue[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // Branch errors of a failed oneOf/anyOf at the same or an inner path are noise next to the oneOf error.
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && [...oneOfPaths].some((p) => e.instancePath.startsWith(p) && /\/(oneOf|anyOf)\//.test(e.schemaPath))) continue;
    const p = e.params as Record<string, unknown>;
    let path = dotted(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'enum':
        message = `must be one of ${(p.allowedValues as unknown[]).map((v) => (v === null ? 'null' : String(v))).join(', ')}`;
        break;
      case 'type':
        message = `must be ${Array.isArray(p.type) ? (p.type as string[]).join(' or ') : String(p.type)}`;
        break;
      case 'required':
        path = dotted(`${e.instancePath}/${String(p.missingProperty)}`);
        message = 'is required';
        break;
      case 'oneOf':
      case 'anyOf': {
        const inner = errors
          .filter((x) => x !== e && x.instancePath.startsWith(e.instancePath) && x.instancePath !== e.instancePath && x.keyword !== 'oneOf' && x.keyword !== 'anyOf')
          .map((x) => `${dotted(x.instancePath)} ${x.message ?? 'is invalid'}`);
        message = `does not match any of the allowed shapes${inner.length ? ` (${[...new Set(inner)].slice(0, 3).join('; ')})` : ''}`;
        break;
      }
      case READ_ONLY_KEYWORD:
        message = 'is read-only and cannot be sent';
        break;
      case WRITE_ONLY_KEYWORD:
        message = 'is write-only and must not be returned';
        break;
      default:
        message = e.message ?? 'is invalid';
    }
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message, keyword: e.keyword });
  }
  return issues;
}
