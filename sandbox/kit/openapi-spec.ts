/**
 * An OpenAPI 3.0 file as a sandbox needs it: which operation (operationId) a method + path calls, with its
 * path parameters, and whether a request breaks the operation's parameters (required, schema) or its
 * `application/json` request body. Schemas are converted for ajv by openapi-schema.ts; the spec document
 * itself is never validated (upstream files carry known meta-schema errors).
 *
 * Parsing a 1–2 MB YAML file takes most of a second, so each file is parsed and compiled once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { convert, describeErrors, READ_ONLY_KEYWORD, REF_PREFIX, WRITE_ONLY_KEYWORD, type Direction } from './openapi-schema.ts';
import type { ValidationIssue } from './types.ts';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema?: Json;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. `/conversations/{conversation_id}`. */
  template: string;
  parameters: SpecParameter[];
  /** The `application/json` request body schema, when the operation takes one. */
  requestBody?: { required: boolean; schema: Json };
  /** False when the operation (or the document) declares `security: []`. */
  secured: boolean;
}

export type OperationMatch =
  | { kind: 'operation'; operation: SpecOperation; params: Record<string, string> }
  /** The path exists in the spec, but not with this method. */
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'unknown-path' };

export interface RequestParts {
  params: Record<string, string>;
  query: Record<string, string>;
  /** Names lowercased. */
  headers: Record<string, string>;
  body: unknown;
}

export interface OpenApiSpec {
  path: string;
  operations: ReadonlyMap<string, SpecOperation>;
  match(method: string, path: string): OperationMatch;
  /** Issues with the operation's parameters (required, schema) and its JSON body; [] when it conforms. */
  validateRequest(operation: SpecOperation, request: RequestParts): ValidationIssue[];
  /** Issues with a JSON body against the operation's request body schema only. */
  validateBody(operationId: string, body: unknown): ValidationIssue[];
  /** Validates a value against `components.schemas.<name>`, e.g. a sandbox's own responses. */
  validateSchema(name: string, value: unknown, direction: Direction): ValidationIssue[];
}

/** The spec file could not be loaded; thrown, never swallowed (a sandbox that skipped validation would pass anything). */
export class SpecUnavailableError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`sandbox: cannot validate requests, ${reason}`);
    this.name = 'SpecUnavailableError';
  }
}

const cache = new Map<string, OpenApiSpec>();

export function loadOpenApiSpec(path: string): OpenApiSpec {
  const hit = cache.get(path);
  if (hit) return hit;
  if (!existsSync(path)) throw new SpecUnavailableError(path, `spec file not found: ${path}`);
  let doc: Json;
  try {
    doc = YAML.parse(readFileSync(path, 'utf8')) as Json;
  } catch (err) {
    throw new SpecUnavailableError(path, `cannot read spec ${path}: ${(err as Error).message}`);
  }
  if (!doc || typeof doc.paths !== 'object' || !doc.paths || !(doc.components as Json | undefined)?.schemas) throw new SpecUnavailableError(path, `cannot read spec ${path}: no paths or components.schemas`);
  const spec = buildSpec(path, doc);
  cache.set(path, spec);
  return spec;
}

interface Route {
  segments: string[];
  literals: number;
  byMethod: Map<string, SpecOperation>;
}

function resolveRef<T>(doc: Json, value: unknown): T {
  const ref = (value as Json | undefined)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return value as T;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) node = (node as Json | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  return node as T;
}

function buildSpec(path: string, doc: Json): OpenApiSpec {
  const components = ((doc.components as Json).schemas ?? {}) as Record<string, Json>;
  const docSecured = Array.isArray(doc.security) ? (doc.security as unknown[]).length > 0 : false;
  const operations = new Map<string, SpecOperation>();
  const routes: Route[] = [];
  for (const [template, itemRaw] of Object.entries(doc.paths as Record<string, Json>)) {
    const item = resolveRef<Json>(doc, itemRaw) ?? {};
    const shared = ((item.parameters as unknown[]) ?? []).map((p) => resolveRef<Json>(doc, p));
    const segments = template.split('/').slice(1);
    const route: Route = { segments, literals: segments.filter((s) => !s.startsWith('{')).length, byMethod: new Map() };
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op || typeof op.operationId !== 'string') continue;
      const own = ((op.parameters as unknown[]) ?? []).map((p) => resolveRef<Json>(doc, p));
      const byKey = new Map<string, SpecParameter>();
      for (const p of [...shared, ...own]) {
        if (!p || typeof p.name !== 'string') continue;
        byKey.set(`${String(p.in)}:${p.name.toLowerCase()}`, { name: p.name, in: p.in as SpecParameter['in'], required: p.required === true || p.in === 'path', ...(p.schema ? { schema: p.schema as Json } : {}) });
      }
      const body = resolveRef<Json | undefined>(doc, op.requestBody);
      const jsonSchema = ((body?.content as Record<string, Json> | undefined)?.['application/json']?.schema ?? undefined) as Json | undefined;
      const operation: SpecOperation = {
        operationId: op.operationId,
        method: method.toUpperCase(),
        template,
        parameters: [...byKey.values()],
        ...(jsonSchema ? { requestBody: { required: body?.required === true, schema: jsonSchema } } : {}),
        secured: Array.isArray(op.security) ? (op.security as unknown[]).length > 0 : docSecured,
      };
      operations.set(operation.operationId, operation);
      route.byMethod.set(operation.method, operation);
    }
    if (route.byMethod.size) routes.push(route);
  }
  // Literal segments win over parameters (`/conversations/search` before `/conversations/{id}`).
  routes.sort((a, b) => b.literals - a.literals);

  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  // Formats some specs use that are not JSON Schema's (Intercom: `timestamp`, Unix seconds as an integer).
  for (const f of ['timestamp', 'int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) if (!ajv.formats[f]) ajv.addFormat(f, true);
  ajv.addKeyword({ keyword: READ_ONLY_KEYWORD, errors: true, validate: () => false });
  ajv.addKeyword({ keyword: WRITE_ONLY_KEYWORD, errors: true, validate: () => false });
  const compiled = new Map<string, ValidateFunction>();

  /** Compiles a schema (inline or a $ref) with every component schema it reaches as definitions. */
  function compile(key: string, schema: Json, direction: Direction): ValidateFunction {
    const hit = compiled.get(key);
    if (hit) return hit;
    const refs = new Set<string>();
    const root = convert(schema, direction, refs) as Json;
    const definitions: Json = {};
    const queue = [...refs];
    const seen = new Set<string>();
    while (queue.length) {
      const n = queue.shift() as string;
      if (seen.has(n)) continue;
      seen.add(n);
      const more = new Set<string>();
      definitions[encodeURIComponent(n)] = components[n] ? convert(components[n], direction, more) : {};
      for (const r of more) if (!seen.has(r)) queue.push(r);
    }
    const fn = ajv.compile({ ...root, definitions });
    compiled.set(key, fn);
    return fn;
  }

  function match(method: string, rawPath: string): OperationMatch {
    const parts = rawPath.replace(/\/+$/, '').split('/').slice(1);
    let allowed: string[] | undefined;
    for (const route of routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i] as string;
        const got = parts[i] as string;
        if (seg.startsWith('{') && seg.endsWith('}')) {
          let decoded: string;
          try {
            decoded = decodeURIComponent(got);
          } catch {
            ok = false;
            break;
          }
          if (!decoded) ok = false;
          else params[seg.slice(1, -1)] = decoded;
        } else if (seg !== got) ok = false;
      }
      if (!ok) continue;
      const operation = route.byMethod.get(method.toUpperCase());
      if (operation) return { kind: 'operation', operation, params };
      allowed ??= [...route.byMethod.keys()];
    }
    return allowed ? { kind: 'method-not-allowed', allowed } : { kind: 'unknown-path' };
  }

  function coerce(value: string, schema: Json | undefined): unknown {
    const s = schema ? (resolveRef<Json>(doc, schema) ?? {}) : {};
    if (s.type === 'integer' || s.type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (s.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
    return value;
  }

  return {
    path,
    operations,
    match,
    validateRequest(operation, request) {
      const issues: ValidationIssue[] = [];
      for (const p of operation.parameters) {
        const source = p.in === 'path' ? request.params : p.in === 'query' ? request.query : p.in === 'header' ? request.headers : undefined;
        if (!source) continue;
        const value = source[p.in === 'header' ? p.name.toLowerCase() : p.name];
        const where = `${p.in}.${p.name}`;
        if (value === undefined) {
          if (p.required) issues.push({ path: where, message: 'is required', keyword: 'required' });
          continue;
        }
        if (!p.schema) continue;
        const fn = compile(`param:${operation.operationId}:${where}`, p.schema, 'request');
        if (!fn(coerce(value, p.schema))) for (const i of describeErrors(fn.errors ?? [])) issues.push({ ...i, path: where });
      }
      if (operation.requestBody) {
        if (request.body === undefined) {
          if (operation.requestBody.required) issues.push({ path: '(body)', message: 'is required', keyword: 'required' });
        } else {
          const fn = compile(`body:${operation.operationId}`, operation.requestBody.schema, 'request');
          if (!fn(request.body)) issues.push(...describeErrors(fn.errors ?? []));
        }
      }
      return issues;
    },
    validateBody(operationId, body) {
      const operation = operations.get(operationId);
      if (!operation?.requestBody) throw new Error(`operation ${operationId} has no application/json requestBody in ${path}`);
      const fn = compile(`body:${operationId}`, operation.requestBody.schema, 'request');
      return fn(body) ? [] : describeErrors(fn.errors ?? []);
    },
    validateSchema(name, value, direction) {
      if (!components[name]) throw new Error(`components.schemas.${name} is not in ${path}`);
      const fn = compile(`schema:${direction}:${name}`, { $ref: `${REF_PREFIX}${name}` }, direction);
      return fn(value) ? [] : describeErrors(fn.errors ?? []);
    },
  };
}
