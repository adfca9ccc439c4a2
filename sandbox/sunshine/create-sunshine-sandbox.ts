/**
 * A local stand-in for the part of the Sunshine Conversations API v2 Baton uses, on the sandbox kit: each request
 * is matched to an operation of the official OpenAPI file (test/fixtures/api-specs/sunshine-conversations-openapi.yaml,
 * 17.12.1) and validated against it before its handler (operation-handlers.ts) runs.
 *
 * - Auth: `Authorization: Basic <key id:secret>` (the spec's basicAuth), else 401 `unauthorized`.
 * - Errors: `{ errors: [{ code, title }] }` (the spec's errorResponse).
 * - Scriptable faults: `script.next({ status: 503 })`, a dropped connection, a slow answer (sandbox/kit).
 * - The upstream file fails strict OpenAPI validation once (`components.parameters.userFilterQuery`, a boolean
 *   `required` inside a schema). The kit never validates the document and compiles schemas per operation, so the
 *   operations used here (ListMessages, GetConversation, GetUser, PassControl) load as published: nothing was
 *   relaxed. The one gap: the kit does not read deepObject query parameters (`page[before]`), so ListMessages
 *   checks `page` against the spec's schema itself.
 */
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createSpecRouter } from '../kit/create-spec-router.ts';
import { loadOpenApiSpec } from '../kit/openapi-spec.ts';
import { AGENT_WORKSPACE_TYPE, createConversationStore } from './conversation-store.ts';
import { createOperationHandlers, sunshineError } from './operation-handlers.ts';
import type { SunshineSandbox, SunshineSandboxOptions } from './types.ts';

export const DEFAULT_SUNSHINE_SPEC_PATH = fileURLToPath(new URL('../../test/fixtures/api-specs/sunshine-conversations-openapi.yaml', import.meta.url));
export const DEFAULT_SUNSHINE_KEY = { keyId: 'app_5e4af71a81966cfff3ef6551', secret: 'sc_sandbox_key_secret' } as const;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSunshineSandbox(options: SunshineSandboxOptions = {}): SunshineSandbox {
  const now = options.now ?? Date.now;
  const keys = options.keys ?? [DEFAULT_SUNSHINE_KEY];
  const spec = loadOpenApiSpec(options.specPath ?? process.env.BATON_SUNSHINE_SPEC ?? DEFAULT_SUNSHINE_SPEC_PATH);
  const store = createConversationStore({ ...(options.appId ? { appId: options.appId } : {}), seed: options.seed ?? true, now });
  const { state } = store;
  const kit = createSpecRouter({
    spec,
    handlers: createOperationHandlers(store, spec, (c, pass) => {
      if (pass.to.integrationType === AGENT_WORKSPACE_TYPE) options.onAgentWorkspace?.(c, pass);
    }),
    authorize(headers) {
      const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
      if (!m) return false;
      const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
      let ok = false;
      for (const k of keys) if (safeEqual(`${k.keyId}:${k.secret}`, decoded)) ok = true;
      return ok;
    },
    errors: {
      unauthorized: () => sunshineError(401, 'unauthorized', 'Authorization is required'),
      unknownPath: () => sunshineError(404, 'not_found', 'Resource not found'),
      methodNotAllowed: (allowed) => ({ ...sunshineError(405, 'method_not_allowed', `Use ${allowed.join(', ')}`), headers: { Allow: allowed.join(', ') } }),
      badJson: (problem) => sunshineError(400, 'bad_request', problem),
      invalid: (issues) => sunshineError(400, 'bad_request', issues.map((i) => `${i.path} ${i.message}`).join('; ')),
      notImplemented: (op) => sunshineError(501, 'not_implemented', `the sandbox does not implement ${op.operationId}`),
      internal: (message) => sunshineError(500, 'internal_error', message),
    },
    latencyMs: options.latencyMs ?? 0,
    now,
  });
  const router = express.Router();
  router.use(kit.router);

  const passControlEvent = (conversationId: string, eventId?: string): Record<string, unknown> => {
    const c = state.conversations.get(conversationId);
    if (!c) throw new Error(`no sandbox conversation ${conversationId}`);
    return {
      app: { id: state.appId },
      webhook: { id: '5f4eaef81e3dcc117c7ba48a', version: 'v2' },
      events: [
        {
          id: eventId ?? store.newId(),
          createdAt: new Date(now()).toISOString(),
          type: 'switchboard:passControl',
          payload: { conversation: { id: c.id, type: 'personal', activeSwitchboardIntegration: c.active } },
        },
      ],
    };
  };

  return {
    router,
    state,
    script: kit.script,
    calls: kit.callLog.calls,
    addConversation: (seed) => store.add(seed),
    passControlEvent,
    setActive(conversationId, name) {
      const c = state.conversations.get(conversationId);
      const to = state.integrations.get(name);
      if (!c || !to) throw new Error(`no sandbox conversation ${conversationId} or integration ${name}`);
      c.active = to;
    },
    reset() {
      kit.reset();
      store.reset();
    },
  };
}
