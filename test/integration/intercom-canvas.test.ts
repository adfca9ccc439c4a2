/**
 * The Canvas Kit endpoints on a real server (loopback, free port): signatures checked on the raw bytes before
 * parsing, one 401 body for unknown tenants and bad signatures, malformed and oversized bodies, the card for a
 * conversation with a handoff, the friendly card without one, and feedback through /submit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { errorHandler } from '../../server/http/errors.ts';
import { intercomCanvasRouter, type CanvasFeedback, type IntercomCanvasDeps } from '../../server/helpdesks/intercom/canvas-routes.ts';
import { signCanvasBody } from '../../server/helpdesks/intercom/canvas-signature.ts';
import { FEEDBACK_NO_ID, FEEDBACK_YES_ID, canvasContentBytes, type CanvasResponse } from '../../server/helpdesks/intercom/canvas.ts';
import { listen } from '../helpers/listen.ts';
import { SAMPLE_HANDOFF_ID, sampleReport } from '../fixtures/sample-report.ts';

const SECRET = 'ic_client_secret_1';
const CONVERSATION = '215468352873095';
const MAX_BODY = 16 * 1024;

/** An initialize body shaped like Intercom's (workspace, admin, context, conversation, contact). */
const initBody = (conversationId: unknown = CONVERSATION, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    workspace_id: 'ecahpwf5',
    workspace_region: 'us',
    admin: { id: '814860', type: 'admin' },
    card_creation_options: {},
    context: { location: 'conversation', conversation_id: conversationId },
    conversation: { id: conversationId, type: 'conversation' },
    contact: { id: '6657a0f3', type: 'user' },
    ...extra,
  });

let server: Server;
let base: string;
const feedback: CanvasFeedback[] = [];
const lookups: Array<[string, string]> = [];

beforeAll(async () => {
  const deps: IntercomCanvasDeps = {
    tenantSecret: (t) => (t === 'globex' ? SECRET : undefined),
    findReport: (t, c) => {
      lookups.push([t, c]);
      return t === 'globex' && c === CONVERSATION ? { handoffId: SAMPLE_HANDOFF_ID, report: sampleReport() } : undefined;
    },
    recordFeedback: (f) => {
      feedback.push(f);
    },
    logger: pino({ level: 'silent' }),
    maxBodyBytes: MAX_BODY,
  };
  const app = express();
  app.use(intercomCanvasRouter(deps));
  app.use(errorHandler(pino({ level: 'silent' })));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function post(path: string, body: string, opts: { signature?: string | null; contentType?: string; tenant?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
  const sig = opts.signature === undefined ? signCanvasBody(body, SECRET) : opts.signature;
  if (sig !== null) headers['x-body-signature'] = sig;
  const res = await fetch(`${base}/v1/tenants/${opts.tenant ?? 'globex'}/intercom/canvas/${path}`, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const componentIds = (json: Record<string, unknown>): string[] =>
  ((json as unknown as CanvasResponse).canvas.content.components.map((c) => c.id).filter(Boolean) as string[]);

describe('POST /v1/tenants/:tenantId/intercom/canvas/initialize', () => {
  it('answers a correctly signed request with the briefing card', async () => {
    const { status, json } = await post('initialize', initBody());
    expect(status).toBe(200);
    const canvas = json as unknown as CanvasResponse;
    expect(componentIds(json)).toEqual(expect.arrayContaining(['summary', 'opener', FEEDBACK_YES_ID, FEEDBACK_NO_ID]));
    expect(canvasContentBytes(canvas)).toBeLessThan(64 * 1024);
    expect(lookups.at(-1)).toEqual(['globex', CONVERSATION]);
  });

  it('accepts a numeric conversation id, and context.conversation_id when conversation is absent', async () => {
    expect(componentIds((await post('initialize', initBody(Number(CONVERSATION)))).json)).toContain('summary');
    const onlyContext = JSON.stringify({ context: { conversation_id: CONVERSATION } });
    expect(componentIds((await post('initialize', onlyContext)).json)).toContain('summary');
  });

  it('answers the friendly card for a conversation without a handoff, and for a request naming no conversation', async () => {
    for (const body of [initBody('999'), JSON.stringify({ workspace_id: 'x' }), initBody('../../etc/passwd'), initBody({ nested: true })]) {
      const { status, json } = await post('initialize', body);
      expect(status, body).toBe(200);
      expect(componentIds(json)).toEqual(['no_handoff_title', 'no_handoff_body']);
    }
  });

  it('refuses a bad, missing or malformed signature with 401 before parsing, with the same body as an unknown tenant', async () => {
    const body = initBody();
    const wrongKey = await post('initialize', body, { signature: signCanvasBody(body, 'another_secret') });
    const otherBody = await post('initialize', body, { signature: signCanvasBody(`${body} `, SECRET) });
    const missing = await post('initialize', body, { signature: null });
    const notHex = await post('initialize', body, { signature: 'z'.repeat(64) });
    const short = await post('initialize', body, { signature: signCanvasBody(body, SECRET).slice(0, 40) });
    const unknownTenant = await post('initialize', body, { tenant: 'nobody' });
    // A body that is not even JSON: still 401 (the signature is checked first).
    const garbage = await post('initialize', '{not json', { signature: signCanvasBody('{not json', 'wrong') });
    for (const r of [wrongKey, otherBody, missing, notHex, short, unknownTenant, garbage]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual(unknownTenant.json);
    }
    expect(unknownTenant.json).toEqual({ error: { code: 'invalid_signature', message: expect.stringContaining('X-Body-Signature') } });
  });

  it('accepts the signature in upper-case hex', async () => {
    const body = initBody();
    expect((await post('initialize', body, { signature: signCanvasBody(body, SECRET).toUpperCase() })).status).toBe(200);
  });

  it('answers 400 malformed_json for a signed body that is not JSON, and 400 invalid_body for JSON that is not an object', async () => {
    const bad = await post('initialize', '{"conversation":');
    expect(bad.status).toBe(400);
    expect((bad.json.error as { code: string }).code).toBe('malformed_json');
    for (const body of ['[1,2]', '"text"', 'null']) {
      const r = await post('initialize', body);
      expect(r.status, body).toBe(400);
      expect((r.json.error as { code: string }).code).toBe('invalid_body');
    }
  });

  it('answers 413 for a body over the limit and 415 for a body that is not JSON', async () => {
    const big = initBody(CONVERSATION, { padding: 'x'.repeat(MAX_BODY) });
    const tooBig = await post('initialize', big);
    expect(tooBig.status).toBe(413);
    expect((tooBig.json.error as { code: string }).code).toBe('payload_too_large');
    const form = await post('initialize', initBody(), { contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const latin = await post('initialize', initBody(), { contentType: 'application/json; charset=latin1' });
    expect((latin.json.error as { code: string }).code).toBe('unsupported_charset');
  });
});

describe('POST /v1/tenants/:tenantId/intercom/canvas/submit', () => {
  it('records "accurate" / "not accurate" and answers the card with a thank-you', async () => {
    feedback.length = 0;
    for (const [componentId, accurate] of [
      [FEEDBACK_YES_ID, true],
      [FEEDBACK_NO_ID, false],
    ] as const) {
      const { status, json } = await post('submit', initBody(CONVERSATION, { component_id: componentId, input_values: {}, current_canvas: {} }));
      expect(status).toBe(200);
      expect(componentIds(json)).toContain('feedback_thanks');
      expect(componentIds(json)).not.toContain(FEEDBACK_YES_ID);
      expect(feedback.at(-1)).toEqual({ tenantId: 'globex', conversationId: CONVERSATION, handoffId: SAMPLE_HANDOFF_ID, accurate, adminId: '814860' });
    }
    expect(feedback).toHaveLength(2);
  });

  it('records nothing for another component, and nothing without a valid signature', async () => {
    feedback.length = 0;
    const other = await post('submit', initBody(CONVERSATION, { component_id: 'opener' }));
    expect(other.status).toBe(200);
    expect(componentIds(other.json)).toContain(FEEDBACK_YES_ID);
    const body = initBody(CONVERSATION, { component_id: FEEDBACK_YES_ID });
    expect((await post('submit', body, { signature: signCanvasBody(body, 'nope') })).status).toBe(401);
    expect(feedback).toEqual([]);
  });
});
