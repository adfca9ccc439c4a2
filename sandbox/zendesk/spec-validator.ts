/**
 * Zendesk's official OpenAPI file (test/fixtures/api-specs/, see SOURCES.md there: a byte-for-byte copy kept in
 * the repo, so a clone on its own validates too), loaded through the sandbox kit (sandbox/kit/openapi-spec.ts):
 * the sandbox routes requests to its operations and validates them against it. We never validate the spec
 * document itself: it has two known meta-schema errors upstream (SOURCES.md, "Known problems").
 *
 * Parsing the 1.6 MB YAML takes most of a second, so the parsed spec and compiled validators are cached per
 * file for the life of the process (tests start many sandboxes).
 */
import { fileURLToPath } from 'node:url';
import { loadOpenApiSpec, SpecUnavailableError, type OpenApiSpec } from '../kit/openapi-spec.ts';
import type { Direction } from '../kit/openapi-schema.ts';
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

export type { Direction };

export interface ZendeskSpecValidator {
  path: string;
  /** The parsed spec: operations by method + path (the sandbox's routing). */
  spec: OpenApiSpec;
  /** Validates a request body against the operation's `requestBody` schema (application/json). */
  validateRequestBody(operationId: string, body: unknown): ValidationIssue[];
  /** Validates a value against `components.schemas.<name>`, e.g. to check the sandbox's own responses. */
  validateSchema(name: string, value: unknown, direction: Direction): ValidationIssue[];
}

export type SpecLoadResult = { ok: true; validator: ZendeskSpecValidator } | { ok: false; reason: string };

/** Resolution order: explicit option, env BATON_ZENDESK_SPEC, the copy in test/fixtures/api-specs/. */
export function resolveZendeskSpecPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.BATON_ZENDESK_SPEC || DEFAULT_ZENDESK_SPEC_PATH;
}

/** Loads (once per path per process) and returns the validator, or why it is unavailable. */
export function loadZendeskSpecValidator(path: string): SpecLoadResult {
  let spec: OpenApiSpec;
  try {
    spec = loadOpenApiSpec(path);
  } catch (err) {
    if (err instanceof SpecUnavailableError) return { ok: false, reason: err.reason };
    return { ok: false, reason: `cannot read spec ${path}: ${(err as Error).message}` };
  }
  return {
    ok: true,
    validator: {
      path,
      spec,
      validateRequestBody: (operationId, body) => spec.validateBody(operationId, body),
      validateSchema: (name, value, direction) => spec.validateSchema(name, value, direction),
    },
  };
}

/** The validator for `path`, or a ZendeskSpecUnavailableError naming the file and why. */
export function requireZendeskSpecValidator(path: string): ZendeskSpecValidator {
  const loaded = loadZendeskSpecValidator(path);
  if (!loaded.ok) throw new ZendeskSpecUnavailableError(path, loaded.reason);
  return loaded.validator;
}
