/**
 * Validates request bodies against Zendesk's official OpenAPI file (test/fixtures/api-specs/, see
 * SOURCES.md there: a byte-for-byte copy kept in the repo, so a clone on its own validates too). The file is OpenAPI 3.0 (`nullable`, `readOnly`, `$ref` into components), so we convert
 * the schemas an operation reaches into JSON Schema for ajv. We never validate the spec document itself: it
 * has two known meta-schema errors upstream (SOURCES.md, "Known problems").
 *
 * Parsing the 1.6 MB YAML takes most of a second, so the parsed spec and compiled validators are cached per
 * file for the life of the process (tests start many sandboxes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import type { ValidationIssue } from './types.ts';

/** Where the spec lives when nothing else is configured: `<repo>/test/fixtures/api-specs/` (tracked in git). */
export const DEFAULT_ZENDESK_SPEC_PATH = fileURLToPath(new URL('../../test/fixtures/api-specs/zendesk-support-oas.yaml', import.meta.url));

/**
 * The spec could not be loaded. Thrown, never swallowed: a sandbox that silently skipped validation would let
 * "every request matched the spec" pass with nothing checked.
 */
export class ZendeskSpecUnavailableError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      `Zendesk sandbox: cannot validate requests, ${reason}. The spec ships in the repo at ` +
        `test/fixtures/api-specs/zendesk-support-oas.yaml; restore it, or point BATON_ZENDESK_SPEC at a copy`,
    );
    this.name = 'ZendeskSpecUnavailableError';
  }
}

export type Direction = 'request' | 'response';

export interface ZendeskSpecValidator {
  path: string;
  /** Validates a request body against the operation's `requestBody` schema (application/json). */
  validateRequestBody(operationId: string, body: unknown): ValidationIssue[];
  /** Validates a value against `components.schemas.<name>`, e.g. to check the sandbox's own responses. */
  validateSchema(name: string, value: unknown, direction: Direction): ValidationIssue[];
}

export type SpecLoadResult = { ok: true; validator: ZendeskSpecValidator } | { ok: false; reason: string };

type Json = Record<string, unknown>;
type Spec = { paths?: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json> } };

const cache = new Map<string, SpecLoadResult>();

/** Resolution order: explicit option, env BATON_ZENDESK_SPEC, the copy in test/fixtures/api-specs/. */
export function resolveZendeskSpecPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.BATON_ZENDESK_SPEC || DEFAULT_ZENDESK_SPEC_PATH;
}

/** Loads (once per path per process) and returns the validator, or why it is unavailable. */
export function loadZendeskSpecValidator(path: string): SpecLoadResult {
  const cached = cache.get(path);
  if (cached) return cached;
  let result: SpecLoadResult;
  if (!existsSync(path)) {
    result = { ok: false, reason: `spec file not found: ${path}` };
  } else {
    try {
      const spec = YAML.parse(readFileSync(path, 'utf8')) as Spec;
      if (!spec?.components?.schemas || !spec.paths) throw new Error('no paths or components.schemas');
      result = { ok: true, validator: buildValidator(path, spec) };
    } catch (err) {
      result = { ok: false, reason: `cannot read spec ${path}: ${(err as Error).message}` };
    }
  }
  cache.set(path, result);
  return result;
}

/** The validator for `path`, or a ZendeskSpecUnavailableError naming the file and why. */
export function requireZendeskSpecValidator(path: string): ZendeskSpecValidator {
  const loaded = loadZendeskSpecValidator(path);
  if (!loaded.ok) throw new ZendeskSpecUnavailableError(path, loaded.reason);
  return loaded.validator;
}

// ---------------------------------------------------------------------------------------------------------

const REF_PREFIX = '#/components/schemas/';
/** Keywords with no meaning for validation (or with a different one in ajv, like `discriminator`). */
const DROP = new Set(['example', 'examples', 'description', 'xml', 'externalDocs', 'deprecated', 'discriminator', 'nullable', 'readOnly', 'writeOnly', 'title']);
const READ_ONLY_KEYWORD = 'x-sandbox-read-only';
const WRITE_ONLY_KEYWORD = 'x-sandbox-write-only';

/**
 * OpenAPI 3.0 schema -> JSON Schema (draft-07) for one direction:
 * - `nullable: true` adds `null` to `type` (and to `enum`), or wraps a typeless schema in anyOf [.., null];
 * - `$ref` siblings are ignored, as OpenAPI 3.0 says;
 * - properties marked readOnly must not appear in requests, writeOnly ones not in responses.
 */
function convert(schema: unknown, direction: Direction, refs: Set<string>): unknown {
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

function buildValidator(path: string, spec: Spec): ZendeskSpecValidator {
  const components = spec.components?.schemas ?? {};
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: READ_ONLY_KEYWORD, errors: true, validate: () => false });
  ajv.addKeyword({ keyword: WRITE_ONLY_KEYWORD, errors: true, validate: () => false });

  const compiled = new Map<string, ValidateFunction>();

  /** Compiles components.schemas[name] with every schema it reaches as definitions. */
  function compile(name: string, direction: Direction): ValidateFunction {
    const key = `${direction}:${name}`;
    const hit = compiled.get(key);
    if (hit) return hit;
    if (!components[name]) throw new Error(`components.schemas.${name} is not in ${path}`);
    const definitions: Json = {};
    const queue = [name];
    const seen = new Set<string>();
    while (queue.length) {
      const n = queue.shift() as string;
      if (seen.has(n)) continue;
      seen.add(n);
      const refs = new Set<string>();
      definitions[encodeURIComponent(n)] = components[n] ? convert(components[n], direction, refs) : {};
      for (const r of refs) if (!seen.has(r)) queue.push(r);
    }
    const fn = ajv.compile({ definitions, $ref: `#/definitions/${encodeURIComponent(name)}` });
    compiled.set(key, fn);
    return fn;
  }

  function requestSchemaName(operationId: string): string {
    for (const item of Object.values(spec.paths ?? {})) {
      for (const op of Object.values(item ?? {})) {
        if (!op || typeof op !== 'object' || (op as Json).operationId !== operationId) continue;
        const schema = ((op as Json).requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
        const ref = (schema?.['application/json']?.schema as Json | undefined)?.$ref;
        if (typeof ref === 'string' && ref.startsWith(REF_PREFIX)) return ref.slice(REF_PREFIX.length);
        throw new Error(`operation ${operationId} has no application/json requestBody $ref`);
      }
    }
    throw new Error(`operation ${operationId} is not in ${path}`);
  }

  const requestNames = new Map<string, string>();

  return {
    path,
    validateRequestBody(operationId, body) {
      let name = requestNames.get(operationId);
      if (!name) requestNames.set(operationId, (name = requestSchemaName(operationId)));
      const fn = compile(name, 'request');
      return fn(body) ? [] : describeErrors(fn.errors ?? []);
    },
    validateSchema(name, value, direction) {
      const fn = compile(name, direction);
      return fn(value) ? [] : describeErrors(fn.errors ?? []);
    },
  };
}

function dotted(instancePath: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(body)';
}

/** Turns ajv errors into one readable issue per path (a failed oneOf is reported once, not per branch). */
function describeErrors(errors: ErrorObject[]): ValidationIssue[] {
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
