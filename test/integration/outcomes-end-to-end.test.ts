/**
 * Outcomes end to end (issue 11) on the real server (startBaton, its worker and store): a signed generic
 * handoff is delivered to the Zendesk sandbox, Zendesk's outcome triggers report the first agent reply and the
 * customer restating their problem, and the insights API (mounted by the Zendesk module) counts them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { signZendeskWebhook } from '../../server/helpdesks/zendesk/webhook-signature.ts';
import { startZendeskSandbox } from '../../sandbox/zendesk/start-zendesk-sandbox.ts';

const ADMIN = 'admin_token_e2e_outcomes_0123456789';
const SIGNING = 'zd_signing_e2e_123';
let dir: string;
let baton: BatonInstance;
let zendesk: { url: string; close(): Promise<void> };

beforeAll(async () => {
  zendesk = await startZendeskSandbox({ credentials: [{ email: 'agent@acme.test', apiToken: 'sandbox-token' }] });
  dir = mkdtempSync(join(tmpdir(), 'baton-outcomes-e2e-'));
  const file = join(dir, 'baton.json');
  writeFileSync(file, JSON.stringify({
    adminToken: ADMIN,
    worker: { concurrency: 2, pollMs: 20, leaseMs: 5000, requestTimeoutMs: 2000, retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 } },
    tenants: [{ id: 'acme', webhookSecrets: ['whsec_acme_e2e'], zendesk: { subdomain: 'acme', baseUrl: zendesk.url, email: 'agent@acme.test', apiToken: 'sandbox-token', webhookSigningSecret: SIGNING } }],
  }));
  baton = await startTestBaton(loadConfig({ BATON_CONFIG: file, PORT: '0', BATON_DATA_DIR: dir }), { logger: createLogger('silent'), worker: true });
});

afterAll(async () => {
  await baton?.close();
  await zendesk?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('outcomes end to end', () => {
  it('a delivered handoff, its first reply and a restatement show up in insights', async () => {
    const now = new Date();
    // The demo's double-charge handoff (samples/), as a bot would send it.
    const sample = JSON.parse(readFileSync(new URL('../../samples/02-double-charge-new-ticket.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const body = JSON.stringify({ ...sample, id: 'evt_e2e_outcomes' });
    const res = await fetch(`${baton.url}/v1/tenants/acme/handoffs`, { method: 'POST', headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload('whsec_acme_e2e', body) }, body });
    expect(res.status).toBe(202);
    const { handoffId } = (await res.json()) as { handoffId: string };
    let ticket: string | undefined;
    for (let i = 0; i < 400 && !ticket; i++) {
      const job = await baton.store.getReport(handoffId);
      ticket = job?.ref?.id;
      if (!ticket) await new Promise((r) => setTimeout(r, 25));
    }
    expect(ticket).toBeDefined();
    const send = async (payload: unknown): Promise<number> => {
      const raw = JSON.stringify(payload);
      const r = await fetch(`${baton.url}/v1/tenants/acme/zendesk/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json', ...signZendeskWebhook(SIGNING, new Date().toISOString(), raw) }, body: raw });
      return r.status;
    };
    // After the handoff was accepted (its received time), within the route's allowance for clock skew.
    const later = (s: number): string => new Date(Date.now() + s * 1000).toISOString();
    expect(await send({ event: 'agent_reply', ticket_id: ticket, comment_id: '1', at: later(1) })).toBe(200);
    expect(await send({ event: 'customer_message', ticket_id: ticket, comment_id: '2', at: later(2), comment: 'Like I said, I was charged twice for invoice INV-20931' })).toBe(200);
    const day = now.toISOString().slice(0, 10);
    const ins = await fetch(`${baton.url}/v1/tenants/acme/insights?from=${day}&to=${day}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(ins.status).toBe(200);
    const body2 = (await ins.json()) as { totals: { handoffs: number; replied: number; repeatYourself: number }; rejected: Array<{ text: string }> };
    expect(body2.totals).toMatchObject({ handoffs: 1, replied: 1, repeatYourself: 1 });
    expect(body2.rejected.length).toBeGreaterThan(0);
  });
});
