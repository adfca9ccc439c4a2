/**
 * A real Baton on a free port with two tenants on Sunshine Conversations — `relayco` (relay mode) and `noteco`
 * (note mode) — reading a real sandbox Sunshine and writing to a real sandbox Zendesk (each validating every
 * request against its official OpenAPI file), with a real SQLite file. Zendesk messaging is played by the
 * messaging bridge: when control reaches the agent workspace it creates the ticket and sends Baton the signed
 * ticket-created webhook, as the trigger in requirements.json would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { startZendeskSandbox, installedTicketFields, DEFAULT_SANDBOX_CREDENTIALS, type RunningZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { createMessagingBridge, startSunshineSandbox, DEFAULT_SUNSHINE_KEY, SEED_APP_ID, type MessagingBridge, type RunningSunshineSandbox } from '../../sandbox/sunshine/index.ts';

export const SC_WEBHOOK_SECRET = 'sc_webhook_secret_1';
export const ZD_SIGNING_SECRET = 'zd_signing_secret_1';
const ZD_CRED = DEFAULT_SANDBOX_CREDENTIALS as { email: string; apiToken: string };
export const HANDOFF_FIELD_ID = installedTicketFields().find((f) => f.title === 'Baton handoff ID')!.id;

export interface SunshineHarness {
  baton: BatonInstance;
  zendesk: RunningZendeskSandbox;
  sunshine: RunningSunshineSandbox;
  dir: string;
  /** The bridge of the tenant whose conversation reached the agent workspace (set per test). */
  bridges: Record<string, MessagingBridge>;
  /** Which tenant the next agent-workspace pass belongs to (the sandbox is shared). */
  agentWorkspaceTenant: { id: string };
  postWebhook(tenant: string, body: unknown, opts?: { apiKey?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export function sunshineConfigFile(dir: string, zendeskUrl: string, sunshineUrl: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'baton.json');
  const zendesk = (subdomain: string) => ({
    subdomain,
    baseUrl: zendeskUrl,
    email: ZD_CRED.email,
    apiToken: ZD_CRED.apiToken,
    webhookSigningSecret: ZD_SIGNING_SECRET,
    customFields: { handoffId: HANDOFF_FIELD_ID },
  });
  const sunshine = (mode: 'relay' | 'note') => ({
    appId: SEED_APP_ID,
    keyId: DEFAULT_SUNSHINE_KEY.keyId,
    keySecret: DEFAULT_SUNSHINE_KEY.secret,
    webhookSecret: SC_WEBHOOK_SECRET,
    baseUrl: sunshineUrl,
    mode,
  });
  const config = {
    worker: { concurrency: 4, pollMs: 20, leaseMs: 5000, requestTimeoutMs: 2000, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } },
    ...extra,
    tenants: [
      { id: 'relayco', webhookSecrets: ['whsec_relayco_1'], zendesk: zendesk('relayco'), bots: { sunshine: sunshine('relay') } },
      { id: 'noteco', webhookSecrets: ['whsec_noteco_1'], zendesk: zendesk('noteco'), bots: { sunshine: sunshine('note') } },
      // No Sunshine section: its Sunshine route answers the same 401 as an unknown tenant.
      { id: 'plain', webhookSecrets: ['whsec_plain_1'], zendesk: { ...zendesk('plain'), webhookSigningSecret: undefined } },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export async function startSunshineHarness(): Promise<SunshineHarness> {
  const zendesk = await startZendeskSandbox({ ticketFields: 'installed' });
  const bridges: Record<string, MessagingBridge> = {};
  const agentWorkspaceTenant = { id: 'relayco' };
  const sunshine = await startSunshineSandbox({ onAgentWorkspace: (c, pass) => bridges[agentWorkspaceTenant.id]?.onAgentWorkspace(c, pass) });
  const dir = mkdtempSync(join(tmpdir(), 'baton-sc-'));
  const config = loadConfig({ BATON_CONFIG: sunshineConfigFile(dir, zendesk.url, sunshine.url), PORT: '0', BATON_DATA_DIR: dir });
  const baton = await startTestBaton(config, { logger: createLogger('silent'), worker: true });
  for (const id of ['relayco', 'noteco']) {
    bridges[id] = createMessagingBridge({
      zendeskBaseUrl: zendesk.url,
      zendeskAuth: ZD_CRED,
      batonUrl: baton.url,
      tenantId: id,
      signingSecret: ZD_SIGNING_SECRET,
      state: sunshine.state,
      handoffIdField: HANDOFF_FIELD_ID,
    });
  }
  return {
    baton,
    zendesk,
    sunshine,
    dir,
    bridges,
    agentWorkspaceTenant,
    postWebhook: (tenant, body, o = {}) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (o.apiKey !== null) headers['X-API-Key'] = o.apiKey ?? SC_WEBHOOK_SECRET;
      return fetch(`${baton.url}/v1/tenants/${tenant}/bots/sunshine`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    },
    close: async () => {
      await Promise.all(Object.values(bridges).map((b) => b.idle()));
      await baton.close();
      await sunshine.close();
      await zendesk.close();
    },
  };
}

/** Baton's private notes on a sandbox ticket (each carries the handoff marker). */
export function batonNotes(zendesk: RunningZendeskSandbox, ticketId: number): string[] {
  return (zendesk.state.tickets.get(ticketId)?.comments ?? []).filter((c) => !c.public && c.html_body.includes('baton-handoff')).map((c) => c.html_body);
}
