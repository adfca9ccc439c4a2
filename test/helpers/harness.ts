/**
 * A real Baton on a free port, writing to a real (fake) Zendesk sandbox on another free port, with a real
 * SQLite file in a temp dir (or, with BATON_TEST_STORE=postgres, a fresh Postgres database: test-store.ts). Tenants: acme (two webhook secrets, for rotation) and globex.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton, type TestStoreKind } from './test-store.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { startZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import type { ZendeskSandboxOptions } from '../../sandbox/zendesk/types.ts';

export type Sandbox = Awaited<ReturnType<typeof startZendeskSandbox>>;

export const ACME = { id: 'acme', secrets: ['whsec_test_1', 'whsec_test_2'], email: 'bot@acme.test', apiToken: 'tok_1', appSecret: 'acme_app_secret_1' };
export const GLOBEX = { id: 'globex', secrets: ['whsec_globex_1'], oauthToken: 'oat_globex_1', appSecret: 'globex_app_secret' };

export interface HarnessOptions {
  worker?: boolean;
  /** Where Baton's JSON logs go (default: nowhere). */
  logStream?: import('pino').DestinationStream;
  /** Level for logStream (default debug). */
  logLevel?: string;
  maxBodyBytes?: number;
  sandbox?: ZendeskSandboxOptions;
  /** Extra top-level config keys (worker, adminToken…). */
  extra?: Record<string, unknown>;
  acmeZendesk?: Record<string, unknown>;
  /** Extra keys on the acme tenant (e.g. `bots`: the bot platforms it sends from, issue 9). */
  acmeTenant?: Record<string, unknown>;
  /** 'sqlite' for tests about SQLite itself; default: the run's store (BATON_TEST_STORE, test-store.ts). */
  store?: TestStoreKind;
}

export interface PostOptions {
  secret?: string;
  /** A literal header; null sends none. */
  signature?: string | null;
  t?: number;
  contentType?: string;
}

export interface Harness {
  baton: BatonInstance;
  sandbox: Sandbox;
  config: Readonly<Config>;
  dir: string;
  configFile: string;
  post(tenant: string, body: string, opts?: PostOptions): Promise<Response>;
  waitFor<T>(fn: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export function writeConfig(dir: string, sandboxUrl: string, opts: HarnessOptions = {}): string {
  const file = join(dir, 'baton.json');
  const config = {
    ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    worker: { concurrency: 4, pollMs: 20, leaseMs: 5000, requestTimeoutMs: 2000, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } },
    ...opts.extra,
    tenants: [
      {
        id: ACME.id,
        webhookSecrets: ACME.secrets,
        appSecret: ACME.appSecret,
        zendesk: { subdomain: 'acme', baseUrl: sandboxUrl, email: ACME.email, apiToken: ACME.apiToken, ...opts.acmeZendesk },
        ...opts.acmeTenant,
      },
      { id: GLOBEX.id, webhookSecrets: GLOBEX.secrets, appSecret: GLOBEX.appSecret, zendesk: { subdomain: 'globex', baseUrl: sandboxUrl, oauthToken: GLOBEX.oauthToken } },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function postHandoff(baseUrl: string, tenant: string, body: string, opts: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': opts.contentType ?? 'application/json' };
  if (opts.signature !== null) headers['Baton-Signature'] = opts.signature ?? signBatonPayload(opts.secret ?? ACME.secrets[0]!, body, opts.t);
  return fetch(`${baseUrl}/v1/tenants/${tenant}/handoffs`, { method: 'POST', headers, body });
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startZendeskSandbox({
    credentials: [{ email: ACME.email, apiToken: ACME.apiToken }, { oauthToken: GLOBEX.oauthToken }],
    ...opts.sandbox,
  });
  const dir = mkdtempSync(join(tmpdir(), 'baton-it-'));
  const configFile = writeConfig(dir, sandbox.url, opts);
  const config = loadConfig({ BATON_CONFIG: configFile, PORT: '0', BATON_DATA_DIR: dir });
  const logger = opts.logStream ? createLogger(opts.logLevel ?? 'debug', opts.logStream) : createLogger('silent');
  const baton = await startTestBaton(config, { logger, worker: opts.worker ?? true }, opts.store);
  return {
    baton,
    sandbox,
    config,
    dir,
    configFile,
    post: (tenant, body, p) => postHandoff(baton.url, tenant, body, { ...p, secret: p?.secret ?? (tenant === 'globex' ? GLOBEX.secrets[0] : undefined) }),
    waitFor,
    close: async () => {
      await baton.close();
      await sandbox.close();
    },
  };
}
