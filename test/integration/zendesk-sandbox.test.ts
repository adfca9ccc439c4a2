/**
 * The Zendesk sandbox over real HTTP on a free port: what Baton's Zendesk client will meet in tests and demo.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startZendeskSandbox, type RunningZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { loadZendeskSpecValidator, resolveZendeskSpecPath, ZendeskSpecUnavailableError } from '../../sandbox/zendesk/spec-validator.ts';
import { handoffMarker, renderNoteHtml } from '../../server/helpdesks/zendesk/render-note.ts';
import { handoffTags } from '../../server/helpdesks/zendesk/tags.ts';
import { SAMPLE_HANDOFF_ID, sampleReport } from '../fixtures/sample-report.ts';

const AUTH = `Basic ${Buffer.from('demo@baton.local/token:sandbox').toString('base64')}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

async function api(
  sb: { url: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Answer> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    /* text/plain answers */
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The update Baton's writer sends: one PUT with a private note, tags, fields, priority and group. */
function batonUpdate(extra: Json = {}): Json {
  const report = sampleReport();
  return {
    ticket: {
      comment: { html_body: renderNoteHtml(report, SAMPLE_HANDOFF_ID), public: false },
      additional_tags: handoffTags(report),
      custom_fields: [
        { id: 9001, value: report.sentiment.label },
        { id: 9002, value: report.primaryTrigger },
        { id: 9003, value: SAMPLE_HANDOFF_ID },
      ],
      priority: report.priority.level,
      group_id: report.routing.groupId,
      ...extra,
    },
  };
}

/** The create Baton's writer sends when the handoff names no ticket. */
function batonCreate(): Json {
  const report = sampleReport();
  return {
    ticket: {
      subject: 'Chat handoff: order still active after cancelling',
      requester: { name: 'Sarah Johnson', email: 'sarah@example.com' },
      comment: { html_body: renderNoteHtml(report, SAMPLE_HANDOFF_ID), public: false },
      tags: handoffTags(report),
      custom_fields: [{ id: 9003, value: SAMPLE_HANDOFF_ID }],
      priority: report.priority.level,
      group_id: report.routing.groupId,
    },
  };
}

describe('Zendesk sandbox over HTTP', () => {
  let clock = Date.parse('2026-11-20T11:00:00Z');
  let sb: RunningZendeskSandbox;

  beforeAll(async () => {
    sb = await startZendeskSandbox({ now: () => clock });
  });
  afterAll(async () => {
    await sb.close();
  });
  beforeEach(() => {
    clock = Date.parse('2026-11-20T11:00:00Z');
    sb.reset();
  });

  describe('auth', () => {
    it('answers 401 like Zendesk without credentials, with a wrong token, or with password auth', async () => {
      for (const authorization of [
        '',
        `Basic ${Buffer.from('demo@baton.local/token:wrong').toString('base64')}`,
        `Basic ${Buffer.from('demo@baton.local:sandbox').toString('base64')}`,
        'Bearer sandbox',
      ]) {
        const r = await api(sb, 'GET', '/api/v2/tickets/35436.json', undefined, { authorization });
        expect(r.status).toBe(401);
        expect(r.json).toEqual({ error: "Couldn't authenticate you" });
      }
      expect(sb.calls.map((c) => c.status)).toEqual([401, 401, 401, 401]);
    });

    it('accepts a bearer token when configured', async () => {
      const other = await startZendeskSandbox({ credentials: [{ oauthToken: 'oauth_abc' }], specPath: false });
      try {
        expect((await api(other, 'GET', '/api/v2/tickets/35436', undefined, { authorization: 'Bearer oauth_abc' })).status).toBe(200);
        expect((await api(other, 'GET', '/api/v2/tickets/35436', undefined, { authorization: AUTH })).status).toBe(401);
      } finally {
        await other.close();
      }
    });
  });

  describe('reading tickets', () => {
    it('shows a seeded ticket with or without the .json suffix', async () => {
      const a = await api(sb, 'GET', '/api/v2/tickets/35436.json');
      const b = await api(sb, 'GET', '/api/v2/tickets/35436');
      expect(a.status).toBe(200);
      expect(b.json).toEqual(a.json);
      expect(a.json.ticket).toMatchObject({ id: 35436, status: 'open', url: `${sb.url}/api/v2/tickets/35436.json` });
      expect(a.json.ticket.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('404s an unknown ticket and an unknown endpoint', async () => {
      expect((await api(sb, 'GET', '/api/v2/tickets/999999.json')).json).toEqual({ error: 'RecordNotFound', description: 'Not found' });
      expect((await api(sb, 'PUT', '/api/v2/tickets/999999.json', batonUpdate())).status).toBe(404);
      expect((await api(sb, 'GET', '/api/v2/users/me.json')).json.error).toBe('InvalidEndpoint');
    });
  });

  describe('rate limits', () => {
    it('puts the rate-limit headers on every response', async () => {
      const r = await api(sb, 'GET', '/api/v2/tickets/35436');
      expect(r.headers.get('x-rate-limit')).toBe('700');
      expect(r.headers.get('x-rate-limit-remaining')).toBe('699');
      expect(r.headers.get('ratelimit-limit')).toBe('700');
      expect(r.headers.get('ratelimit-remaining')).toBe('699');
      expect(Number(r.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      const unauth = await api(sb, 'GET', '/api/v2/tickets/35436', undefined, { authorization: '' });
      expect(unauth.headers.get('x-rate-limit-remaining')).toBe('698');
    });

    it('answers 429 with Retry-After over the account limit per sliding minute', async () => {
      const small = await startZendeskSandbox({ rateLimitPerMinute: 3, specPath: false, now: () => clock });
      try {
        const remaining: (string | null)[] = [];
        for (let i = 0; i < 3; i++) {
          const r = await api(small, 'GET', '/api/v2/tickets/35436');
          expect(r.status).toBe(200);
          remaining.push(r.headers.get('x-rate-limit-remaining'));
          clock += 10_000;
        }
        expect(remaining).toEqual(['2', '1', '0']);
        const limited = await api(small, 'GET', '/api/v2/tickets/35436');
        expect(limited.status).toBe(429);
        // The first request (at t=0) leaves the window at t=60 s; it is now t=30 s.
        expect(limited.headers.get('retry-after')).toBe('30');
        expect(limited.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(limited.text).toBe('Number of allowed API requests per minute exceeded');
        clock += 29_000;
        expect((await api(small, 'GET', '/api/v2/tickets/35436')).status).toBe(429);
        clock += 1_000;
        expect((await api(small, 'GET', '/api/v2/tickets/35436')).status).toBe(200);
      } finally {
        await small.close();
      }
    });

    it('limits updates of one ticket (Zendesk: 30 per 10 minutes)', async () => {
      const small = await startZendeskSandbox({ ticketUpdateLimit: { max: 2, windowMs: 600_000 }, specPath: false, now: () => clock });
      try {
        expect((await api(small, 'PUT', '/api/v2/tickets/35436', { ticket: { additional_tags: ['a'] } })).status).toBe(200);
        expect((await api(small, 'PUT', '/api/v2/tickets/35436', { ticket: { additional_tags: ['b'] } })).status).toBe(200);
        const third = await api(small, 'PUT', '/api/v2/tickets/35436', { ticket: { additional_tags: ['c'] } });
        expect(third.status).toBe(429);
        expect(third.headers.get('retry-after')).toBe('600');
        expect((await api(small, 'PUT', '/api/v2/tickets/35437', { ticket: { additional_tags: ['c'] } })).status).toBe(200);
      } finally {
        await small.close();
      }
    });
  });

  describe('ticket create', () => {
    it('creates a ticket with the requester inline and the private note', async () => {
      const r = await api(sb, 'POST', '/api/v2/tickets.json', batonCreate());
      expect(r.status).toBe(201);
      const t = r.json.ticket;
      expect(t.id).toBe(40001);
      expect(r.headers.get('location')).toBe(`${sb.url}/api/v2/tickets/40001.json`);
      expect(t.tags).toEqual(handoffTags(sampleReport()));
      expect(t).toMatchObject({ priority: 'high', group_id: 360001, status: 'new', custom_fields: [{ id: 9003, value: SAMPLE_HANDOFF_ID }] });
      const requester = sb.state.users.get(t.requester_id);
      expect(requester).toMatchObject({ name: 'Sarah Johnson', email: 'sarah@example.com' });
      expect(r.json.audit.events.some((e: Json) => e.type === 'Comment' && e.public === false)).toBe(true);
      const comments = await api(sb, 'GET', '/api/v2/tickets/40001/comments.json');
      expect(comments.json.comments).toHaveLength(1);
      expect(comments.json.comments[0].public).toBe(false);
      expect(comments.json.comments[0].body).toContain(handoffMarker(SAMPLE_HANDOFF_ID));
    });

    it('honours Idempotency-Key: the same key and body twice make one ticket', async () => {
      const headers = { 'idempotency-key': `baton:${SAMPLE_HANDOFF_ID}` };
      const first = await api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), headers);
      const second = await api(sb, 'POST', '/api/v2/tickets', batonCreate(), headers);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(first.headers.get('x-idempotency-lookup')).toBe('miss');
      expect(second.headers.get('x-idempotency-lookup')).toBe('hit');
      expect(second.json).toEqual(first.json);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      expect([...sb.state.tickets.keys()].filter((id) => id >= 40001)).toEqual([40001]);
      expect(sb.writes().map((c) => c.idempotency)).toEqual(['miss', 'hit']);
    });

    it('refuses the same key with a different body (IdempotentRequestError)', async () => {
      const headers = { 'idempotency-key': 'k-1' };
      await api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), headers);
      const other = batonCreate();
      other.ticket.subject = 'Something else';
      const r = await api(sb, 'POST', '/api/v2/tickets.json', other, headers);
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('IdempotentRequestError');
      expect(sb.state.tickets.has(40002)).toBe(false);
    });

    it('forgets keys after two hours', async () => {
      const headers = { 'idempotency-key': 'k-2' };
      expect((await api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), headers)).json.ticket.id).toBe(40001);
      clock += 2 * 60 * 60 * 1000 - 1000;
      expect((await api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), headers)).json.ticket.id).toBe(40001);
      clock += 1000;
      const late = await api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), headers);
      expect(late.json.ticket.id).toBe(40002);
      expect(late.headers.get('x-idempotency-lookup')).toBe('miss');
    });

    it('refuses a create without a comment (422 RecordInvalid)', async () => {
      const r = await api(sb, 'POST', '/api/v2/tickets.json', { ticket: { subject: 'x' } });
      expect(r.status).toBe(422);
      expect(r.json).toMatchObject({ error: 'RecordInvalid', details: { description: [{ error: 'BlankValue' }] } });
    });
  });

  describe('ticket update', () => {
    it('applies Baton’s one-write update: private note, merged tags, fields, priority, group', async () => {
      const r = await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate());
      expect(r.status).toBe(200);
      expect(r.json.ticket.tags).toEqual(['web_chat', 'orders', ...handoffTags(sampleReport())]);
      expect(r.json.ticket).toMatchObject({ priority: 'high', group_id: 360001 });
      expect(r.json.ticket.custom_fields).toEqual([
        { id: 9001, value: 'negative' },
        { id: 9002, value: 'customer_requested_human' },
        { id: 9003, value: SAMPLE_HANDOFF_ID },
      ]);
      expect(r.json.audit.events[0]).toMatchObject({ type: 'Comment', public: false });
      expect(r.json.audit.events.find((e: Json) => e.field_name === 'priority')).toMatchObject({ type: 'Change', value: 'high', previous_value: 'normal' });

      const desc = await api(sb, 'GET', '/api/v2/tickets/35436/comments.json?sort_order=desc');
      expect(desc.json.comments[0].public).toBe(false);
      expect(desc.json.comments[0].html_body).toContain(handoffMarker(SAMPLE_HANDOFF_ID));
      expect(desc.json.comments[0].html_body).toContain('<h3>Summary</h3>');
      const asc = await api(sb, 'GET', '/api/v2/tickets/35436/comments');
      expect(asc.json.comments.map((c: Json) => c.id)).toEqual([...desc.json.comments.map((c: Json) => c.id)].reverse());
    });

    it('answers 409 UpdateConflict for a stale updated_stamp on a safe update', async () => {
      const before = (await api(sb, 'GET', '/api/v2/tickets/35436')).json.ticket.updated_at as string;
      const ok = await api(sb, 'PUT', '/api/v2/tickets/35436', batonUpdate({ safe_update: true, updated_stamp: before }));
      expect(ok.status).toBe(200);
      expect(ok.json.ticket.updated_at).not.toBe(before);

      const stale = await api(sb, 'PUT', '/api/v2/tickets/35436', batonUpdate({ safe_update: true, updated_stamp: before }));
      expect(stale.status).toBe(409);
      expect(stale.json).toEqual({
        error: 'UpdateConflict',
        description: 'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
      });
      expect(sb.state.tickets.get(35436)?.comments.filter((c) => !c.public)).toHaveLength(1);

      const fresh = await api(sb, 'PUT', '/api/v2/tickets/35436', batonUpdate({ safe_update: true, updated_stamp: ok.json.ticket.updated_at }));
      expect(fresh.status).toBe(200);
    });

    it('moves updated_at forward even for two updates within one second', async () => {
      const a = await api(sb, 'PUT', '/api/v2/tickets/35437', { ticket: { additional_tags: ['x'] } });
      const b = await api(sb, 'PUT', '/api/v2/tickets/35437', { ticket: { additional_tags: ['y'] } });
      expect(Date.parse(b.json.ticket.updated_at)).toBeGreaterThan(Date.parse(a.json.ticket.updated_at));
    });
  });

  describe('scripting', () => {
    it('plays a scripted 429 with Retry-After once, then answers normally', async () => {
      sb.script.next({ status: 429, headers: { 'Retry-After': '7' }, body: 'Number of allowed API requests per minute exceeded' });
      const limited = await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate());
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.headers.get('x-rate-limit')).toBe('700');
      const ok = await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate());
      expect(ok.status).toBe(200);
      expect(sb.writes().map((c) => [c.scripted, c.status])).toEqual([
        [true, 429],
        [false, 200],
      ]);
      expect(sb.state.tickets.get(35436)?.comments).toHaveLength(2);
    });

    it('matches scripted responses by method and path (with or without .json)', async () => {
      sb.script.next({ status: 500, body: { error: 'InternalError' }, match: { method: 'PUT', path: '/api/v2/tickets/35437' } });
      expect((await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate())).status).toBe(200);
      expect((await api(sb, 'GET', '/api/v2/tickets/35437.json')).status).toBe(200);
      expect((await api(sb, 'PUT', '/api/v2/tickets/35437.json', batonUpdate())).status).toBe(500);
      expect(sb.script.pending()).toBe(0);
    });

    it('drops the connection without processing the request', async () => {
      sb.script.next({ drop: true });
      await expect(api(sb, 'POST', '/api/v2/tickets.json', batonCreate())).rejects.toThrow();
      expect(sb.calls[0]).toMatchObject({ dropped: true, status: 0, scripted: true });
      expect(sb.state.tickets.has(40001)).toBe(false);
      expect((await api(sb, 'GET', '/api/v2/tickets/35436')).status).toBe(200);
    });

    it('can lose the response of a write that did happen (passThrough + drop)', async () => {
      sb.script.next({ drop: true, passThrough: true });
      const headers = { 'idempotency-key': 'lost-response' };
      await expect(api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), headers)).rejects.toThrow();
      expect(sb.state.tickets.has(40001)).toBe(true);
      const retry = await api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), headers);
      expect(retry.headers.get('x-idempotency-lookup')).toBe('hit');
      expect(retry.json.ticket.id).toBe(40001);
      expect(sb.state.tickets.has(40002)).toBe(false);
    });

    it('delays a scripted answer past the client timeout', async () => {
      sb.script.next({ status: 200, body: { ok: true }, delayMs: 400 });
      const started = Date.now();
      await expect(api(sb, 'GET', '/api/v2/tickets/35436', undefined, {}, AbortSignal.timeout(100))).rejects.toThrow(/abort|timeout/i);
      expect(Date.now() - started).toBeLessThan(350);
    });

    it('rejects a script entry that would do nothing', () => {
      expect(() => sb.script.next({})).toThrow(/status/);
      expect(() => sb.script.next({ status: 42 })).toThrow(/status/);
    });
  });

  describe('latency', () => {
    let slow: RunningZendeskSandbox;
    beforeAll(async () => {
      slow = await startZendeskSandbox({ latencyMs: 120, specPath: false });
    });
    afterAll(async () => {
      await slow.close();
    });

    it('adds the configured latency to every API request', async () => {
      const started = performance.now();
      await Promise.all([api(slow, 'GET', '/api/v2/tickets/35436'), api(slow, 'GET', '/api/v2/tickets/35437')]);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(110);
      expect(slow.calls).toHaveLength(2);
    });
  });

  // Never skipped: the spec ships in test/fixtures/api-specs/, and a sandbox without it refuses to start.
  describe('validation against the official spec', () => {
    it('is enabled when the spec file is present', () => {
      expect(sb.state.validation).toBe('enabled');
    });

    it('rejects a body that breaks the spec with 422 RecordInvalid naming each field', async () => {
      const r = await api(sb, 'PUT', '/api/v2/tickets/35436.json', '{"ticket":{"comment":"x","priority":"super"}}');
      expect(r.status).toBe(422);
      expect(r.json.error).toBe('RecordInvalid');
      expect(Object.keys(r.json.details).sort()).toEqual(['comment', 'priority']);
      expect(r.json.details.priority[0].description).toMatch(/urgent, high, normal, low/);
      const call = sb.calls[0];
      expect(call?.valid).toBe(false);
      expect(call?.validation.errors.map((e) => e.path).sort()).toEqual(['ticket.comment', 'ticket.priority']);
      expect(sb.state.tickets.get(35436)?.priority).toBe('normal');
    });

    it('rejects read-only attributes and bad requester emails on create', async () => {
      const body = batonCreate();
      body.ticket.id = 123;
      body.ticket.requester.email = 'not-an-email';
      const r = await api(sb, 'POST', '/api/v2/tickets.json', body);
      expect(r.status).toBe(422);
      expect(Object.keys(r.json.details).sort()).toEqual(['id', 'requester']);
    });

    it('accepts Baton’s real create and update shapes', async () => {
      expect((await api(sb, 'POST', '/api/v2/tickets.json', batonCreate(), { 'idempotency-key': 'v-1' })).status).toBe(201);
      const stamp = sb.state.tickets.get(35436)?.updated_at;
      expect((await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate({ safe_update: true, updated_stamp: stamp }))).status).toBe(200);
      expect((await api(sb, 'PUT', '/api/v2/tickets/35437.json', { ticket: { comment: { body: 'plain note', public: false }, priority: null } })).status).toBe(200);
      expect(sb.calls.every((c) => c.valid)).toBe(true);
      expect(sb.writes().every((c) => c.validation.checked)).toBe(true);
    });

    it('answers with shapes that match the spec’s response schemas', async () => {
      const validator = loadZendeskSpecValidator(resolveZendeskSpecPath());
      if (!validator.ok) throw new Error(validator.reason);
      const v = validator.validator;
      const created = await api(sb, 'POST', '/api/v2/tickets.json', batonCreate());
      const updated = await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate());
      const shown = await api(sb, 'GET', '/api/v2/tickets/35436.json');
      const comments = await api(sb, 'GET', '/api/v2/tickets/35436/comments.json');
      expect(v.validateSchema('TicketResponse', { ticket: created.json.ticket }, 'response')).toEqual([]);
      expect(v.validateSchema('TicketUpdateResponse', updated.json, 'response')).toEqual([]);
      expect(v.validateSchema('TicketResponse', shown.json, 'response')).toEqual([]);
      expect(v.validateSchema('TicketCommentsResponse', comments.json, 'response')).toEqual([]);
    });
  });

  describe('bad input', () => {
    it('answers 400 for malformed JSON and for a body that is not JSON', async () => {
      const malformed = await api(sb, 'PUT', '/api/v2/tickets/35436.json', '{"ticket":');
      expect(malformed.status).toBe(400);
      expect(malformed.json.description).toMatch(/not valid JSON/);
      const text = await api(sb, 'PUT', '/api/v2/tickets/35436.json', 'ticket=1', { 'content-type': 'text/plain' });
      expect(text.status).toBe(400);
      expect(sb.calls.map((c) => c.valid)).toEqual([false, false]);
    });
  });

  describe('calls', () => {
    it('records method, path, lowercased headers, parsed body, time, status', async () => {
      await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate(), { 'X-Baton-Handoff': SAMPLE_HANDOFF_ID });
      const call = sb.calls[0];
      expect(call).toMatchObject({
        seq: 1,
        method: 'PUT',
        path: '/api/v2/tickets/35436.json',
        operation: 'UpdateTicket',
        ticketId: 35436,
        at: clock,
        scripted: false,
        status: 200,
        dropped: false,
      });
      expect(call?.headers['x-baton-handoff']).toBe(SAMPLE_HANDOFF_ID);
      // No credential is kept in the log: a marker, and a keyed fingerprint of the one used.
      expect(call?.headers.authorization).toBe('[redacted]');
      expect(call?.credential).toBe(sb.credentialFingerprint(AUTH));
      expect(JSON.stringify(call)).not.toContain(AUTH.split(' ')[1]);
      expect(call?.body).toEqual(batonUpdate());
    });
  });
});

describe('Zendesk sandbox mounted under /sandbox/zendesk', () => {
  let sb: RunningZendeskSandbox;
  beforeAll(async () => {
    sb = await startZendeskSandbox({ basePath: '/sandbox/zendesk' });
  });
  afterAll(async () => {
    await sb.close();
  });
  afterEach(() => sb.reset());

  it('serves the API below the mount point and builds URLs from it', async () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/zendesk$/);
    const r = await api(sb, 'POST', '/api/v2/tickets.json', batonCreate());
    expect(r.headers.get('location')).toBe(`${sb.url}/api/v2/tickets/40001.json`);
    expect(sb.calls[0]?.path).toBe('/api/v2/tickets.json');
  });

  it('lists tickets newest first with tags, linking below the mount point', async () => {
    await api(sb, 'PUT', '/api/v2/tickets/35436.json', batonUpdate());
    await api(sb, 'POST', '/api/v2/tickets.json', batonCreate());
    const res = await fetch(`${sb.url}/`);
    const html = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.indexOf('#40001')).toBeLessThan(html.indexOf('#35436'));
    expect(html).toContain('href="/sandbox/zendesk/tickets/35436"');
    expect(html).toContain('baton_reason_customer_requested_human');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\/(?!127\.0\.0\.1)/);
    expect(sb.calls).toHaveLength(2); // the view is not recorded
  });

  it('shows a ticket with its internal note rendered and everything else escaped', async () => {
    const hostile = batonUpdate();
    hostile.ticket.comment.html_body += '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>';
    await api(sb, 'PUT', '/api/v2/tickets/35436.json', hostile);
    await api(sb, 'PUT', '/api/v2/tickets/35436.json', { ticket: { comment: { body: '<b>public</b> "reply"', public: true }, subject: '<i>new subject</i>' } });
    const res = await fetch(`${sb.url}/tickets/35436`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Internal note');
    expect(html).toContain('<h3>Why the bot handed over</h3>');
    expect(html).toContain(handoffMarker(SAMPLE_HANDOFF_ID));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;b&gt;public&lt;/b&gt; &quot;reply&quot;');
    expect(html).toContain('&lt;i&gt;new subject&lt;/i&gt;');
    expect(html).toContain('Sarah Johnson &lt;sarah@example.com&gt;');
    expect((await fetch(`${sb.url}/tickets/1`)).status).toBe(404);
  });
});

describe('Zendesk sandbox without the spec file', () => {
  it('refuses to start, naming the missing file, so no call can count as valid unchecked', async () => {
    const missing = '/nonexistent/zendesk-support-oas.yaml';
    const started = startZendeskSandbox({ specPath: missing });
    await expect(started).rejects.toThrow(ZendeskSpecUnavailableError);
    await expect(started).rejects.toThrow(missing);
  });

  it('serves unvalidated only when validation is turned off explicitly, and says so', async () => {
    const sb = await startZendeskSandbox({ specPath: false });
    try {
      expect(sb.state.validation).toBe('disabled');
      const r = await api(sb, 'PUT', '/api/v2/tickets/35436.json', { ticket: { comment: 'x' } });
      expect(r.status).toBe(200);
      expect(sb.calls[0]).toMatchObject({ validation: { checked: false, errors: [] } });
      // Semantic checks still apply.
      expect((await api(sb, 'PUT', '/api/v2/tickets/35436.json', { ticket: { priority: 'super' } })).status).toBe(422);
    } finally {
      await sb.close();
    }
  });
});
