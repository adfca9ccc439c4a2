/**
 * A smaller seeded run of `npm run fuzz` (test/helpers/fuzz.ts): 1,000 requests over every endpoint of two real
 * Batons must give no 5xx and no connection error, and reach every route the Express apps list, the bot
 * platforms' routes (issue 9) included. CI runs the
 * 10,000-request version through `npm run fuzz`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest, formatCounts, listRoutes, runFuzz, startTargets, type Targets } from '../helpers/fuzz.ts';

let targets: Targets;

beforeAll(async () => {
  targets = await startTargets();
});

afterAll(async () => {
  await targets?.close();
});

describe('fuzz', () => {
  it('lists the routes of both apps, including the webhook, the sidebar, admin, health, /preview and the sandbox', () => {
    const listed = targets.routes.map((r) => `${r.target} ${r.path}`);
    for (const p of ['/v1/tenants/:tenantId/handoffs', '/v1/tenants/:tenantId/evaluate', '/v1/tickets/:ticketId/handoff', '/v1/tickets/:ticketId/handoff/feedback', '/v1/admin/jobs', '/healthz', '/readyz']) {
      expect(listed).toContain(`cfg ${p}`);
      expect(listed).toContain(`sbx ${p}`);
    }
    // Every bot adapter's route (issue 9) and the 401 for platforms no adapter serves.
    for (const p of ['/v1/tenants/:tenantId/bots/dialogflow-cx', '/v1/tenants/:tenantId/bots/rasa', '/v1/tenants/:tenantId/bots/botframework', '/v1/tenants/:tenantId/bots/fin', '/v1/tenants/:tenantId/bots/intercom', '/v1/tenants/:tenantId/bots/:platform']) {
      expect(listed).toContain(`cfg ${p}`);
      expect(listed).toContain(`sbx ${p}`);
    }
    expect(listed).toContain('sbx /preview');
    expect(listed).toContain('sbx /preview/proxy');
    expect(listed.some((l) => l.startsWith('sbx /sandbox/zendesk'))).toBe(true);
    expect(listed.some((l) => l.startsWith('cfg /preview'))).toBe(false); // sandbox mode only
    expect(listRoutes(targets.cfg.baton.app, 'cfg')).toEqual(targets.routes.filter((r) => r.target === 'cfg'));
  });

  it('2,000 seeded requests over every endpoint: 0 × 5xx, 0 connection errors', async () => {
    const result = await runFuzz({ seed: 20261129, count: 2000, timeLimitMs: 300_000, streams: 4 }, targets);
    const report = [formatCounts(result), ...result.failures.map((f) => `seed ${f.seed} path "${f.path}":\n${describeRequest(f.request)}\n→ ${f.answer.status ?? f.answer.error} ${f.answer.body}`)].join('\n\n');
    // Printed as text: the seed, the fast-check path and the minimal request, ready to replay with npm run fuzz.
    if (result.failures.length) throw new Error(`fuzz found ${result.failures.length} failure(s):\n${report}`);
    expect(result.interrupted).toBe(false);
    expect(result.sent).toBeGreaterThanOrEqual(2000);
    expect(result.uncovered, report).toEqual([]);
    // The run is not vacuous: bodies got past the signature and the schema, and many were refused.
    const webhook = result.counts['cfg POST /v1/tenants/:tenantId/handoffs'] ?? {};
    expect(webhook['2xx'] ?? 0, report).toBeGreaterThan(20);
    expect(webhook['4xx'] ?? 0, report).toBeGreaterThan(20);
    // The evaluate API (issue 11) on the same bodies: answered and refused, never a 5xx.
    const evaluate = result.counts['cfg POST /v1/tenants/:tenantId/evaluate'] ?? {};
    expect(evaluate['2xx'] ?? 0, report).toBeGreaterThan(5);
    expect(evaluate['4xx'] ?? 0, report).toBeGreaterThan(5);
    // The bot platforms' routes and the routes signed with a platform's own HMAC too: some stored or answered
    // 200, some refused, per route (over both Batons: which one a plan picks is part of the draw).
    const both = (endpoint: string, cls: '2xx' | '4xx'): number =>
      (['cfg', 'sbx'] as const).reduce((n, t) => n + (result.counts[`${t} ${endpoint}`]?.[cls] ?? 0), 0);
    for (const platform of ['dialogflow-cx', 'rasa', 'botframework', 'intercom']) {
      const endpoint = `POST /v1/tenants/:tenantId/bots/${platform}`;
      expect(both(endpoint, '2xx'), `${platform}\n${report}`).toBeGreaterThan(2);
      expect(both(endpoint, '4xx'), `${platform}\n${report}`).toBeGreaterThan(2);
    }
    expect(both('POST /v1/tenants/:tenantId/intercom/canvas/submit', '2xx'), report).toBeGreaterThan(2);
  });
});
