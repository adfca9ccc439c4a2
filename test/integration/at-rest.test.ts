/**
 * Nothing lingers at rest: after delivery the customer's raw text (a card number, a password) is gone from the
 * raw bytes of baton.sqlite, its WAL and its shared-memory file, not only from query results; an erasure
 * through the admin API removes a customer's strings from those files before it answers; and the admin API
 * refuses ambiguous input with a 400 naming it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { filesContaining, plantedCard } from '../helpers/raw-store-bytes.ts';
import { luhnValid } from '../../server/analysis/redaction.ts';

const example = JSON.parse(readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ADMIN = 'admin-token-0123456789abcdef';

function handoff(id: string, email: string, text: string): string {
  const o = structuredClone(example) as { id: string; customer: Record<string, unknown>; messages: Array<{ role: string; text: string }> };
  o.id = id;
  o.customer = { ...o.customer, email };
  o.messages = [...o.messages, { role: 'customer', text }];
  return JSON.stringify(o);
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const admin = (hh: Harness, path: string, init: RequestInit = {}) =>
  fetch(`${hh.baton.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...init.headers } });

// store: 'sqlite' even in the Postgres pass (BATON_TEST_STORE=postgres): this is about the raw bytes of the SQLite files.
describe('data at rest', () => {
  it('after delivery the raw card number and password are gone from the database, WAL and shm files', async () => {
    h = await startHarness({ store: 'sqlite', worker: false });
    const card = plantedCard();
    expect(luhnValid(card.digits)).toBe(true);
    const password = `PLANTED${randomBytes(8).toString('hex')}`;
    const res = await h.post('acme', handoff('evt_rest', 'rest@example.com', `My card number is ${card.spaced} and my password is ${password}`));
    expect(res.status).toBe(202);
    const { handoffId } = (await res.json()) as { handoffId: string };
    const dbFile = h.config.dbFile;
    // Stored until delivered: the search really sees it (so the checks below are not vacuous).
    expect(filesContaining(dbFile, password).length).toBeGreaterThan(0);
    expect(filesContaining(dbFile, card.spaced).length).toBeGreaterThan(0);

    await h.baton.worker.start();
    await h.waitFor(async () => (await h!.baton.store.getJob(handoffId))?.state === 'done', 'delivery');
    // The scrub is committed; the checkpoint thread truncates the WAL at its next tick.
    await h.waitFor(() => filesContaining(dbFile, password).length === 0 && filesContaining(dbFile, card.spaced).length === 0, 'old page images to leave the files');
    expect(filesContaining(dbFile, password)).toEqual([]);
    expect(filesContaining(dbFile, card.spaced)).toEqual([]);
    expect(filesContaining(dbFile, card.digits)).toEqual([]);
    // What stays is the redacted form.
    expect(JSON.stringify(await h.baton.store.getEvent(handoffId))).toContain(`[card •••• ${card.digits.slice(-4)}]`);
  });

  it("erases one customer's handoffs of one tenant through the admin API; the strings leave the files before the answer", async () => {
    h = await startHarness({ store: 'sqlite', worker: false, extra: { adminToken: ADMIN } });
    const gone = [`ERASE-ME-${randomBytes(6).toString('hex')}`, `ERASE-ME-${randomBytes(6).toString('hex')}`];
    const kept = `KEEP-${randomBytes(6).toString('hex')}`;
    const keptOtherTenant = `KEEP-GLOBEX-${randomBytes(6).toString('hex')}`;
    for (const [i, m] of gone.entries()) expect((await h.post('acme', handoff(`evt_gone_${i}`, i ? 'Jane@Example.com' : 'jane@example.com', m))).status).toBe(202);
    expect((await h.post('acme', handoff('evt_kept', 'john@example.com', kept))).status).toBe(202);
    expect((await h.post('globex', handoff('evt_globex', 'jane@example.com', keptOtherTenant))).status).toBe(202);
    const dbFile = h.config.dbFile;
    expect(filesContaining(dbFile, gone[0]!).length).toBeGreaterThan(0);

    const res = await admin(h, '/v1/admin/tenants/acme/erasure', { method: 'POST', body: JSON.stringify({ email: 'JANE@example.com' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ tenantId: 'acme', email: 'JANE@example.com', deleted: { events: 2, jobs: 2, reports: 0, deliveries: 0, feedback: 0 } });
    for (const m of gone) expect(filesContaining(dbFile, m)).toEqual([]);
    expect(filesContaining(dbFile, kept).length).toBeGreaterThan(0);
    expect(filesContaining(dbFile, keptOtherTenant).length).toBeGreaterThan(0);
    expect(await h.baton.store.listJobs({ tenantId: 'globex' })).toHaveLength(1);
  });

  it('answers bad erasure requests with 400 naming the problem, an unknown tenant with 404, and never a 500', async () => {
    h = await startHarness({ store: 'sqlite', worker: false, extra: { adminToken: ADMIN } });
    const post = (body: string, tenant = 'acme', contentType = 'application/json') =>
      admin(h!, `/v1/admin/tenants/${tenant}/erasure`, { method: 'POST', body, headers: { 'content-type': contentType } });
    const cases: Array<[string, number, string, string?]> = [
      ['{}', 400, 'bad_request', 'email'],
      ['{"email":"a@b.c","customerId":"x"}', 400, 'bad_request', 'customerId'],
      ['{"email":"not-an-email"}', 400, 'bad_request', 'email'],
      ['{"email":42}', 400, 'bad_request', 'email'],
      ['{"customerId":""}', 400, 'bad_request', 'customerId'],
      ['{"email":"a@b.c","tenant":"globex"}', 400, 'bad_request', 'tenant'],
      ['["a@b.c"]', 400, 'bad_request', '(body)'],
      ['{"email":', 400, 'malformed_json'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await post(body);
      expect(res.status, body).toBe(status);
      const err = ((await res.json()) as { error: { code: string; details?: Array<{ field: string }> } }).error;
      expect(err.code, body).toBe(code);
      if (field) expect(err.details?.map((d) => d.field), body).toContain(field);
    }
    expect((await post('{"email":"a@b.c"}', 'nobody')).status).toBe(404);
    expect((await post('email=a@b.c', 'acme', 'application/x-www-form-urlencoded')).status).toBe(415);
    const unauth = await fetch(`${h.baton.url}/v1/admin/tenants/acme/erasure`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.c"}' });
    expect(unauth.status).toBe(401);
  });

  it('a repeated query parameter on the admin job list is a 400 naming it, not silently ignored', async () => {
    h = await startHarness({ store: 'sqlite', worker: false, extra: { adminToken: ADMIN } });
    for (const q of ['state=dead&state=queued', 'limit=5&limit=6', 'tenant=acme&tenant=globex']) {
      const res = await admin(h, `/v1/admin/jobs?${q}`);
      expect(res.status, q).toBe(400);
      const err = ((await res.json()) as { error: { code: string; details: Array<{ field: string }> } }).error;
      expect(err.code).toBe('bad_query');
      expect(err.details[0]?.field).toBe(q.split('=')[0]);
    }
    expect((await admin(h, '/v1/admin/jobs?state=dead')).status).toBe(200);
  });
});
