/** Baton's Prometheus figures and the /metrics route (issue 10): names, labels, auth, and a scrape that survives a down store. */
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../server/metrics/metrics.ts';
import { metricsRouter, metricsToken } from '../../../server/metrics/metrics-router.ts';
import { reasonClass } from '../../../server/metrics/reason-class.ts';
import { countHandoffs, handoffSource } from '../../../server/metrics/handoff-metrics.ts';
import { listen } from '../../helpers/listen.ts';

/** The value of one sample line `name{labels} value` in the exposition text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('reasonClass', () => {
  it.each([
    ['429 rate limited on PUT /api/v2/tickets/1.json', 'rate_limited'],
    ['503 on PUT /api/v2/tickets/1.json', 'server_error'],
    ['404 on GET /api/v2/tickets/9.json: {"error":"RecordNotFound"}', 'client_error'],
    ['network error ECONNRESET', 'network'],
    ['timeout of 10000ms exceeded', 'timeout'],
    ['transcript fetch: 503 on GET /v2/conversations/1', 'transcript'],
    ['bot platform: network error ECONNREFUSED', 'bot_platform'],
    ['analysis failed 3 times: worker exited', 'analysis'],
    ['released at shutdown', 'shutdown'],
    ['tenant acme is not configured', 'config'],
    ['ticket 5 kept changing (409 x3)', 'other'],
  ])('%s → %s', (reason, cls) => expect(reasonClass(reason)).toBe(cls));
});

describe('createMetrics', () => {
  it('counts handoffs, deliveries, retries, dead letters, waits, analysis and helpdesk requests with bounded labels', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.handoff('generic', 'accepted', 202);
    m.handoff('generic', 'accepted', 202);
    m.handoff('generic', 'duplicate', 200);
    m.handoff('sunshine', 'rejected', 401);
    m.handoff('../../etc', 'rejected', 401);
    m.delivered('zendesk', 'updated', 1_000, 1_400);
    m.retried('503 on PUT /api/v2/tickets/77.json');
    m.deadLettered('404 on GET /api/v2/tickets/9.json');
    m.rateLimitWait('zendesk', 'slept', 1500);
    m.analysis(12, true);
    m.helpdeskRequest('zendesk', 200, 50);
    m.helpdeskRequest('zendesk', 0, 10_000);
    const { body, contentType } = await m.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(body, 'baton_handoffs_total', { source: 'generic', result: 'accepted', status: '202' })).toBe(2);
    expect(sample(body, 'baton_handoffs_total', { result: 'duplicate' })).toBe(1);
    expect(sample(body, 'baton_handoffs_total', { source: 'other', status: '401' })).toBe(1);
    expect(body).not.toContain('etc');
    expect(sample(body, 'baton_delivery_seconds_sum', { helpdesk: 'zendesk', outcome: 'updated' })).toBeCloseTo(0.4);
    expect(sample(body, 'baton_delivery_seconds_bucket', { le: '0.25' })).toBe(0);
    expect(sample(body, 'baton_delivery_seconds_bucket', { le: '0.5' })).toBe(1);
    expect(sample(body, 'baton_retries_total', { reason: 'server_error' })).toBe(1);
    expect(body).not.toContain('/api/v2/tickets/77');
    expect(sample(body, 'baton_dead_letters_total', { reason: 'client_error' })).toBe(1);
    expect(sample(body, 'baton_rate_limit_waits_total', { helpdesk: 'zendesk', kind: 'slept' })).toBe(1);
    expect(sample(body, 'baton_rate_limit_wait_seconds_total', { kind: 'slept' })).toBeCloseTo(1.5);
    expect(sample(body, 'baton_analysis_seconds_count', { result: 'ok' })).toBe(1);
    expect(sample(body, 'baton_helpdesk_request_seconds_count', { helpdesk: 'zendesk', status: '200' })).toBe(1);
    expect(sample(body, 'baton_helpdesk_request_seconds_count', { status: '0' })).toBe(1);
  });

  it('reads queue depth from the store on each scrape, and a failing read does not fail the scrape', async () => {
    const m = createMetrics({ defaultMetrics: false });
    let counts: Record<string, number> | Error = { queued: 7, running: 2, done: 40 };
    m.queueDepthFrom(async () => {
      if (counts instanceof Error) throw counts;
      return counts;
    });
    let body = (await m.render()).body;
    expect(sample(body, 'baton_jobs', { state: 'queued' })).toBe(7);
    expect(sample(body, 'baton_jobs', { state: 'dead' })).toBe(0);
    expect(sample(body, 'baton_queue_read_ok')).toBe(1);
    counts = new Error('connection refused');
    body = (await m.render()).body;
    expect(sample(body, 'baton_queue_read_ok')).toBe(0);
  });

  it('keeps two servers in one process apart (private registries), with process metrics in each', async () => {
    const a = createMetrics({ replicaId: 'r1' });
    const b = createMetrics({ replicaId: 'r2' });
    a.handoff('generic', 'accepted', 202);
    const [ta, tb] = [(await a.render()).body, (await b.render()).body];
    expect(sample(ta, 'baton_handoffs_total', { replica: 'r1' })).toBe(1);
    expect(sample(tb, 'baton_handoffs_total')).toBeUndefined();
    expect(tb).toContain('process_cpu_user_seconds_total');
    expect(tb).toContain('replica="r2"');
  });
});

describe('metricsToken', () => {
  it('prefers BATON_METRICS_TOKEN, else the admin token', () => {
    expect(metricsToken({ BATON_METRICS_TOKEN: 'm'.repeat(20) }, 'a'.repeat(20))).toBe('m'.repeat(20));
    expect(metricsToken({ BATON_METRICS_TOKEN: ' ' }, 'a'.repeat(20))).toBe('a'.repeat(20));
    expect(metricsToken({}, undefined)).toBeUndefined();
  });
});

describe('GET /metrics', () => {
  const TOKEN = 'metrics-token-0123456789';
  let server: Server;
  let base: string;
  let offServer: Server;
  let offBase: string;
  beforeAll(async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.handoff('generic', 'accepted', 202);
    ({ server, base } = await listen(express().use(metricsRouter({ metrics, token: TOKEN }))));
    ({ server: offServer, base: offBase } = await listen(express().use(metricsRouter({ metrics, token: undefined }))));
  });
  afterAll(() => {
    server?.close();
    offServer?.close();
  });

  it('serves the text format to the right bearer token', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('baton_handoffs_total{source="generic",result="accepted",status="202"} 1');
  });

  it('answers 401 without a token and 403 with a wrong one, as JSON errors', async () => {
    const none = await fetch(`${base}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await none.json()).error.code).toBe('metrics_unauthorized');
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('metrics_forbidden');
    const basic = await fetch(`${base}/metrics`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('is off (404) when neither a metrics token nor an admin token is configured', async () => {
    const res = await fetch(`${offBase}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('metrics_disabled');
  });
});

describe('handoff webhook counts', () => {
  it('names the source from the route path, and only for handoff routes', () => {
    expect(handoffSource('/v1/tenants/acme/handoffs')).toBe('generic');
    expect(handoffSource('/v1/tenants/acme/bots/sunshine')).toBe('sunshine');
    expect(handoffSource('/v1/tenants/acme/bots')).toBeUndefined();
    expect(handoffSource('/v1/admin/jobs')).toBeUndefined();
    expect(handoffSource('/v1/tenants/acme/handoffs/extra')).toBeUndefined();
  });

  it('counts what the routes answered: queued, duplicate, ignored, and refused by status', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = express();
    app.post('/v1/tenants/:t/handoffs', (req, res) => {
      const kind = req.get('x-kind');
      if (kind === 'dup') return void res.status(200).json({ handoffId: 'ho_1', status: 'duplicate' });
      if (kind === 'bad') return void res.status(401).json({ error: { code: 'invalid_signature', message: 'no' } });
      res.status(202).json({ handoffId: 'ho_1', status: 'queued' });
    });
    app.post('/v1/tenants/:t/bots/:p', (_req, res) => void res.status(200).json({ status: 'ignored' }));
    app.get('/v1/tenants/:t/handoffs', (_req, res) => void res.json({}));
    // The generic route answered in front of Express (as the lean webhook does), with plain node:http.
    const lean = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
      if (req.url === '/v1/tenants/a/handoffs' && req.headers['x-kind'] === 'lean') {
        res.writeHead(202, { 'content-type': 'application/json' });
        res.write('{"handoffId":"ho_2",');
        return void res.end('"status":"queued"}');
      }
      app(req, res);
    };
    const server = createServer(countHandoffs(lean, metrics));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const post = (path: string, kind = '') => fetch(`${base}${path}`, { method: 'POST', headers: { 'x-kind': kind } }).then((r) => r.text());
      await post('/v1/tenants/a/handoffs');
      await post('/v1/tenants/a/handoffs');
      await post('/v1/tenants/a/handoffs', 'dup');
      await post('/v1/tenants/a/handoffs', 'bad');
      await post('/v1/tenants/a/handoffs', 'lean');
      await post('/v1/tenants/a/bots/rasa');
      await fetch(`${base}/v1/tenants/a/handoffs`).then((r) => r.text());
      // 'finish' fires after the client has the response: scrape until the last count is in.
      let body = '';
      for (let i = 0; i < 50 && sample(body, 'baton_handoffs_total', { source: 'rasa' }) === undefined; i++) body = (await metrics.render()).body;
      expect(sample(body, 'baton_handoffs_total', { source: 'generic', result: 'accepted', status: '202' })).toBe(3);
      expect(sample(body, 'baton_handoffs_total', { source: 'generic', result: 'duplicate', status: '200' })).toBe(1);
      expect(sample(body, 'baton_handoffs_total', { source: 'generic', result: 'rejected', status: '401' })).toBe(1);
      expect(sample(body, 'baton_handoffs_total', { source: 'rasa', result: 'ignored', status: '200' })).toBe(1);
      expect(body.split('\n').filter((l) => l.startsWith('baton_handoffs_total{')).length).toBe(4);
    } finally {
      server.close();
    }
  });
});
