/**
 * Issue 7, item 10 (HTTP parts): one table of error codes and one error middleware for every route, a
 * declared non-UTF-8 charset refused with 415, security headers on every response, and `no_helpdesk`.
 * A real Baton on a free port (test/helpers/harness.ts) writing to a real Zendesk sandbox.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { ERROR_CODES, HttpError, errorHandler } from '../../server/http/errors.ts';
import { jsonContentTypeProblem } from '../../server/http/content-type.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { ACME, postHandoff, startHarness, type Harness } from '../helpers/harness.ts';
import { seedHandoff } from '../e2e/seed.ts';
import { sampleReport } from '../../app/src/demo/sample-report.ts';

const TICKET = 35436;
let h: Harness;
let handoffId: string;

const body = (id: string, ticket?: number) =>
  JSON.stringify({ id, conversation: { id: `c_${id}` }, messages: [{ role: 'customer', text: 'I need a human' }], ...(ticket ? { ticket: { id: ticket } } : {}) });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function sidebarToken(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ticket_id: TICKET })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('acme')
    .setSubject('4242')
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(new TextEncoder().encode(ACME.appSecret));
}

const feedback = async (raw: string, contentType = 'application/json') =>
  fetch(`${h.baton.url}/v1/tickets/${TICKET}/handoff/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await sidebarToken()}`, 'content-type': contentType },
    body: raw,
  });

beforeAll(async () => {
  h = await startHarness({ worker: false, maxBodyBytes: 4096 });
  handoffId = await seedHandoff(h.baton.store, 'acme', TICKET, sampleReport());
});

afterAll(async () => {
  await h?.close();
});

describe('a declared non-UTF-8 charset is refused, not misread', () => {
  it('webhook: charset=latin1 → 415 unsupported_charset; charset=UTF-8 or none → accepted', async () => {
    const latin1 = await postHandoff(h.baton.url, 'acme', body('evt_latin1', TICKET), { contentType: 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect(await codeOf(latin1)).toBe('unsupported_charset');
    expect((await postHandoff(h.baton.url, 'acme', body('evt_utf8', TICKET), { contentType: 'application/json; charset=UTF-8' })).status).toBe(202);
    expect((await postHandoff(h.baton.url, 'acme', body('evt_plain', TICKET))).status).toBe(202);
  });

  it('sidebar feedback: charset=iso-8859-1 → 415 unsupported_charset', async () => {
    const res = await feedback(JSON.stringify({ handoffId, accurate: true }), 'application/json; charset=iso-8859-1');
    expect(res.status).toBe(415);
    expect(await codeOf(res)).toBe('unsupported_charset');
  });

  it('the check itself', () => {
    expect(jsonContentTypeProblem('application/json')).toBeUndefined();
    expect(jsonContentTypeProblem('Application/JSON; Charset="utf-8"')).toBeUndefined();
    expect(jsonContentTypeProblem('application/json; charset=utf-16')).toBe('unsupported_charset');
    expect(jsonContentTypeProblem('text/plain')).toBe('unsupported_media_type');
    expect(jsonContentTypeProblem('application/json-patch+json')).toBe('unsupported_media_type');
    expect(jsonContentTypeProblem('not a media type')).toBe('unsupported_media_type');
    expect(jsonContentTypeProblem(undefined)).toBe('unsupported_media_type');
  });
});

describe('one table of error codes', () => {
  it('the sidebar answers malformed_json / payload_too_large exactly like the webhook', async () => {
    const webhookBad = await postHandoff(h.baton.url, 'acme', '{"id":', { signature: signBatonPayload(ACME.secrets[0]!, '{"id":') });
    const sidebarBad = await feedback('{"handoffId":');
    expect([webhookBad.status, sidebarBad.status]).toEqual([400, 400]);
    expect([await codeOf(webhookBad), await codeOf(sidebarBad)]).toEqual(['malformed_json', 'malformed_json']);

    const webhookBig = await postHandoff(h.baton.url, 'acme', 'x'.repeat(5000));
    const sidebarBig = await feedback(JSON.stringify({ handoffId, accurate: true, comment: 'x'.repeat(20_000) }));
    expect([webhookBig.status, sidebarBig.status]).toEqual([413, 413]);
    expect([await codeOf(webhookBig), await codeOf(sidebarBig)]).toEqual(['payload_too_large', 'payload_too_large']);
  });

  it('every code has a client or server error status and a message; HttpError takes its status from the table', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(spec.message.length, code).toBeGreaterThan(0);
    }
    expect(new HttpError('ticket_forbidden').status).toBe(403);
    expect(new HttpError('no_helpdesk').status).toBe(422);
  });

  it('the error middleware answers an unexpected error 500 internal_error without leaking its message', () => {
    let status = 0;
    let sent: unknown;
    const res = {
      headersSent: false,
      status(s: number) {
        status = s;
        return this;
      },
      json(b: unknown) {
        sent = b;
        return this;
      },
      set() {
        return this;
      },
    };
    const logged: unknown[] = [];
    errorHandler({ error: (...a: unknown[]) => void logged.push(a) } as never)(new Error('secret path /etc/x'), { path: '/x' } as never, res as never, () => undefined);
    expect(status).toBe(500);
    expect(sent).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
    expect(logged).toHaveLength(1);
  });
});

describe('security headers on every response', () => {
  it.each([
    ['GET /healthz', () => fetch(`${h.baton.url}/healthz`), 200],
    ['an unknown route', () => fetch(`${h.baton.url}/nope`), 404],
    ['a refused webhook', () => postHandoff(h.baton.url, 'acme', body('evt_h'), { signature: null }), 401],
    ['a sidebar 401', () => fetch(`${h.baton.url}/v1/tickets/1/handoff`), 401],
    ['a sidebar 200', async () => fetch(`${h.baton.url}/v1/tickets/${TICKET}/handoff`, { headers: { authorization: `Bearer ${await sidebarToken()}` } }), 200],
  ] as const)('%s', async (_name, call, status) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('no_helpdesk', () => {
  let dir: string;
  let baton: BatonInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-nohelp-'));
    const file = join(dir, 'baton.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          { id: 'bare', webhookSecrets: ['whsec_bare_1'] },
          { id: 'zonly', webhookSecrets: ['whsec_zonly_1'], zendesk: { subdomain: 'zonly', baseUrl: 'http://127.0.0.1:1', oauthToken: 'tok' } },
        ],
      }),
    );
    baton = await startTestBaton(loadConfig({ BATON_CONFIG: file, PORT: '0', BATON_DATA_DIR: dir }), { logger: createLogger('silent'), worker: false });
  });
  afterAll(async () => {
    await baton?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('422 no_helpdesk when the handoff targets a helpdesk the tenant does not connect, with or without a ticket id', async () => {
    // A valid create (no ticket id, so a customer email): only the missing helpdesk is wrong.
    const raw = JSON.stringify({ ...JSON.parse(body('evt_nohelp')), customer: { email: 'sam@example.com' } });
    const res = await postHandoff(baton.url, 'bare', raw, { secret: 'whsec_bare_1' });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'no_helpdesk', message: expect.any(String) } });
    // Naming a ticket does not help: the write could never happen, so it is refused now, not dead-lettered later.
    const withTicket = await postHandoff(baton.url, 'bare', body('evt_withticket', 7), { secret: 'whsec_bare_1' });
    expect(withTicket.status).toBe(422);
    expect(((await withTicket.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'no_helpdesk', message: expect.stringContaining('zendesk') });
  });

  it('422 no_helpdesk for an Intercom conversation at a tenant that connects only Zendesk, naming both', async () => {
    const raw = JSON.stringify({ ...JSON.parse(body('evt_ic')), intercom: { conversationId: '215468352873095' } });
    const res = await postHandoff(baton.url, 'zonly', raw, { secret: 'whsec_zonly_1' });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('no_helpdesk');
    expect(error.message).toMatch(/targets intercom.*connects zendesk/);
    expect(await baton.store.listJobs({ tenantId: 'zonly' })).toEqual([]);
  });
});
