/**
 * A real Baton on a free port whose tenant `globex` connects Intercom only, writing to a real sandbox Intercom
 * (sandbox/intercom, every request validated against Intercom's OpenAPI 2.16) on another free port, with a
 * real SQLite file in a temp dir. Webhooks are signed as Intercom signs them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { signHubPayload } from '../../server/bots/intercom/verify.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { startIntercomSandbox, type RunningIntercomSandbox, type StartIntercomSandboxOptions } from '../../sandbox/intercom/index.ts';

export const GLOBEX_IC = {
  id: 'globex',
  webhookSecrets: ['whsec_globex_1'],
  accessToken: 'ic_tok_1',
  adminId: '814860',
  clientSecret: 'ic_client_secret_1',
};

export interface IntercomHarness {
  baton: BatonInstance;
  sandbox: RunningIntercomSandbox;
  dir: string;
  /** POSTs an Intercom webhook body to /v1/tenants/{tenant}/bots/intercom, signed with the client secret unless told. */
  postWebhook(body: string, opts?: { tenant?: string; signature?: string | null; contentType?: string }): Promise<Response>;
  /** POSTs a generic handoff event, Baton-signed. */
  postGeneric(body: string): Promise<Response>;
  done(handoffId: string): Promise<boolean>;
  close(): Promise<void>;
}

export function intercomConfigFile(dir: string, sandboxUrl: string, intercomExtra: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'baton.json');
  const config = {
    worker: { concurrency: 4, pollMs: 20, leaseMs: 5000, requestTimeoutMs: 2000, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } },
    ...extra,
    tenants: [
      {
        id: GLOBEX_IC.id,
        webhookSecrets: GLOBEX_IC.webhookSecrets,
        // The config, exactly as written (baseUrl pointing at the sandbox).
        intercom: { accessToken: GLOBEX_IC.accessToken, adminId: GLOBEX_IC.adminId, clientSecret: GLOBEX_IC.clientSecret, region: 'us', baseUrl: sandboxUrl, ...intercomExtra },
      },
      // A tenant without Intercom: its Intercom webhook path answers the same 401 as an unknown tenant.
      { id: 'acme', webhookSecrets: ['whsec_acme_only_zendesk'], zendesk: { subdomain: 'acme', baseUrl: 'http://127.0.0.1:9', email: 'bot@acme.test', apiToken: 'tok_1' } },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export async function startIntercomHarness(opts: { sandbox?: StartIntercomSandboxOptions; intercom?: Record<string, unknown>; extra?: Record<string, unknown> } = {}): Promise<IntercomHarness> {
  const sandbox = await startIntercomSandbox({ accessTokens: [GLOBEX_IC.accessToken], ...opts.sandbox });
  const dir = mkdtempSync(join(tmpdir(), 'baton-ic-'));
  const config = loadConfig({ BATON_CONFIG: intercomConfigFile(dir, sandbox.url, opts.intercom, opts.extra), PORT: '0', BATON_DATA_DIR: dir });
  const baton = await startTestBaton(config, { logger: createLogger('silent'), worker: true });
  return {
    baton,
    sandbox,
    dir,
    postWebhook: (body, o = {}) => {
      const headers: Record<string, string> = { 'Content-Type': o.contentType ?? 'application/json' };
      if (o.signature !== null) headers['X-Hub-Signature'] = o.signature ?? signHubPayload(GLOBEX_IC.clientSecret, body);
      return fetch(`${baton.url}/v1/tenants/${o.tenant ?? GLOBEX_IC.id}/bots/intercom`, { method: 'POST', headers, body });
    },
    postGeneric: (body) =>
      fetch(`${baton.url}/v1/tenants/${GLOBEX_IC.id}/handoffs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Baton-Signature': signBatonPayload(GLOBEX_IC.webhookSecrets[0]!, body) },
        body,
      }),
    done: async (id) => (await baton.store.getJob(id))?.state === 'done',
    close: async () => {
      await baton.close();
      await sandbox.close();
    },
  };
}

/** A `conversation.admin.assigned` notification whose item is the sandbox's conversation, as Intercom sends it. */
export function assignedWebhook(sandbox: RunningIntercomSandbox, conversationId: string, notificationId = `notif_${conversationId}`): string {
  const item = sandbox.conversationJson(conversationId);
  if (!item) throw new Error(`no sandbox conversation ${conversationId}`);
  return JSON.stringify({
    type: 'notification_event',
    app_id: sandbox.state.workspaceId,
    data: { type: 'notification_event_data', item },
    links: {},
    id: notificationId,
    topic: 'conversation.admin.assigned',
    delivery_status: 'pending',
    delivery_attempts: 1,
    delivered_at: 0,
    first_sent_at: Math.floor(Date.now() / 1000),
    created_at: Math.floor(Date.now() / 1000),
    self: null,
  });
}

/** Every API call Baton made was checked against Intercom's spec and matched it (not vacuous). */
export function expectEveryIntercomCallMatchedSpec(sandbox: RunningIntercomSandbox): void {
  const checked = sandbox.calls.filter((c) => c.validation.checked);
  expect(checked.length, 'calls checked against the spec').toBeGreaterThan(0);
  expect(
    sandbox.calls.filter((c) => !c.valid).map((c) => ({ seq: c.seq, method: c.method, path: c.path, errors: c.validation.errors })),
    'calls that broke the spec',
  ).toEqual([]);
}

export { waitFor } from '../helpers/harness.ts';
