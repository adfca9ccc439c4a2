import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIntercomSandbox, DEFAULT_INTERCOM_TOKEN, SANDBOX_ADMIN, SEED_CONVERSATION_ID, SpecUnavailableError, startIntercomSandbox, type RunningIntercomSandbox } from '../../sandbox/intercom/index.ts';

const AUTH = { Authorization: `Bearer ${DEFAULT_INTERCOM_TOKEN}`, 'Intercom-Version': '2.14', Accept: 'application/json' };
const JSON_AUTH = { ...AUTH, 'Content-Type': 'application/json' };

type Json = Record<string, unknown>;

async function call(sb: RunningIntercomSandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = JSON_AUTH): Promise<{ status: number; headers: Headers; json: Json }> {
  const res = await fetch(`${sb.url}${path}`, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Json) : {} };
}

const errorCode = (json: Json): string | undefined => (json.errors as Array<{ code: string }> | undefined)?.[0]?.code;

describe('Intercom sandbox: the operations Baton calls', () => {
  let sb: RunningIntercomSandbox;
  beforeAll(async () => {
    sb = await startIntercomSandbox();
  });
  afterAll(() => sb.close());
  afterEach(() => sb.reset());

  it('GET /me answers the admin the token belongs to', async () => {
    const r = await call(sb, 'GET', '/me', undefined, AUTH);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ type: 'admin', id: SANDBOX_ADMIN.id });
  });

  it('GET /conversations/{id} returns a seeded Fin handoff with its parts', async () => {
    const r = await call(sb, 'GET', `/conversations/${SEED_CONVERSATION_ID}`, undefined, AUTH);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ type: 'conversation', id: SEED_CONVERSATION_ID, ai_agent_participated: true, ai_agent: { resolution_state: 'routed_to_team' } });
    const parts = (r.json.conversation_parts as { conversation_parts: Json[] }).conversation_parts;
    expect(parts.some((p) => (p.author as Json).type === 'bot' && (p.author as Json).from_ai_agent === true)).toBe(true);
    expect(parts.at(-1)).toMatchObject({ part_type: 'assignment', assigned_to: { type: 'team' } });
    expect((r.json.ai_agent as { content_sources: { content_sources: Json[] } }).content_sources.content_sources[0]).toMatchObject({ content_type: 'article' });
    expect(sb.calls.at(-1)).toMatchObject({ operation: 'retrieveConversation', params: { conversation_id: SEED_CONVERSATION_ID }, valid: true });
  });

  it('GET /contacts/{id} returns the contact; unknown ids are 404 not_found', async () => {
    const conv = await call(sb, 'GET', `/conversations/${SEED_CONVERSATION_ID}`, undefined, AUTH);
    const contactId = ((conv.json.contacts as { contacts: Json[] }).contacts[0] as Json).id as string;
    const r = await call(sb, 'GET', `/contacts/${contactId}`, undefined, AUTH);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ type: 'contact', id: contactId, email: 'maria.lopez@example.com', role: 'user' });
    const missing = await call(sb, 'GET', '/contacts/000000000000000000000000', undefined, AUTH);
    expect(missing.status).toBe(404);
    expect(missing.json.type).toBe('error.list');
    expect(errorCode(missing.json)).toBe('not_found');
    const noConv = await call(sb, 'GET', '/conversations/999999', undefined, AUTH);
    expect(noConv.status).toBe(404);
  });

  it('POST /conversations/{id}/reply with message_type note adds a note part the next GET returns', async () => {
    const body = { message_type: 'note', type: 'admin', admin_id: SANDBOX_ADMIN.id, body: '<p>Baton briefing</p>' };
    const r = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/reply`, body);
    expect(r.status).toBe(200);
    const again = await call(sb, 'GET', `/conversations/${SEED_CONVERSATION_ID}`, undefined, AUTH);
    const parts = (again.json.conversation_parts as { conversation_parts: Json[] }).conversation_parts;
    expect(parts.at(-1)).toMatchObject({ part_type: 'note', body: '<p>Baton briefing</p>', author: { type: 'admin', id: SANDBOX_ADMIN.id } });
    expect(sb.notes(SEED_CONVERSATION_ID)).toHaveLength(1);
  });

  it('tags: POST /tags creates or finds by name (case-insensitive), GET /tags lists, POST /conversations/{id}/tags attaches', async () => {
    const created = await call(sb, 'POST', '/tags', { name: 'baton_handoff' });
    expect(created.status).toBe(200);
    const again = await call(sb, 'POST', '/tags', { name: 'BATON_HANDOFF' });
    expect(again.json.id).toBe(created.json.id);
    const renamed = await call(sb, 'POST', '/tags', { name: 'baton_handoff', id: created.json.id });
    expect(renamed.json).toMatchObject({ type: 'tag', id: created.json.id });
    const list = await call(sb, 'GET', '/tags', undefined, AUTH);
    expect(list.json).toEqual({ type: 'list', data: [{ type: 'tag', id: created.json.id, name: 'baton_handoff' }] });

    const attach = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/tags`, { id: created.json.id, admin_id: SANDBOX_ADMIN.id });
    expect(attach.status).toBe(200);
    expect(attach.json).toMatchObject({ type: 'tag', id: created.json.id, applied_by: { type: 'admin', id: SANDBOX_ADMIN.id } });
    const conv = await call(sb, 'GET', `/conversations/${SEED_CONVERSATION_ID}`, undefined, AUTH);
    expect((conv.json.tags as { tags: Json[] }).tags.map((t) => t.name)).toEqual(['baton_handoff']);

    const unknownTag = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/tags`, { id: '424242', admin_id: SANDBOX_ADMIN.id });
    expect(unknownTag.status).toBe(404);
  });

  it('PUT /conversations/{id} merges custom_attributes; POST …/parts assigns', async () => {
    const put = await call(sb, 'PUT', `/conversations/${SEED_CONVERSATION_ID}`, { custom_attributes: { baton_sentiment: 'negative', baton_score: 80 } });
    expect(put.status).toBe(200);
    expect(put.json.custom_attributes).toEqual({ baton_sentiment: 'negative', baton_score: 80 });
    const assign = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/parts`, { message_type: 'assignment', type: 'admin', admin_id: SANDBOX_ADMIN.id, assignee_id: '991267715' });
    expect(assign.status).toBe(200);
    expect(assign.json.admin_assignee_id).toBe(991267715);
  });

  it('records the Intercom-Version header and refuses one outside the spec', async () => {
    await call(sb, 'GET', '/me', undefined, { ...AUTH, 'Intercom-Version': '2.11' });
    expect(sb.state.versionsSeen).toContain('2.11');
    const bad = await call(sb, 'GET', '/me', undefined, { ...AUTH, 'Intercom-Version': '9.9' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad.json)).toBe('intercom_version_invalid');
  });

  it('refuses a body the spec forbids, with an error.list and the call marked invalid', async () => {
    const r = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/tags`, { id: '1' }); // admin_id is required
    expect(r.status).toBe(400);
    expect(r.json.type).toBe('error.list');
    expect(errorCode(r.json)).toBe('parameter_invalid');
    expect(sb.calls.at(-1)).toMatchObject({ operation: 'attachTagToConversation', valid: false });
    expect(sb.calls.at(-1)?.validation.errors.some((e) => e.path === 'admin_id')).toBe(true);
    const reply = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/reply`, { message_type: 'memo', type: 'admin', admin_id: SANDBOX_ADMIN.id, body: 'x' });
    expect(reply.status).toBe(400);
    expect(sb.notes(SEED_CONVERSATION_ID)).toHaveLength(0);
    const notJson = await call(sb, 'POST', '/tags', '{"name":', JSON_AUTH);
    expect(notJson.status).toBe(400);
  });

  it('refuses requests without a valid bearer token (401 unauthorized, nothing logged in clear)', async () => {
    const none = await call(sb, 'GET', '/me', undefined, { Accept: 'application/json' });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ type: 'error.list', errors: [{ code: 'unauthorized' }] });
    const wrong = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/reply`, { message_type: 'note', type: 'admin', admin_id: SANDBOX_ADMIN.id, body: 'x' }, { ...JSON_AUTH, Authorization: 'Bearer ic_wrong_token' });
    expect(wrong.status).toBe(401);
    expect(sb.notes(SEED_CONVERSATION_ID)).toHaveLength(0);
    expect(JSON.stringify(sb.calls)).not.toContain('ic_wrong_token');
    expect(JSON.stringify(sb.calls)).not.toContain(DEFAULT_INTERCOM_TOKEN);
  });

  it('a scripted 5xx is answered as given; a dropped connection fails the request', async () => {
    sb.script.next({ status: 503, body: { type: 'error.list', errors: [{ code: 'service_unavailable', message: 'down' }] }, match: { method: 'POST', path: `/conversations/${SEED_CONVERSATION_ID}/reply` } });
    const note = { message_type: 'note', type: 'admin', admin_id: SANDBOX_ADMIN.id, body: '<p>n</p>' };
    const r = await call(sb, 'POST', `/conversations/${SEED_CONVERSATION_ID}/reply`, note);
    expect(r.status).toBe(503);
    expect(sb.calls.at(-1)?.scripted).toBe(true);
    expect(sb.notes(SEED_CONVERSATION_ID)).toHaveLength(0);

    sb.script.next({ drop: true });
    await expect(fetch(`${sb.url}/me`, { headers: AUTH })).rejects.toThrow();
    expect(sb.calls.at(-1)).toMatchObject({ dropped: true, status: 0 });

    // passThrough + drop: the note is written, the answer is lost (what a retry must cope with).
    sb.script.next({ drop: true, passThrough: true });
    await expect(fetch(`${sb.url}/conversations/${SEED_CONVERSATION_ID}/reply`, { method: 'POST', headers: JSON_AUTH, body: JSON.stringify(note) })).rejects.toThrow();
    expect(sb.notes(SEED_CONVERSATION_ID)).toHaveLength(1);
  });

  it('addConversation adds a conversation the API then serves', async () => {
    const id = sb.addConversation({ contact: { role: 'lead', name: 'Test Lead' }, parts: [{ from: 'lead', body: 'hi' }, { from: 'bot', body: 'hello' }, { assignTo: { type: 'team', id: '77' } }] });
    const r = await call(sb, 'GET', `/conversations/${id}`, undefined, AUTH);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id, ai_agent_participated: true, team_assignee_id: 77 });
  });
});

describe('Intercom sandbox: rate budget', () => {
  let sb: RunningIntercomSandbox;
  let clock = Date.UTC(2026, 10, 29, 12, 0, 5);
  beforeAll(async () => {
    sb = await startIntercomSandbox({ rateLimit: { limit: 3, windowMs: 60_000 }, now: () => clock });
  });
  afterAll(() => sb.close());

  it('sends X-RateLimit-* on every answer and 429 when the window is spent, until the window resets', async () => {
    const reset = String(Date.UTC(2026, 10, 29, 12, 1, 0) / 1000);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(sb, 'GET', '/me', undefined, AUTH);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-limit')).toBe('3');
      expect(r.headers.get('x-ratelimit-reset')).toBe(reset);
      seen.push(r.headers.get('x-ratelimit-remaining') as string);
    }
    expect(seen).toEqual(['2', '1', '0']);
    const over = await call(sb, 'GET', '/me', undefined, AUTH);
    expect(over.status).toBe(429);
    expect(over.json.type).toBe('error.list');
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(over.headers.get('x-ratelimit-reset')).toBe(reset);
    clock = Date.UTC(2026, 10, 29, 12, 1, 0);
    const next = await call(sb, 'GET', '/me', undefined, AUTH);
    expect(next.status).toBe(200);
  });
});

describe('Intercom sandbox: HTML pages', () => {
  let sb: RunningIntercomSandbox;
  beforeAll(async () => {
    sb = await startIntercomSandbox();
  });
  afterAll(() => sb.close());

  it('shows a conversation with its parts, tags and notes, escaping hostile note HTML and names', async () => {
    const id = sb.addConversation({ title: '<b>t</b>', contact: { name: '<img src=x onerror=alert(1)>' }, parts: [{ from: 'user', body: 'hello <script>alert(0)</script>' }] });
    const hostile = '<p onclick="alert(1)">Note<script>alert(2)</script><img src=x onerror=alert(3)><a href="javascript:alert(4)">link</a><iframe src="//evil"></iframe></p>';
    const r = await call(sb, 'POST', `/conversations/${id}/reply`, { message_type: 'note', type: 'admin', admin_id: SANDBOX_ADMIN.id, body: hostile });
    expect(r.status).toBe(200);
    const tag = await call(sb, 'POST', '/tags', { name: '<svg onload=alert(5)>' });
    await call(sb, 'POST', `/conversations/${id}/tags`, { id: tag.json.id, admin_id: SANDBOX_ADMIN.id });

    const page = await fetch(`${sb.url}/conversations/${id}`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('data-part-type="note"');
    expect(html).toContain('Note');
    expect(html).not.toMatch(/<(script|iframe|img|svg)\b/i);
    expect(html).not.toMatch(/\son\w+\s*=\s*"|href="javascript:/i);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;svg onload=alert(5)&gt;');

    const index = await fetch(`${sb.url}/`, { headers: { Accept: 'text/html' } });
    expect(await index.text()).toContain(`/conversations/${SEED_CONVERSATION_ID}`);
    const missing = await fetch(`${sb.url}/conversations/123`, { headers: { Accept: 'text/html' } });
    expect(missing.status).toBe(404);
    // Pages are not API calls.
    expect(sb.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/conversations/') && c.headers.accept === 'text/html')).toHaveLength(0);
  });
});

describe('Intercom sandbox: spec file', () => {
  it('is the byte-for-byte copy its SOURCES.md names', () => {
    const sources = readFileSync(new URL('../fixtures/api-specs/SOURCES.md', import.meta.url), 'utf8');
    const row = /\| intercom-api\.yaml \| (\d+) \| `([0-9a-f]{64})` \|/.exec(sources);
    expect(row).not.toBeNull();
    const bytes = readFileSync(new URL('../fixtures/api-specs/intercom-api.yaml', import.meta.url));
    expect(bytes.length).toBe(Number(row?.[1]));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(row?.[2]);
  });

  it('refuses to start without its spec, naming the file', () => {
    expect(() => createIntercomSandbox({ specPath: '/nonexistent/intercom.yaml' })).toThrow(SpecUnavailableError);
    expect(() => createIntercomSandbox({ specPath: '/nonexistent/intercom.yaml' })).toThrow(/\/nonexistent\/intercom\.yaml/);
  });
});
