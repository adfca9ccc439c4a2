import { describe, expect, it } from 'vitest';
import { classifyInsights, directSource, queryString, zafSource, type DashboardQuery } from '../../../app/src/insights/insights-api.ts';
import type { AppClient, HttpResult } from '../../../app/src/zaf/client.ts';
import type { ZafRequestOptions } from '../../../app/src/zaf/types.ts';
import { insightsFixture } from '../../fixtures/insights/insights-fixture.ts';

const Q: DashboardQuery = { from: '2026-11-01', to: '2026-11-28', groupBy: 'week', filters: { topic: 'billing', bot: 'fin' } };

function recordingClient(answer: (o: ZafRequestOptions) => HttpResult) {
  const seen: ZafRequestOptions[] = [];
  const client: AppClient = {
    onRegistered: () => undefined,
    on: () => undefined,
    get: async () => ({}),
    invoke: async () => undefined,
    request: async (o) => {
      seen.push(o);
      return answer(o);
    },
    resize: () => undefined,
  };
  return { client, seen };
}

describe('insights API client', () => {
  it('builds the query in a stable order with only the filters that are set', () => {
    expect(queryString(Q)).toBe('from=2026-11-01&to=2026-11-28&groupBy=week&bot=fin&topic=billing');
    expect(queryString({ ...Q, filters: { reason: 'a&b=c' } }, { format: 'csv' })).toBe('from=2026-11-01&to=2026-11-28&groupBy=week&reason=a%26b%3Dc&format=csv');
  });

  it('classifies answers: data, not-insights 200, 401/403, unreachable, other errors with their message', () => {
    expect(classifyInsights(200, insightsFixture()).kind).toBe('ok');
    expect(classifyInsights(200, { hello: 1 })).toMatchObject({ kind: 'error', status: 200 });
    expect(classifyInsights(403, {})).toEqual({ kind: 'unauthorized', status: 403 });
    expect(classifyInsights(403, { error: { code: 'insights_forbidden', message: 'Only Zendesk admins may read insights' } })).toEqual({
      kind: 'unauthorized',
      status: 403,
      message: 'Only Zendesk admins may read insights',
    });
    expect(classifyInsights(503, { error: { code: 'helpdesk_unavailable', message: 'retry' } })).toEqual({ kind: 'error', status: 503, message: 'retry' });
    expect(classifyInsights(401, {})).toEqual({ kind: 'unauthorized', status: 401 });
    expect(classifyInsights(0, undefined)).toEqual({ kind: 'unreachable' });
    expect(classifyInsights(502, undefined)).toEqual({ kind: 'unreachable' });
    expect(classifyInsights(400, { error: { code: 'bad_query', message: 'from must be a date' } })).toEqual({ kind: 'error', status: 400, message: 'from must be a date' });
  });

  it('in Zendesk, calls through the proxy with a secure, Zendesk-signed JWT naming the account and user, never the secret', async () => {
    const { client, seen } = recordingClient(() => ({ status: 200, body: insightsFixture() }));
    const src = zafSource(client, { serverUrl: 'https://baton.example.com/', tenantId: 'acme', subdomain: 'acme', userId: '42' });
    expect((await src.load(Q)).kind).toBe('ok');
    const o = seen[0] as ZafRequestOptions;
    expect(o.url).toBe('https://baton.example.com/v1/tenants/acme/insights?from=2026-11-01&to=2026-11-28&groupBy=week&bot=fin&topic=billing');
    expect(o.secure).toBe(true);
    expect(o.headers?.Authorization).toBe('Bearer {{jwt.token}}');
    expect(o.jwt).toMatchObject({ algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', claims: { iss: 'acme', sub: '42' } });
    expect(src.csvHref(Q)).toBeUndefined();
  });

  it('the CSV comes through the proxy as text; a failed CSV call yields nothing', async () => {
    const { client, seen } = recordingClient((o) => (o.url.includes('format=csv') ? { status: 200, body: 'bucket,handoffs\r\n' } : { status: 500, body: undefined }));
    const src = zafSource(client, { serverUrl: 'https://b.example', tenantId: 't 1', subdomain: 's' });
    expect(await src.loadCsv(Q)).toBe('bucket,handoffs\r\n');
    expect(seen[0]?.url).toContain('/v1/tenants/t%201/insights?');
    expect(seen[0]?.dataType).toBe('text');
    const failing = zafSource(recordingClient(() => ({ status: 403, body: {} })).client, { serverUrl: 'https://b.example', tenantId: 't', subdomain: 's' });
    expect(await failing.loadCsv(Q)).toBeUndefined();
  });

  it('with a Baton session (signed-URL install), every call carries it, the CSV too, and no token goes into a URL', async () => {
    const calls: Array<{ url: string; auth: string | null }> = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, auth: new Headers(init?.headers).get('authorization') });
      return url.includes('format=csv') ? new Response('a,b\r\n', { status: 200 }) : Response.json(insightsFixture());
    }) as typeof fetch;
    let n = 0;
    const src = directSource({ endpoint: '/v1/tenants/acme/insights', authorization: async () => `Bearer s${++n}`, fetchImpl });
    expect((await src.load(Q)).kind).toBe('ok');
    expect(src.csvHref(Q)).toBeUndefined();
    expect(await src.loadCsv(Q)).toBe('a,b\r\n');
    expect(calls).toEqual([
      { url: '/v1/tenants/acme/insights?from=2026-11-01&to=2026-11-28&groupBy=week&bot=fin&topic=billing', auth: 'Bearer s1' },
      { url: '/v1/tenants/acme/insights?from=2026-11-01&to=2026-11-28&groupBy=week&bot=fin&topic=billing&format=csv', auth: 'Bearer s2' },
    ]);
  });
});
