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
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import type { ValidationIssue } from './types.ts';
import { convert, describeErrors, READ_ONLY_KEYWORD, REF_PREFIX, WRITE_ONLY_KEYWORD, type Direction } from '../kit/openapi-schema.ts';

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

export type { Direction };

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

