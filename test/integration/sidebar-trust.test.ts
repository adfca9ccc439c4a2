/**
 * Issue 7, item 7: the sidebar API no longer trusts the browser. Tokens are short-lived and bound to one
 * ticket; the agent a token names is checked with Zendesk (role, suspension, ticket restriction, groups)
 * through the sandbox's Show User / Show Ticket / List Group Memberships, before anything is answered or
 * stored. Real HTTP server on a free port, real Zendesk sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import pino from 'pino';
import type { Store } from '../../server/store/store.ts';
import { openSuiteStore } from '../helpers/test-store.ts';
import type { Config, TenantConfig } from '../../server/config.ts';
import { sidebarRouter } from '../../server/helpdesks/zendesk/sidebar/sidebar-routes.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { createZendeskAccessChecker } from '../../server/helpdesks/zendesk/sidebar/sidebar-access.ts';
import { startZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { loadZendeskSpecValidator, resolveZendeskSpecPath } from '../../sandbox/zendesk/spec-validator.ts';
import type { RunningZendeskSandbox } from '../../sandbox/zendesk/types.ts';
import { sampleReport } from '../../app/src/demo/sample-report.ts';
import { seedHandoff } from '../e2e/seed.ts';
import { listen } from '../helpers/listen.ts';
import { zendeskConfigOf } from '../../server/helpdesks/zendesk/zendesk-config.ts';

const SECRET = 'acme_app_secret_123';
const ADMIN = 1001; // the sandbox's API user
const UNRESTRICTED = 4242;
const ASSIGNED_ONLY = 4243;
const GROUPS_ONLY = 4244; // member of group 360002
const SUSPENDED = 4245;
const T_PLAIN = 35436; // no group, unassigned
const T_ASSIGNED = 35437; // assigned to ASSIGNED_ONLY in beforeAll
const T_GROUP = 35438; // group 360002

const acme = {
  id: 'acme',
  webhookSecrets: ['whsec_test_1234'],
  appSecret: SECRET,
  helpdesks: { zendesk: { subdomain: 'acme', baseUrl: '', email: 'demo@baton.local', apiToken: 'sandbox', maxRequestsPerMinute: 100, customFields: {}, setPriority: true, setGroup: true } },
  analysis: {},
} as unknown as TenantConfig;

let dir: string;
let store: Store;
let server: Server;
let base: string;
let zendesk: RunningZendeskSandbox;
const handoffs = new Map<number, string>();

async function token(claims: { sub?: unknown; ticket_id?: unknown; iat?: number | null; exp?: number | null }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const body: Record<string, unknown> = { iss: 'acme', sub: 'sub' in claims ? claims.sub : String(UNRESTRICTED), ticket_id: 'ticket_id' in claims ? claims.ticket_id : T_PLAIN };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  const jwt = new SignJWT(body as Record<string, never>).setProtectedHeader({ alg: 'HS256', typ: 'JWT' });
  if (claims.iat !== null) jwt.setIssuedAt(claims.iat ?? now);
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? now + 300);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

const get = (ticket: number, tok: string) => fetch(`${base}/v1/tickets/${ticket}/handoff`, { headers: { authorization: `Bearer ${tok}` } });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  zendesk = await startZendeskSandbox();
  (zendeskConfigOf(acme) as { baseUrl: string }).baseUrl = zendesk.url;
  zendesk.state.tickets.get(T_ASSIGNED)!.assignee_id = ASSIGNED_ONLY;
  dir = mkdtempSync(join(tmpdir(), 'baton-sidebar-trust-'));
  store = await openSuiteStore(join(dir, 'db.sqlite'));
  for (const t of [T_PLAIN, T_ASSIGNED, T_GROUP]) handoffs.set(t, await seedHandoff(store, 'acme', t, sampleReport()));
  const app = express();
  app.use(sidebarRouter({ config: { tenants: [acme] } as unknown as Config, store, logger: pino({ level: 'silent' }) }));
  app.use(errorHandler(pino({ level: 'silent' })));
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await store.close();
  await zendesk.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('token lifetime and ticket binding', () => {
  it('refuses a token with exp in the year 3000 (lifetime over 5 minutes)', async () => {
    const res = await get(T_PLAIN, await token({ exp: Math.floor(Date.UTC(3000, 0, 1) / 1000) }));
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('invalid_token');
  });

  it('refuses iat a day ahead, and a token without iat', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = await get(T_PLAIN, await token({ iat: now + 86_400, exp: now + 86_400 + 60 }));
    expect(ahead.status).toBe(401);
    expect((await get(T_PLAIN, await token({ iat: null }))).status).toBe(401);
  });

  it('accepts exactly 300 s of lifetime and iat up to 60 s ahead, not 301 s or 61 s', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await get(T_PLAIN, await token({ iat: now, exp: now + 300 }))).status).toBe(200);
    expect((await get(T_PLAIN, await token({ iat: now, exp: now + 301 }))).status).toBe(401);
    expect((await get(T_PLAIN, await token({ iat: now + 55, exp: now + 100 }))).status).toBe(200);
    expect((await get(T_PLAIN, await token({ iat: now + 90, exp: now + 120 }))).status).toBe(401);
  });

  it('403 ticket_mismatch when the token names another ticket; 401 when it names none or no agent', async () => {
    const res = await get(T_GROUP, await token({ ticket_id: T_PLAIN }));
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('ticket_mismatch');
    expect((await get(T_PLAIN, await token({ ticket_id: String(T_PLAIN) }))).status).toBe(200);
    expect((await get(T_PLAIN, await token({ ticket_id: undefined }))).status).toBe(401);
    expect((await get(T_PLAIN, await token({ sub: undefined }))).status).toBe(401);
    expect((await get(T_PLAIN, await token({ sub: 'alice' }))).status).toBe(401);
  });
});

describe('the agent is checked with Zendesk', () => {
  it.each([
    ['an admin', ADMIN, T_PLAIN, 200],
    ['an unrestricted agent', UNRESTRICTED, T_GROUP, 200],
    ['an assigned-only agent, on a ticket assigned to them', ASSIGNED_ONLY, T_ASSIGNED, 200],
    ['an assigned-only agent, on a ticket not assigned to them', ASSIGNED_ONLY, T_PLAIN, 403],
    ["a groups-only agent, on a ticket in one of their groups", GROUPS_ONLY, T_GROUP, 200],
    ['a groups-only agent, on a ticket in no group of theirs', GROUPS_ONLY, T_PLAIN, 403],
    ['a suspended agent', SUSPENDED, T_PLAIN, 403],
    ['an end user (the requester)', 60001, T_PLAIN, 403],
    ['a user Zendesk does not know', 987654, T_PLAIN, 403],
  ] as const)('%s → %i', async (_name, user, ticket, status) => {
    const res = await get(ticket, await token({ sub: String(user), ticket_id: ticket }));
    expect(res.status).toBe(status);
    if (status === 403) {
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'ticket_forbidden', message: expect.any(String) } });
      expect(text).not.toContain('charged twice'); // nothing of the report leaks
    }
  });

  it('feedback records only an agent Zendesk vouched for: a spoofed agent id that may not see the ticket is refused', async () => {
    const post = async (sub: number) =>
      fetch(`${base}/v1/tickets/${T_PLAIN}/handoff/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token({ sub: String(sub) })}`, 'content-type': 'application/json' },
        body: JSON.stringify({ handoffId: handoffs.get(T_PLAIN), accurate: true }),
      });
    expect((await post(SUSPENDED)).status).toBe(403);
    expect((await post(ASSIGNED_ONLY)).status).toBe(403);
    expect(await store.listFeedback('acme', { helpdesk: 'zendesk', id: String(T_PLAIN) })).toHaveLength(0);
    expect((await post(UNRESTRICTED)).status).toBe(201);
    expect((await store.listFeedback('acme', { helpdesk: 'zendesk', id: String(T_PLAIN) })).map((f) => f.agentId)).toEqual([String(UNRESTRICTED)]);
  });

  it('503 helpdesk_unavailable (never "allowed") when Zendesk cannot be asked', async () => {
    const down = { ...acme, helpdesks: { zendesk: { ...zendeskConfigOf(acme)!, baseUrl: 'http://127.0.0.1:1' } } } as TenantConfig;
    const checker = createZendeskAccessChecker();
    expect(await checker.mayView(down, String(UNRESTRICTED), T_PLAIN)).toBe('unavailable');
    const failing = createZendeskAccessChecker({ fetchImpl: (async () => new Response('busy', { status: 429 })) as unknown as typeof fetch });
    expect(await failing.mayView(acme, String(UNRESTRICTED), T_PLAIN)).toBe('unavailable');
  });

  it('caches a decision for a minute (scripted clock): one Zendesk look-up per agent and ticket', async () => {
    let calls = 0;
    let clock = 1_000_000;
    const counting = (async (url: string, init: RequestInit) => {
      calls++;
      return fetch(url, init);
    }) as unknown as typeof fetch;
    const checker = createZendeskAccessChecker({ fetchImpl: counting, now: () => clock });
    expect(await checker.mayView(acme, String(GROUPS_ONLY), T_GROUP)).toBe('allowed');
    const first = calls;
    expect(first).toBe(3); // user, ticket, group memberships
    expect(await checker.mayView(acme, String(GROUPS_ONLY), T_GROUP)).toBe('allowed');
    expect(calls).toBe(first);
    clock += 60_001;
    expect(await checker.mayView(acme, String(GROUPS_ONLY), T_GROUP)).toBe('allowed');
    expect(calls).toBe(first * 2);
  });

  it("the sandbox's user and group-membership answers match Zendesk's official OpenAPI schemas", async () => {
    const loaded = loadZendeskSpecValidator(resolveZendeskSpecPath());
    if (!loaded.ok) throw new Error(loaded.reason);
    const auth = { authorization: `Basic ${Buffer.from('demo@baton.local/token:sandbox').toString('base64')}` };
    for (const id of [UNRESTRICTED, GROUPS_ONLY, ADMIN, 60001]) {
      const user = await (await fetch(`${zendesk.url}/api/v2/users/${id}.json`, { headers: auth })).json();
      expect(loaded.validator.validateSchema('UserResponse', user, 'response')).toEqual([]);
    }
    const memberships = await (await fetch(`${zendesk.url}/api/v2/users/${GROUPS_ONLY}/group_memberships.json`, { headers: auth })).json();
    expect(loaded.validator.validateSchema('GroupMembershipsResponse', memberships, 'response')).toEqual([]);
    expect((memberships as { group_memberships: Array<{ group_id: number }> }).group_memberships.map((m) => m.group_id)).toEqual([360002]);
  });
});
