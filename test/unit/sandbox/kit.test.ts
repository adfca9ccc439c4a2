import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpecRouter } from '../../../sandbox/kit/create-spec-router.ts';
import { createFixedWindowLimiter } from '../../../sandbox/kit/fixed-window-limiter.ts';
import { loadOpenApiSpec, SpecUnavailableError } from '../../../sandbox/kit/openapi-spec.ts';
import { serveRouter, type ServedRouter } from '../../../sandbox/kit/serve-router.ts';

const SPEC = fileURLToPath(new URL('../../fixtures/api-specs/kit-test-api.yaml', import.meta.url));

describe('openapi-spec: operation matching', () => {
  const spec = loadOpenApiSpec(SPEC);
  it('matches method + path template to the operationId, literal segments first, params decoded', () => {
    expect(spec.match('GET', '/things')).toMatchObject({ kind: 'operation', operation: { operationId: 'listThings' } });
    expect(spec.match('GET', '/things/search')).toMatchObject({ kind: 'operation', operation: { operationId: 'searchThings' }, params: {} });
    expect(spec.match('GET', '/things/a%20b')).toMatchObject({ kind: 'operation', operation: { operationId: 'showThing' }, params: { thing_id: 'a b' } });
    expect(spec.match('get', '/things/7/')).toMatchObject({ kind: 'operation', params: { thing_id: '7' } });
    expect(spec.match('DELETE', '/things')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'POST'] });
    expect(spec.match('GET', '/nothing')).toEqual({ kind: 'unknown-path' });
    expect(spec.match('GET', '/things/%E0%A4%A')).toEqual({ kind: 'unknown-path' });
    expect(spec.operations.get('health')?.secured).toBe(false);
    expect(spec.operations.get('listThings')?.secured).toBe(true);
  });

  it('validates parameters (path, query, header) and JSON bodies, readOnly refused in requests', () => {
    const show = spec.operations.get('showThing')!;
    expect(spec.validateRequest(show, { params: { thing_id: 'x' }, query: {}, headers: {}, body: undefined })[0]).toMatchObject({ path: 'path.thing_id' });
    expect(spec.validateRequest(show, { params: { thing_id: '7' }, query: {}, headers: {}, body: undefined })).toEqual([]);
    const list = spec.operations.get('listThings')!;
    expect(spec.validateRequest(list, { params: {}, query: { limit: '11' }, headers: { 'x-version': '3' }, body: undefined }).map((i) => i.path).sort()).toEqual(['header.X-Version', 'query.limit']);
    const create = spec.operations.get('createThing')!;
    expect(spec.validateRequest(create, { params: {}, query: {}, headers: {}, body: undefined })).toEqual([{ path: '(body)', message: 'is required', keyword: 'required' }]);
    expect(spec.validateRequest(create, { params: {}, query: {}, headers: {}, body: { name: 'a', note: null } })).toEqual([]);
    expect(spec.validateRequest(create, { params: {}, query: {}, headers: {}, body: { name: 'a', id: '1' } })[0]).toMatchObject({ path: 'id', message: 'is read-only and cannot be sent' });
  });

  it('refuses to load a missing or non-OpenAPI file, naming it', () => {
    expect(() => loadOpenApiSpec('/nope/spec.yaml')).toThrow(SpecUnavailableError);
    expect(() => loadOpenApiSpec(fileURLToPath(new URL('../../fixtures/api-specs/SOURCES.md', import.meta.url)))).toThrow(/SOURCES\.md/);
  });
});

describe('fixed window limiter', () => {
  it('counts per aligned window and gives the window end in Unix seconds', () => {
    const l = createFixedWindowLimiter(2, 10_000);
    expect(l.take(20_500)).toEqual({ allowed: true, limit: 2, remaining: 1, resetAtSec: 30 });
    expect(l.take(29_999)).toMatchObject({ allowed: true, remaining: 0 });
    expect(l.take(29_999)).toMatchObject({ allowed: false, remaining: 0, resetAtSec: 30 });
    expect(l.take(30_000)).toMatchObject({ allowed: true, remaining: 1, resetAtSec: 40 });
  });
});

describe('createSpecRouter: dispatch order and one handler per operation', () => {
  let served: ServedRouter;
  let refuseNext = false;
  const kit = createSpecRouter({
    spec: loadOpenApiSpec(SPEC),
    handlers: {
      listThings: (r) => ({ status: 200, body: { op: r.operation.operationId, query: r.query } }),
      showThing: (r) => ({ status: 200, body: { id: r.params.thing_id } }),
      createThing: (r) => ({ status: 201, body: r.body }),
      health: () => ({ status: 200, body: 'ok' }),
    },
    authorize: (h) => h.authorization === 'Bearer t',
    errors: {
      unauthorized: () => ({ status: 401, body: { e: 'auth' } }),
      unknownPath: () => ({ status: 404, body: { e: 'path' } }),
      methodNotAllowed: (allowed) => ({ status: 405, body: { e: 'method', allowed } }),
      badJson: () => ({ status: 400, body: { e: 'json' } }),
      invalid: (issues) => ({ status: 422, body: { e: 'invalid', issues } }),
      notImplemented: () => ({ status: 501, body: { e: 'todo' } }),
      internal: () => ({ status: 500, body: { e: 'internal' } }),
    },
    budget: {
      take: () => (refuseNext ? ((refuseNext = false), { headers: { 'x-budget': '0' }, refused: { status: 429, body: { e: 'rate' } } }) : { headers: { 'x-budget': '1' } }),
      reset: () => undefined,
    },
  });
  const T = { authorization: 'Bearer t', 'content-type': 'application/json' };
  const go = async (method: string, path: string, body?: string, headers: Record<string, string> = T) => {
    const r = await fetch(`${served.url.replace(/\/api$/, '')}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: r.status, budget: r.headers.get('x-budget'), json: (await r.json().catch(() => undefined)) as Record<string, unknown> | undefined };
  };
  beforeAll(async () => {
    served = await serveRouter(kit.router, { basePath: '/api' });
  });
  afterAll(() => served.close());

  it('dispatches by operationId and answers each refusal in order', async () => {
    expect(await go('GET', '/api/things?limit=3')).toMatchObject({ status: 200, budget: '1', json: { op: 'listThings', query: { limit: '3' } } });
    expect((await go('GET', '/api/things/search')).status).toBe(501);
    expect((await go('GET', '/api/health', undefined, {})).status).toBe(200); // security: []
    expect((await go('GET', '/api/things', undefined, {})).status).toBe(401);
    expect((await go('GET', '/api/nothing', undefined, {})).status).toBe(401); // auth before the path is revealed
    expect((await go('GET', '/api/nothing')).status).toBe(404);
    expect((await go('DELETE', '/api/things')).json).toEqual({ e: 'method', allowed: ['GET', 'POST'] });
    expect((await go('POST', '/api/things', '{"name":')).status).toBe(400);
    expect((await go('POST', '/api/things', '{"name":"a"}', { authorization: 'Bearer t', 'content-type': 'text/plain' })).status).toBe(400);
    expect((await go('POST', '/api/things', '{"name":1}')).status).toBe(422);
    expect(await go('POST', '/api/things', '{"name":"a"}')).toMatchObject({ status: 201, json: { name: 'a' } });
    refuseNext = true;
    expect(await go('GET', '/api/things')).toMatchObject({ status: 429, budget: '0' });
    kit.script.next({ status: 503, body: { e: 'scripted' }, match: { method: 'GET', path: '/things/1' } });
    expect(await go('GET', '/api/things/1', undefined, {})).toMatchObject({ status: 503, json: { e: 'scripted' } });
    const calls = kit.callLog.calls;
    expect(calls.at(-1)).toMatchObject({ scripted: true, operation: 'showThing', params: { thing_id: '1' } });
    expect(calls.find((c) => c.status === 422)).toMatchObject({ valid: false, operation: 'createThing' });
    expect(JSON.stringify(calls)).not.toContain('Bearer t');
  });
});
