/**
 * Config is read once, by a pure function of the environment (and the file BATON_CONFIG names), then
 * frozen. A bad value stops start-up with a message naming the key, never a stack trace.
 */
import { alertConfigSchema, parseAlertConfig, type AlertConfig } from './alerts/alert-config.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import { describeAjvError } from './util/ajv-errors.ts';
import { parseAnalysisOptions, type AnalysisOptions } from './analysis/options.ts';
import { ConfigError } from './config-error.ts';
import { helpdeskModules } from './helpdesks/registry.ts';
import { botSandboxSections, botsConfigSchema, parseBotsConfig } from './bots/registry.ts';
import { businessHoursSchema, evaluateConfigSchema, parseBusinessHours, parseEvaluateConfig, type EvaluateTenantFields } from './evaluate/evaluate-config.ts';

export { ConfigError };

/** `evaluate` and `businessHours` (EvaluateTenantFields): the evaluate API's settings (server/evaluate/evaluate-config.ts). */
export interface TenantConfig extends EvaluateTenantFields {
  id: string;
  webhookSecrets: string[];
  /** Shared secret the helpdesk app signs sidebar JWTs with (the app's secure setting). */
  appSecret?: string;
  /**
   * The helpdesks this tenant connects: each registered module's parsed section (`tenants[].<module name>`),
   * keyed by module name. Read through the module's typed accessor (e.g. helpdesks/zendesk's zendeskConfigOf).
   */
  helpdesks: Readonly<Record<string, unknown>>;
  /**
   * Where an event that names no target goes. Config key `defaultHelpdesk` (must name a connected helpdesk);
   * default: the only connected helpdesk, or the first connected one in registry order. Absent when the
   * tenant connects none (such events are refused with 422 no_helpdesk).
   */
  defaultHelpdesk?: string;
  analysis: AnalysisOptions;
  /**
   * Help-center hosts whose article links the bot may offer as live links in the note and the sidebar
   * (lowercase, exact host). Empty by default: every other URL is shown as text, so nobody can plant a link.
   */
  knowledgeBaseHosts?: string[];
  /**
   * The bot platforms this tenant sends from in their native form (`tenants[].bots.<key>`, e.g. `dialogflowCx`):
   * each registered bot adapter's parsed section, keyed by its configKey (server/bots/registry.ts). Absent or
   * without a platform's key: that platform's route answers 401.
   */
  bots?: Readonly<Record<string, unknown>>;
  /** Where this tenant's alerts go (dead letters, a disconnected helpdesk, failing deliveries): server/alerts. */
  alerts?: AlertConfig;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  /**
   * `normal` (SQLite synchronous=NORMAL): a 202 survives the process dying; `full` (synchronous=FULL) also
   * survives a power loss or kernel crash, at the cost of an fsync per commit group.
   */
  durability: Durability;
  /** BATON_DATABASE_URL (postgres://…): the Postgres store shared by replicas; unset → SQLite in dataDir (issue 10). */
  databaseUrl?: string;
  /** BATON_DATABASE_POOL_MAX: Postgres connections per replica (default 10). */
  databasePoolMax: number;
  logLevel: string;
  maxBodyBytes: number;
  signatureToleranceSec: number;
  adminToken?: string;
  /** True when no BATON_CONFIG was given: demo tenant + built-in sandbox helpdesk. */
  sandbox: boolean;
  /**
   * BATON_ALLOW_PUBLIC_SANDBOX=1: let sandbox mode listen on a non-loopback HOST (and answer any Host
   * header). Off by default: /preview and the /sandbox/<helpdesk> pages show transcripts without auth.
   */
  allowPublicSandbox: boolean;
  /** Finished handoffs (event, job, report, delivery, feedback) older than this are deleted, hourly. */
  retentionDays: number;
  worker: {
    enabled: boolean;
    concurrency: number;
    pollMs: number;
    leaseMs: number;
    requestTimeoutMs: number;
    /** Worker threads that run analysis off the event loop. */
    analysisThreads: number;
    /** Wall time one analysis may take before the degraded form is used instead. */
    analysisBudgetMs: number;
    retry: RetryPolicy;
  };
  tenants: TenantConfig[];
}

export const DURABILITY_LEVELS = ['normal', 'full'] as const;
export type Durability = (typeof DURABILITY_LEVELS)[number];

export const DEMO_TENANT_ID = 'demo';
export const DEMO_WEBHOOK_SECRET = 'whsec_demo_local_only';
export const DEMO_APP_SECRET = 'demo_app_secret_local_only';

/** One tenant of the file (also what server/tenants validates a stored tenant with). */
export const tenantSchema = (): Record<string, unknown> => ({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'webhookSecrets'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
    webhookSecrets: { type: 'array', minItems: 1, items: { type: 'string', minLength: 8 } },
    appSecret: { type: 'string', minLength: 8 },
    knowledgeBaseHosts: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9.-]+(:[0-9]{1,5})?$' } },
    analysis: { type: 'object' },
    defaultHelpdesk: { type: 'string', minLength: 1 },
    bots: botsConfigSchema(),
    alerts: alertConfigSchema,
    evaluate: evaluateConfigSchema,
    businessHours: businessHoursSchema,
    ...Object.fromEntries(helpdeskModules().map((m) => [m.name, m.configSchema])),
  },
});

/**
 * The file's schema; each registered helpdesk module adds its tenant section (`tenants[].<name>`) and each bot
 * adapter its `tenants[].bots.<key>`. Built on first use: the registries are not read while modules load.
 */
const fileSchema = (): Record<string, unknown> => ({
  type: 'object',
  additionalProperties: false,
  required: ['tenants'],
  properties: {
    maxBodyBytes: { type: 'integer', minimum: 1024 },
    durability: { enum: [...DURABILITY_LEVELS] },
    retentionDays: { type: 'integer', minimum: 1, maximum: 36500 },
    signatureToleranceSec: { type: 'integer', minimum: 1 },
    adminToken: { type: 'string', minLength: 16 },
    worker: {
      type: 'object',
      additionalProperties: false,
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 64 },
        pollMs: { type: 'integer', minimum: 1 },
        leaseMs: { type: 'integer', minimum: 1000 },
        requestTimeoutMs: { type: 'integer', minimum: 1 },
        analysisThreads: { type: 'integer', minimum: 1, maximum: 16 },
        analysisBudgetMs: { type: 'integer', minimum: 50, maximum: 600_000 },
        retry: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxAttempts: { type: 'integer', minimum: 1 },
            baseDelayMs: { type: 'integer', minimum: 0 },
            maxDelayMs: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    tenants: {
      type: 'array',
      minItems: 1,
      items: tenantSchema(),
    },
  },
});

let compiled: ValidateFunction | undefined;
const validateFile = (raw: unknown): boolean => (compiled ??= new Ajv({ allErrors: true, strict: false }).compile(fileSchema()))(raw);

function intFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be an integer between ${min} and ${max} (got "${raw}")`);
  return n;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`BATON_CONFIG: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return /\.ya?ml$/i.test(path) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`BATON_CONFIG: ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
}

export type FileTenant = {
  id: string;
  webhookSecrets: string[];
  appSecret?: string;
  knowledgeBaseHosts?: string[];
  analysis?: unknown;
  defaultHelpdesk?: string;
  bots?: unknown;
  /** Helpdesk sections, by module name (validated with the module's configSchema). */
  [helpdesk: string]: unknown;
};
type FileConfig = {
  tenants: FileTenant[];
  maxBodyBytes?: number;
  durability?: Durability;
  retentionDays?: number;
  signatureToleranceSec?: number;
  adminToken?: string;
  worker?: {
    concurrency?: number;
    pollMs?: number;
    leaseMs?: number;
    requestTimeoutMs?: number;
    analysisThreads?: number;
    analysisBudgetMs?: number;
    retry?: Partial<RetryPolicy>;
  };
};

/** A validated file tenant → TenantConfig (server/tenants parses stored tenants with it too, `path` naming where). */
export function tenantFromFile(t: FileTenant, i: number | string): TenantConfig {
  const path = typeof i === 'number' ? `tenants[${i}]` : i;
  const helpdesks: Record<string, unknown> = {};
  for (const m of helpdeskModules()) if (t[m.name] !== undefined) helpdesks[m.name] = m.parseConfig(t[m.name], `${path}.${m.name}`);
  const connected = Object.keys(helpdesks);
  if (t.defaultHelpdesk !== undefined && !connected.includes(t.defaultHelpdesk))
    throw new ConfigError(
      `${path}.defaultHelpdesk "${t.defaultHelpdesk}" is not a helpdesk this tenant connects (${connected.length ? connected.join(', ') : 'none'})`,
    );
  const defaultHelpdesk = t.defaultHelpdesk ?? connected[0];
  let analysis: AnalysisOptions;
  try {
    analysis = parseAnalysisOptions(t.analysis ?? {}, `${path}.analysis`);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const bots = parseBotsConfig(t.bots, `${path}.bots`);
  const knowledgeBaseHosts = [...new Set((t.knowledgeBaseHosts ?? []).map((h) => h.toLowerCase()))];
  // Analysis marks which offered links are on the list, so the stored report (note and sidebar) agrees.
  analysis = { ...analysis, knowledgeBaseHosts };
  const alerts = t.alerts !== undefined ? parseAlertConfig(t.alerts, `${path}.alerts`) : undefined;
  const evaluate = t.evaluate !== undefined ? parseEvaluateConfig(t.evaluate, `${path}.evaluate`) : undefined;
  const businessHours = parseBusinessHours(t.businessHours, `${path}.businessHours`);
  return {
    id: t.id,
    webhookSecrets: [...t.webhookSecrets],
    ...(t.appSecret ? { appSecret: t.appSecret } : {}),
    helpdesks,
    ...(defaultHelpdesk ? { defaultHelpdesk } : {}),
    analysis,
    knowledgeBaseHosts,
    ...(Object.keys(bots).length ? { bots } : {}),
    ...(alerts ? { alerts } : {}),
    ...(evaluate ? { evaluate } : {}),
    ...(businessHours ? { businessHours } : {}),
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Builds the config from the environment. With no BATON_CONFIG, Baton runs in sandbox mode: one demo tenant
 * writing to the built-in sandbox helpdesk served by this same process.
 */
function durabilityFromEnv(env: NodeJS.ProcessEnv, fallback: Durability): Durability {
  const raw = env.BATON_DURABILITY;
  if (raw === undefined || raw === '') return fallback;
  const value = raw.toLowerCase();
  if (!(DURABILITY_LEVELS as readonly string[]).includes(value))
    throw new ConfigError(`BATON_DURABILITY must be one of ${DURABILITY_LEVELS.join(', ')} (got "${raw}")`);
  return value as Durability;
}

/** The Postgres URL, checked for its scheme; the value is never echoed (it may hold a password). */
function databaseUrlFromEnv(env: NodeJS.ProcessEnv): { databaseUrl?: string } {
  const raw = env.BATON_DATABASE_URL?.trim();
  if (!raw) return {};
  if (!/^postgres(ql)?:\/\//i.test(raw)) throw new ConfigError('BATON_DATABASE_URL must be a postgres:// or postgresql:// URL');
  return { databaseUrl: raw };
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const port = intFromEnv(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.BATON_DATA_DIR || './data');
  const sandbox = !env.BATON_CONFIG;
  const allowPublicSandbox = /^(1|true|yes)$/i.test(env.BATON_ALLOW_PUBLIC_SANDBOX ?? '');
  if (sandbox && !isLoopbackHost(host) && !allowPublicSandbox)
    throw new ConfigError(
      `HOST=${host} is not a loopback address, and sandbox mode (no BATON_CONFIG) serves /preview and /sandbox/… ` +
        `without authentication. Use HOST=127.0.0.1, give a BATON_CONFIG, or set BATON_ALLOW_PUBLIC_SANDBOX=1 if you really mean it`,
    );
  let file: FileConfig;
  if (sandbox) {
    file = {
      tenants: [
        {
          id: DEMO_TENANT_ID,
          webhookSecrets: [DEMO_WEBHOOK_SECRET],
          appSecret: DEMO_APP_SECRET,
          // Every helpdesk with a sandbox: served by this same process (e.g. under /sandbox/<name>).
          ...Object.fromEntries(helpdeskModules().flatMap((m) => (m.sandboxSection ? [[m.name, m.sandboxSection(`http://127.0.0.1:${port}`)]] : []))),
          // Every bot platform with a sandbox (e.g. Sunshine Conversations under /sandbox/sunshine, relay mode).
          bots: botSandboxSections(`http://127.0.0.1:${port}`),
          // The help-center hosts of the articles in samples/*.json, so the demo shows live article links.
          knowledgeBaseHosts: ['help.example.com', 'status.example.com'],
          analysis: { routing: { byTopic: { billing_dispute: 360001, refund: 360001, billing_payment: 360001, account_security: 360002, technical_issue: 360003 }, fallbackGroupId: 360000 } },
        },
      ],
    };
  } else {
    const raw = readConfigFile(resolve(env.BATON_CONFIG as string));
    if (!validateFile(raw)) {
      const lines = (compiled?.errors ?? []).map(describeAjvError).map((e) => `  - ${e.field} ${e.problem}`);
      throw new ConfigError(`BATON_CONFIG ${env.BATON_CONFIG} is invalid:\n${[...new Set(lines)].join('\n')}`);
    }
    file = raw as unknown as FileConfig;
    const ids = new Set<string>();
    file.tenants.forEach((t, i) => {
      if (ids.has(t.id)) throw new ConfigError(`tenants[${i}].id "${t.id}" is used by another tenant`);
      ids.add(t.id);
    });
  }
  const tenants = file.tenants.map(tenantFromFile);
  for (const m of helpdeskModules()) {
    const sections = tenants.flatMap((t, i) => (m.name in t.helpdesks ? [{ path: `tenants[${i}].${m.name}`, config: t.helpdesks[m.name] }] : []));
    m.checkTenants?.(sections);
  }
  const w = file.worker ?? {};
  const config: Config = {
    port,
    host,
    dataDir,
    dbFile: resolve(dataDir, 'baton.sqlite'),
    durability: durabilityFromEnv(env, file.durability ?? 'normal'),
    ...databaseUrlFromEnv(env),
    databasePoolMax: intFromEnv(env, 'BATON_DATABASE_POOL_MAX', 10, 1, 1000),
    logLevel: env.LOG_LEVEL || 'info',
    maxBodyBytes: intFromEnv(env, 'BATON_MAX_BODY_BYTES', file.maxBodyBytes ?? 1024 * 1024, 1024, 64 * 1024 * 1024),
    signatureToleranceSec: file.signatureToleranceSec ?? 300,
    ...(env.BATON_ADMIN_TOKEN || file.adminToken ? { adminToken: env.BATON_ADMIN_TOKEN || file.adminToken } : {}),
    sandbox,
    allowPublicSandbox,
    retentionDays: intFromEnv(env, 'BATON_RETENTION_DAYS', file.retentionDays ?? 90, 1, 36500),
    worker: {
      // BATON_WORKER=off accepts webhooks without delivering (benchmarks, maintenance); jobs wait in the store.
      enabled: !/^(off|0|false)$/i.test(env.BATON_WORKER ?? ''),
      concurrency: w.concurrency ?? 8,
      pollMs: w.pollMs ?? 250,
      leaseMs: w.leaseMs ?? 120_000,
      requestTimeoutMs: w.requestTimeoutMs ?? 15_000,
      analysisThreads: w.analysisThreads ?? 1,
      analysisBudgetMs: w.analysisBudgetMs ?? 2_000,
      retry: { maxAttempts: w.retry?.maxAttempts ?? 10, baseDelayMs: w.retry?.baseDelayMs ?? 1000, maxDelayMs: w.retry?.maxDelayMs ?? 300_000 },
    },
    tenants,
  };
  return deepFreeze(config);
}
