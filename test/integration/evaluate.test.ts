/**
 * `POST /v1/tenants/{tenantId}/evaluate` on a real server on a free port (server/evaluate/evaluate-route.ts),
 * with a scripted clock and a fake FirstReplyStats: the answer's shape, the wait only from enough measured
 * replies, business hours and holidays, locales, and the webhook's checks, order and error codes for hostile
 * input (never a 5xx).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type TenantConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { evaluateRouter } from '../../server/evaluate/evaluate-route.ts';
import { parseBusinessHours, parseEvaluateConfig, type EvaluateTenantFields } from '../../server/evaluate/evaluate-config.ts';
import type { FirstReplyStatsQuery, Quantiles } from '../../server/types/insights.ts';
import { listen } from '../helpers/listen.ts';
import { ACME, startHarness, type Harness } from '../helpers/harness.ts';

const SECRET = 'whsec_eval_acme_1';
const GLOBEX_SECRET = 'whsec_eval_globex_1';
/** Monday 30 Nov 2026, 10:00 in Berlin (09:00 UTC): open. */
const MONDAY_10 = Date.parse('2026-11-30T09:00:00Z');

let now = MONDAY_10;
let statsAnswer: Quantiles | Error = { count: 40, p50Seconds: 290, p90Seconds: 1500 };
const asked: FirstReplyStatsQuery[] = [];
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-evaluate-'));
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      maxBodyBytes: 32 * 1024,
      tenants: [
        { id: 'acme', webhookSecrets: [SECRET], analysis: { routing: { byTopic: { refund: 360001 }, fallbackGroupId: 360000 } } },
        { id: 'globex', webhookSecrets: [GLOBEX_SECRET] },
      ],
    }),
  );
  const config = loadConfig({ BATON_CONFIG: file, BATON_DATA_DIR: dir, PORT: '0' });
  const extra: Record<string, EvaluateTenantFields> = {
    acme: {
      evaluate: parseEvaluateConfig({ windowDays: 14, minSampleSize: 20, templates: { en: { noWait: '{ack} A person from Acme will pick this up shortly; you will not need to repeat anything.' } } }),
      businessHours: parseBusinessHours({
        timeZone: 'Europe/Berlin',
        weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
        holidays: ['2026-12-24', '2026-12-25'],
      }),
    },
  };
  const tenants = new Map<string, TenantConfig>(config.tenants.map((t) => [t.id, { ...t, ...extra[t.id] }]));
  const firstReplyStats = async (q: FirstReplyStatsQuery): Promise<Quantiles> => {
    asked.push(q);
    if (statsAnswer instanceof Error) throw statsAnswer;
    return statsAnswer;
  };
  const logger = createLogger('silent');
  const app = express();
  app.use(evaluateRouter({ config, tenants, logger, firstReplyStats, clock: () => now }));
  app.use(errorHandler(logger));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

interface PostOpts {
  tenant?: string;
  secret?: string;
  signature?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
  t?: number;
}

function post(body: string | object, o: PostOpts = {}): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': o.contentType ?? 'application/json', ...o.headers };
  if (o.signature !== null) headers['Baton-Signature'] = o.signature ?? signBatonPayload(o.secret ?? SECRET, raw, o.t ?? Math.floor(now / 1000));
  return fetch(`${base}/v1/tenants/${o.tenant ?? 'acme'}/evaluate`, { method: 'POST', headers, body: raw });
}

const REFUND = {
  conversation: { id: 'conv_9', locale: 'en-GB' },
  customer: { name: 'Dana', tier: 'standard' },
  messages: [
    { role: 'customer', text: 'I was charged for an order I returned and I want a refund.' },
    { role: 'bot', text: 'You can request a refund under Orders > Returns.' },
    { role: 'customer', text: 'I did that already, it says the return is not eligible. Let me talk to a person please.' },
  ],
};

interface Answer {
  escalate: boolean;
  triggers: Array<{ id: string }>;
  primaryTrigger: string | null;
  priority: string;
  route: { group: number | null; skills: string[] };
  transitionMessage: { text: string; locale: string };
  estimatedWaitSeconds: number | null;
  waitBasis: { statistic: string; sampleSize: number; windowDays: number } | null;
  withinBusinessHours: boolean;
  nextOpenAt?: string;
}

describe('the answer', () => {
  it('in hours with enough measured replies: escalate, why, where, and a measured wait in the message', async () => {
    now = MONDAY_10;
    statsAnswer = { count: 40, p50Seconds: 290, p90Seconds: 1500 };
    asked.length = 0;
    const res = await post(REFUND);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const a = (await res.json()) as Answer;
    expect(a).toMatchObject({
      escalate: true,
      primaryTrigger: 'customer_requested_human',
      route: { group: 360001, skills: expect.arrayContaining(['topic:refund', 'lang:en']) },
      estimatedWaitSeconds: 290,
      waitBasis: { statistic: 'median', sampleSize: 40, windowDays: 14 },
      withinBusinessHours: true,
      transitionMessage: { locale: 'en' },
    });
    expect(a.nextOpenAt).toBeUndefined();
    expect(a.triggers[0]!.id).toBe('customer_requested_human');
    expect(a.transitionMessage.text).toContain("I understand you're asking for a refund.");
    expect(a.transitionMessage.text).toContain('about 5 minutes');
    expect(a.transitionMessage.text).toContain("you won't need to repeat anything");
    expect(asked).toEqual([{ tenantId: 'acme', group: '360001', priority: a.priority, sinceMs: MONDAY_10 - 14 * 86_400_000 }]);
  });

  it('too few measured replies: no number anywhere, the neutral wording (here the tenant’s own template)', async () => {
    now = MONDAY_10;
    statsAnswer = { count: 19, p50Seconds: 290, p90Seconds: 1500 };
    const a = (await (await post(REFUND)).json()) as Answer;
    expect(a.estimatedWaitSeconds).toBeNull();
    expect(a.waitBasis).toBeNull();
    expect(a.transitionMessage.text).toBe("I understand you're asking for a refund. A person from Acme will pick this up shortly; you will not need to repeat anything.");
    expect(a.transitionMessage.text).not.toMatch(/[0-9]/);
  });

  it('statistics that fail to answer: 200 with no estimate, not a 5xx', async () => {
    now = MONDAY_10;
    statsAnswer = new Error('database is down');
    const res = await post(REFUND);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Answer).estimatedWaitSeconds).toBeNull();
  });

  it('on a holiday: closed, when the team is back (nextOpenAt), an email offer, and no in-hours wait', async () => {
    statsAnswer = { count: 40, p50Seconds: 290, p90Seconds: 1500 };
    now = Date.parse('2026-12-24T10:00:00Z'); // Thursday, 11:00 in Berlin, a holiday; Friday too.
    const a = (await (await post(REFUND)).json()) as Answer;
    expect(a.withinBusinessHours).toBe(false);
    expect(a.nextOpenAt).toBe('2026-12-28T08:00:00.000Z');
    expect(a.estimatedWaitSeconds).toBeNull();
    expect(a.waitBasis).toBeNull();
    expect(a.transitionMessage.text).toContain('someone will answer on Monday, December 28 at 9:00');
    expect(a.transitionMessage.text).toContain('leave your email address');
  });

  it('Sunday evening UTC is still the weekend in Berlin; Monday 00:30 Tokyo-time does not matter', async () => {
    now = Date.parse('2026-11-29T22:30:00Z'); // Sunday 23:30 in Berlin.
    const a = (await (await post(REFUND)).json()) as Answer;
    expect(a).toMatchObject({ withinBusinessHours: false, nextOpenAt: '2026-11-30T08:00:00.000Z' });
  });

  it('answers in the customer’s language', async () => {
    now = MONDAY_10;
    statsAnswer = { count: 40, p50Seconds: 290, p90Seconds: 1500 };
    const es = { ...REFUND, conversation: { locale: 'es-MX' }, messages: [{ role: 'customer', text: 'Quiero un reembolso, por favor. Quiero hablar con una persona.' }] };
    const a = (await (await post(es)).json()) as Answer;
    expect(a.transitionMessage.locale).toBe('es');
    expect(a.transitionMessage.text).toContain('Entiendo que solicitas un reembolso.');
    expect(a.transitionMessage.text).toContain('unos 5 minutos');
  });

  it('a conversation going well: escalate false, no triggers', async () => {
    now = MONDAY_10;
    const calm = { messages: [{ role: 'customer', text: 'How do I change my avatar?' }, { role: 'bot', text: 'Go to Settings > Profile > Avatar.' }, { role: 'customer', text: 'Great, that worked, thanks!' }] };
    const a = (await (await post(calm)).json()) as Answer;
    expect(a).toMatchObject({ escalate: false, triggers: [], primaryTrigger: null });
  });

  it('a tenant without business hours or evaluate settings: always in hours, defaults, no statistics call needed to answer', async () => {
    now = MONDAY_10;
    const res = await post(REFUND, { tenant: 'globex', secret: GLOBEX_SECRET });
    expect(res.status).toBe(200);
    const a = (await res.json()) as Answer;
    expect(a.withinBusinessHours).toBe(true);
    expect(a.route.group).toBeNull();
  });
});

describe('authentication and hostile input: the webhook’s checks, order and codes', () => {
  const UNAUTHORIZED = { error: { code: 'invalid_signature', message: 'Missing, invalid or expired Baton-Signature, or unknown tenant' } };

  it('401 with one body for a wrong, missing, malformed or expired signature, an unknown tenant and another tenant’s secret', async () => {
    now = MONDAY_10;
    const answers = await Promise.all([
      post(REFUND, { secret: 'whsec_wrong_secret' }),
      post(REFUND, { signature: null }),
      post(REFUND, { signature: 't=1,v1=zz' }),
      post(REFUND, { t: Math.floor(now / 1000) - 301 }),
      post(REFUND, { tenant: 'nobody' }),
      post(REFUND, { tenant: 'globex', secret: SECRET }),
    ]);
    for (const r of answers) {
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual(UNAUTHORIZED);
    }
  });

  it('a signature over other bytes than those sent is refused', async () => {
    const sig = signBatonPayload(SECRET, JSON.stringify(REFUND), Math.floor(now / 1000));
    const res = await post(JSON.stringify({ ...REFUND, customer: { tier: 'enterprise' } }), { signature: sig });
    expect(res.status).toBe(401);
  });

  it('415 for a wrong content type, a non-UTF-8 charset and a compressed body, before anything else', async () => {
    expect((await post(REFUND, { contentType: 'text/plain' })).status).toBe(415);
    const latin = await post(REFUND, { contentType: 'application/json; charset=latin1' });
    expect(latin.status).toBe(415);
    expect(((await latin.json()) as { error: { code: string } }).error.code).toBe('unsupported_charset');
    const gz = await post(REFUND, { headers: { 'Content-Encoding': 'gzip' } });
    expect(gz.status).toBe(415);
    // Content type is checked before the signature.
    expect((await post(REFUND, { contentType: 'text/plain', signature: null })).status).toBe(415);
  });

  it('413 over the body limit, before the signature is looked at', async () => {
    const big = { ...REFUND, messages: [{ role: 'customer', text: 'x'.repeat(40 * 1024) }] };
    const res = await post(big, { signature: null });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('400 for a body that is not JSON, after the signature', async () => {
    const res = await post('{"messages": [', {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
    expect((await post('{"messages": [', { secret: 'whsec_wrong_secret' })).status).toBe(401);
  });

  it('422 naming the problem for a body the schema refuses', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'messages'],
      [{ messages: [] }, 'messages'],
      [{ messages: [{ role: 'robot', text: 'hi' }] }, 'messages[0].role'],
      [{ messages: [{ role: 'customer' }] }, 'messages[0].text'],
      [{ messages: [{ role: 'bot', text: 'x', bot: { confidence: 7 } }] }, 'messages[0].bot.confidence'],
      [{ conversation: { locale: 'not a locale!' }, messages: [{ role: 'customer', text: 'hi' }] }, 'conversation.locale'],
      [[1, 2, 3], '(root)'],
      ['"just a string"', '(root)'],
      ['null', '(root)'],
    ];
    for (const [body, field] of cases) {
      const res = await post(typeof body === 'string' ? body : JSON.stringify(body));
      expect(res.status, JSON.stringify(body)).toBe(422);
      const e = ((await res.json()) as { error: { code: string; details: Array<{ field: string }> } }).error;
      expect(e.code).toBe('invalid_handoff');
      expect(e.details.map((d) => d.field)).toContain(field);
    }
  });

  it('422 for nesting deeper than the limit', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const res = await post({ ...REFUND, customer: { attributes: deep } });
    expect(res.status).toBe(422);
  });

  it('prototype keys, odd Unicode and control characters never give a 5xx', async () => {
    const hostile = [
      '{"__proto__":{"escalate":false},"messages":[{"role":"customer","text":"hi"}]}',
      JSON.stringify({ constructor: { prototype: {} }, customer: { attributes: { __proto__: 1, toString: 'x' } }, messages: [{ role: 'customer', text: '\u0000\uFFFF\uD800 {wait} {ack}' }] }),
      JSON.stringify({ handoff: { reason: '__proto__' }, messages: [{ role: 'customer', text: '😀'.repeat(2000) }] }),
      JSON.stringify({ messages: Array.from({ length: 600 }, () => ({ role: 'customer', text: 'I want a human!!!' })) }),
    ];
    for (const body of hostile) {
      const res = await post(body);
      expect(res.status, body.slice(0, 80)).toBeLessThan(500);
      expect([200, 413, 422]).toContain(res.status);
    }
  });

  it('GET is not a route', async () => {
    const res = await fetch(`${base}/v1/tenants/acme/evaluate`);
    expect(res.status).toBe(404);
  });
});

describe('mounted in the real Baton (startHarness, config from the file)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      acmeTenant: {
        evaluate: { minSampleSize: 5, templates: { fr: { noWait: '{ack} Un membre de l’équipe Acme prend le relais, sans que vous ayez à répéter quoi que ce soit.' } } },
        businessHours: { timeZone: 'Pacific/Auckland', weekly: { sun: [['00:00', '24:00']], mon: [['00:00', '24:00']], tue: [['00:00', '24:00']], wed: [['00:00', '24:00']], thu: [['00:00', '24:00']], fri: [['00:00', '24:00']], sat: [['00:00', '24:00']] } },
      },
    });
  });
  afterAll(() => h?.close());

  const postTo = (tenant: string, raw: string, secret = ACME.secrets[0]!) =>
    fetch(`${h.baton.url}/v1/tenants/${tenant}/evaluate`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Baton-Signature': signBatonPayload(secret, raw) }, body: raw });

  it('answers from the tenant’s file config and stores nothing: no job, no handoff', async () => {
    const raw = JSON.stringify({ conversation: { locale: 'fr-FR' }, messages: [{ role: 'customer', text: 'Je veux parler à une personne, s’il vous plaît. Je veux un remboursement.' }] });
    const res = await postTo('acme', raw);
    expect(res.status).toBe(200);
    const a = (await res.json()) as Answer;
    expect(a.escalate).toBe(true);
    expect(a.withinBusinessHours).toBe(true);
    // No first-reply data in a fresh store: the tenant's neutral French wording, no number.
    expect(a.estimatedWaitSeconds).toBeNull();
    expect(a.transitionMessage).toEqual({ locale: 'fr', text: 'Je comprends que vous demandez un remboursement. Un membre de l’équipe Acme prend le relais, sans que vous ayez à répéter quoi que ce soit.' });
    expect(await h.baton.store.listJobs({ limit: 10 })).toEqual([]);
    expect((await h.baton.store.jobCounts()).queued ?? 0).toBe(0);
  });

  it('the same 401 body as the webhook, and JSON 404 for GET', async () => {
    const raw = JSON.stringify({ messages: [{ role: 'customer', text: 'hi' }] });
    const [evaluate, webhook] = await Promise.all([postTo('acme', raw, 'whsec_wrong_1'), h.post('acme', raw, { secret: 'whsec_wrong_1' })]);
    expect(evaluate.status).toBe(401);
    expect(await evaluate.json()).toEqual(await webhook.json());
    const get = await fetch(`${h.baton.url}/v1/tenants/acme/evaluate`);
    expect(get.status).toBe(404);
    expect(((await get.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
