/**
 * Tenants at run time (issue 13) against a real server, a real SQLite file and the Zendesk sandbox: the admin API
 * contract exactly as the issue writes it, webhooks for a new tenant accepted at once and delivered, 401 once
 * removed, no secret or token in the database bytes, file tenants read-only, hostile input → 4xx JSON, and the
 * CLI adding a tenant that the running server then accepts without a restart.
 */
import { execFile } from 'node:child_process';
import { verifyConnectLinkToken } from '../../server/connect/connect-links.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffMarker } from '../../server/helpdesks/zendesk/render-note.ts';
import { ACME, GLOBEX, postHandoff, startHarness, type Harness } from '../helpers/harness.ts';
import { STORE_SUFFIXES } from '../helpers/raw-store-bytes.ts';

const run = promisify(execFile);
const ADMIN = `admin_${randomBytes(12).toString('hex')}`;
const MASTER = randomBytes(32).toString('base64');
process.env.BATON_MASTER_KEY = MASTER;

const example = JSON.parse(readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const handoff = (id: string): string => JSON.stringify({ ...structuredClone(example), id });

async function until<T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The store files (database, WAL, shm) holding any of `needles`, read by a child process: closing a file
 * descriptor in THIS process would drop the running server's POSIX locks on those files (fcntl locks are per
 * process), after which another process's writes are no longer seen by the server's connection.
 */
async function storeFilesContaining(dbFile: string, needles: string[]): Promise<string[]> {
  const script = `const fs=require('fs');const [files,needles]=JSON.parse(process.argv[1]);const hits=[];for(const f of files){if(!fs.existsSync(f))continue;const b=fs.readFileSync(f);for(const n of needles)if(b.includes(Buffer.from(n)))hits.push(f.split('/').pop()+': '+n.slice(0,12));}process.stdout.write(JSON.stringify(hits))`;
  const { stdout } = await run(process.execPath, ['-e', script, JSON.stringify([STORE_SUFFIXES.map((x) => `${dbFile}${x}`), needles])]);
  return JSON.parse(stdout) as string[];
}

let h: Harness;
const admin = (path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> => {
  const headers: Record<string, string> = { Authorization: `Bearer ${ADMIN}`, ...(init.headers as Record<string, string>) };
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${h.baton.url}${path}`, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
};
const errorCode = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  h = await startHarness({
    // SQLite whatever BATON_TEST_STORE says: the test reads the database file's bytes (Postgres: tenants-replicas.test.ts).
    store: 'sqlite',
    extra: { adminToken: ADMIN },
    sandbox: {
      credentials: [
        { email: ACME.email, apiToken: ACME.apiToken },
        { oauthToken: GLOBEX.oauthToken },
        { email: 'bot@initech.test', apiToken: 'tok_9' },
      ],
    },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('admin API: tenants at run time', () => {
  it('the issue’s contract: 201 {id, webhookSecret, appSecret}; accepted at once and delivered; DELETE 204; then 401', async () => {
    const res = await admin('/v1/admin/tenants', {
      method: 'POST',
      json: { id: 'initech', zendesk: { subdomain: 'initech', baseUrl: h.sandbox.url, email: 'bot@initech.test', apiToken: 'tok_9' } },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; webhookSecret: string; appSecret: string };
    expect(Object.keys(body).sort()).toEqual(['appSecret', 'id', 'webhookSecret']);
    expect(body.id).toBe('initech');
    expect(body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(body.appSecret).toMatch(/^appsec_[A-Za-z0-9_-]{43}$/);

    // A signed webhook for initech, at once: no restart, no wait.
    const accepted = await postHandoff(h.baton.url, 'initech', handoff('evt_initech_1'), { secret: body.webhookSecret });
    expect(accepted.status).toBe(202);
    const { handoffId } = (await accepted.json()) as { handoffId: string };
    await until(async () => (await h.baton.store.getJob(handoffId))?.state === 'done', 'delivery for initech');
    const note = h.sandbox.state.tickets.get(35436)?.comments.find((c) => c.html_body.includes(handoffMarker(handoffId)));
    expect(note?.public).toBe(false);
    // With initech's own credentials.
    const put = h.sandbox.calls.find((c) => c.method === 'PUT' && c.headers['x-baton-handoff-id'] === handoffId);
    expect(put?.credential).toBe(h.sandbox.credentialFingerprint(`Basic ${Buffer.from('bot@initech.test/token:tok_9').toString('base64')}`));

    // Neither the generated secrets nor the helpdesk token are in the database files (WAL included).
    const dbFile = join(h.dir, 'baton.sqlite');
    expect(existsSync(dbFile)).toBe(true);
    expect(await storeFilesContaining(dbFile, [body.webhookSecret, body.appSecret, 'tok_9'])).toEqual([]);

    // The sidebar of the new tenant: a JWT signed with its app secret, for a Zendesk agent of its account.
    const jwt = await new SignJWT({ ticket_id: 35436 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('4242')
      .setIssuer('initech')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(body.appSecret));
    const sidebar = () => fetch(`${h.baton.url}/v1/tickets/35436/handoff`, { headers: { authorization: `Bearer ${jwt}` } });
    const shown = await sidebar();
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { handoffId: string }).handoffId).toBe(handoffId);

    const del = await admin('/v1/admin/tenants/initech', { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    const refused = await postHandoff(h.baton.url, 'initech', handoff('evt_initech_2'), { secret: body.webhookSecret });
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe('invalid_signature');
    expect((await admin('/v1/admin/tenants/initech')).status).toBe(404);
    expect((await sidebar()).status).toBe(401);
  });

  it('lists and shows tenants without secrets, with the webhook set-up helper', async () => {
    const created = (await (await admin('/v1/admin/tenants', { method: 'POST', json: { id: 'hooli', zendesk: { subdomain: 'hooli', baseUrl: h.sandbox.url, email: 'bot@hooli.test', apiToken: 'tok_hooli_secret' } } })).json()) as {
      webhookSecret: string;
      appSecret: string;
    };
    const list = await admin('/v1/admin/tenants');
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { tenants: Array<{ id: string; source: string }> };
    expect(listed.tenants.map((t) => [t.id, t.source])).toEqual(expect.arrayContaining([['acme', 'file'], ['globex', 'file'], ['hooli', 'store']]));
    const show = await admin('/v1/admin/tenants/hooli');
    const text = await show.text();
    for (const secret of [created.webhookSecret, created.appSecret, 'tok_hooli_secret', ACME.secrets[0] as string]) expect(text).not.toContain(secret);
    const shown = JSON.parse(text) as { tenant: { helpdesks: string[]; sections: { zendesk: Record<string, unknown> } }; webhooks: Array<{ platform: string; url: string; curl: string }> };
    expect(shown.tenant.helpdesks).toEqual(['zendesk']);
    expect(shown.tenant.sections.zendesk.apiToken).toBe('(set)');
    const generic = shown.webhooks.find((w) => w.platform === 'generic');
    expect(generic?.url).toBe(`${h.baton.url}/v1/tenants/hooli/handoffs`);
    expect(generic?.curl).toContain('$BATON_WEBHOOK_SECRET');

    // The set-up helper's curl, run by a shell with the secret exported, is accepted.
    const { stdout } = await run('bash', ['-c', `${generic?.curl} -o /dev/null -w '%{http_code}'`], { env: { ...process.env, BATON_WEBHOOK_SECRET: created.webhookSecret } });
    expect(stdout).toBe('202');
  });

  it('rotates a webhook secret: the old one gets 401 at once, the new one is accepted', async () => {
    const created = (await (await admin('/v1/admin/tenants', { method: 'POST', json: { id: 'rotor', zendesk: { subdomain: 'rotor', baseUrl: h.sandbox.url, email: 'a@rotor.test', apiToken: 't' } } })).json()) as { webhookSecret: string };
    const rotated = await admin('/v1/admin/tenants/rotor/rotate-secret', { method: 'POST', json: { which: 'webhook' } });
    expect(rotated.status).toBe(200);
    const { webhookSecret } = (await rotated.json()) as { webhookSecret: string };
    expect(webhookSecret).not.toBe(created.webhookSecret);
    expect((await postHandoff(h.baton.url, 'rotor', handoff('evt_rotor_1'), { secret: created.webhookSecret })).status).toBe(401);
    expect((await postHandoff(h.baton.url, 'rotor', handoff('evt_rotor_2'), { secret: webhookSecret })).status).toBe(202);
    const patched = await admin('/v1/admin/tenants/rotor', { method: 'PATCH', json: { knowledgeBaseHosts: ['help.rotor.test'] } });
    expect(patched.status).toBe(200);
  });

  it('file tenants are read-only through the API: 409 naming why', async () => {
    for (const [method, path, json] of [
      ['PATCH', '/v1/admin/tenants/acme', { knowledgeBaseHosts: [] }],
      ['DELETE', '/v1/admin/tenants/acme', undefined],
      ['POST', '/v1/admin/tenants/acme/rotate-secret', { which: 'webhook' }],
    ] as const) {
      const res = await admin(path, { method, ...(json ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(409);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('tenant_read_only');
      expect(error.message).toMatch(/BATON_CONFIG/);
    }
    const dup = await admin('/v1/admin/tenants', { method: 'POST', json: { id: 'acme', zendesk: { subdomain: 'acme-two', email: 'a@b.c', apiToken: 't' } } });
    expect(dup.status).toBe(409);
    expect(await errorCode(dup)).toBe('tenant_exists');
    // Acme still works with its file secret.
    expect((await postHandoff(h.baton.url, 'acme', handoff('evt_acme_still'), { secret: ACME.secrets[0] })).status).toBe(202);
  });

  it('hostile input gets the right 4xx with a JSON body, never a 5xx', async () => {
    const post = (body: string, contentType = 'application/json', auth = `Bearer ${ADMIN}`) =>
      fetch(`${h.baton.url}/v1/admin/tenants`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': contentType }, body });
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ['no token', fetch(`${h.baton.url}/v1/admin/tenants`), 401, 'unauthorized'],
      ['wrong token', post('{}', 'application/json', 'Bearer not-the-token-at-all'), 401, 'unauthorized'],
      ['bad id', post(JSON.stringify({ id: 'Bad_ID!', zendesk: { subdomain: 'x', email: 'a@b.c', apiToken: 't' } })), 400, 'invalid_tenant'],
      ['unknown helpdesk section', post(JSON.stringify({ id: 'newco', freshdesk: {} })), 400, 'invalid_tenant'],
      ['wrong types', post(JSON.stringify({ id: 'newco', zendesk: { subdomain: 7, email: [], apiToken: true } })), 400, 'invalid_tenant'],
      ['id not a string', post(JSON.stringify({ id: 42 })), 400, 'invalid_tenant'],
      ['secrets given', post(JSON.stringify({ id: 'newco', webhookSecrets: ['whsec_chosen_by_me'] })), 400, 'invalid_tenant'],
      ['an array', post('[]'), 400, 'invalid_tenant'],
      ['malformed JSON', post('{"id":'), 400, 'malformed_json'],
      ['not JSON', post('id=x', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
      ['oversized', post(JSON.stringify({ id: 'big', analysis: { pad: 'x'.repeat(70_000) } })), 413, 'payload_too_large'],
      ['deep', post(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`), 400, 'invalid_tenant'],
      ['same subdomain as acme', post(JSON.stringify({ id: 'newco', zendesk: { subdomain: 'acme', email: 'a@b.c', apiToken: 't' } })), 409, 'tenant_conflict'],
      ['unknown tenant', admin('/v1/admin/tenants/nobody-here'), 404, 'tenant_not_found'],
      ['bad id in path', admin('/v1/admin/tenants/..%2F..%2Fetc', { method: 'DELETE' }), 404, 'tenant_not_found'],
      ['patch an id', admin('/v1/admin/tenants/rotor', { method: 'PATCH', json: { id: 'other' } }), 400, 'invalid_tenant'],
      ['patch a bad section', admin('/v1/admin/tenants/rotor', { method: 'PATCH', json: { zendesk: { subdomain: 'NOPE' } } }), 400, 'invalid_tenant'],
      ['rotate what?', admin('/v1/admin/tenants/rotor/rotate-secret', { method: 'POST', json: { which: 'everything' } }), 400, 'invalid_tenant'],
      ['rotate unknown', admin('/v1/admin/tenants/nobody-here/rotate-secret', { method: 'POST', json: { which: 'app' } }), 404, 'tenant_not_found'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(await errorCode(res), what).toBe(code);
    }
    const detailed = (await (await post(JSON.stringify({ id: 'newco', zendesk: { subdomain: 'newco', email: 'a@b.c', apiToken: 't', typo: 1 } }))).json()) as { error: { details: unknown[] } };
    expect(detailed.error.details).toContainEqual({ field: 'zendesk.typo', problem: 'is not a known key' });
    expect((await admin('/v1/admin/tenants')).status).toBe(200);
  });

  it('the CLI adds a tenant on the store; the running server accepts its webhooks without a restart', async () => {
    const env = { ...process.env, BATON_CONFIG: h.configFile, BATON_DATA_DIR: h.dir, BATON_MASTER_KEY: MASTER, ZENDESK_API_TOKEN: 'tok_cli_secret_1' };
    const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
    const added = await run(process.execPath, [bin, 'tenants', 'add', 'umbrella', '--zendesk', 'umbrella', '--email', 'bot@umbrella.test', '--json'], { env });
    const { webhookSecret } = JSON.parse(added.stdout) as { webhookSecret: string };
    expect(webhookSecret).toMatch(/^whsec_/);
    // The server sees it at its next tenant poll (about a second).
    await until(async () => (await postHandoff(h.baton.url, 'umbrella', handoff('evt_umbrella_1'), { secret: webhookSecret })).status === 202, 'the server to accept the CLI tenant');
    expect(await storeFilesContaining(join(h.dir, 'baton.sqlite'), ['tok_cli_secret_1', webhookSecret])).toEqual([]);
    const shown = await run(process.execPath, [bin, 'tenants', 'show', 'umbrella'], { env });
    expect(shown.stdout).toContain(`/v1/tenants/umbrella/handoffs`);
    expect(shown.stdout).not.toContain(webhookSecret);
    await run(process.execPath, [bin, 'tenants', 'remove', 'umbrella'], { env });
    await until(async () => (await postHandoff(h.baton.url, 'umbrella', handoff('evt_umbrella_2'), { secret: webhookSecret })).status === 401, 'the server to refuse the removed tenant');
    const refused = await run(process.execPath, [bin, 'tenants', 'remove', 'acme'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).toBe(1);
    expect((refused as { stderr: string }).stderr).toMatch(/BATON_CONFIG/);
  });

  it('the CLI mints the same one-time Connect link as POST /v1/admin/connect-links, signed with the admin token', async () => {
    const env = { ...process.env, BATON_CONFIG: h.configFile, BATON_DATA_DIR: h.dir, BATON_MASTER_KEY: MASTER, BATON_ADMIN_TOKEN: ADMIN, BATON_PUBLIC_URL: 'https://baton.example.test' };
    const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
    const minted = await run(process.execPath, [bin, 'tenants', 'connect-link', 'zendesk', '--account', 'initrode', '--json'], { env });
    const { url, expiresAt } = JSON.parse(minted.stdout) as { url: string; expiresAt: number };
    const link = new URL(url);
    expect(link.origin + link.pathname).toBe('https://baton.example.test/connect/zendesk');
    expect(verifyConnectLinkToken(ADMIN, link.searchParams.get('link') ?? '')).toMatchObject({ helpdesk: 'zendesk', account: 'initrode' });
    expect(verifyConnectLinkToken('another_admin_token_123', link.searchParams.get('link') ?? '')).toBeUndefined();
    expect(expiresAt).toBeGreaterThan(Date.now());
    const refused = await run(process.execPath, [bin, 'tenants', 'connect-link', 'freshdesk'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).toBe(2);
    expect((refused as { stderr: string }).stderr).toMatch(/zendesk or intercom/);
  });
});
