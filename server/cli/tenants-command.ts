/**
 * `baton tenants add|list|show|rotate-secret|remove|reencrypt` (issue 13). Works on the store directly (the
 * SQLite file in BATON_DATA_DIR, or Postgres when BATON_DATABASE_URL is set), so it needs no admin token and a
 * running Baton picks the change up within its tenant poll (about a second), without a restart. Secrets are
 * printed once, on add and rotate-secret; they are stored sealed with BATON_MASTER_KEY.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openTenantRegistry } from '../tenants/open-tenant-registry.ts';
import { ensurePostgresTenantTables, openPostgresTenantStore } from '../tenants/postgres-tenant-store.ts';
import { reencryptTenants } from '../tenants/reencrypt-tenants.ts';
import { createSecretBox, loadMasterKeys } from '../tenants/secret-box.ts';
import { openSqliteTenantStore } from '../tenants/sqlite-tenant-store.ts';
import { TenantError, type TenantInput, type TenantSummary } from '../tenants/tenant-registry.ts';
import type { TenantStore } from '../tenants/tenant-store.ts';
import { webhookSetup } from '../tenants/webhook-setup.ts';
import { mintConnectLink } from '../connect/connect-links.ts';
import { helpdeskModule } from '../helpdesks/registry.ts';

const USAGE = `usage: baton tenants <command>
  add ID [--from FILE|-] [--zendesk SUBDOMAIN --email EMAIL [--base-url URL]] [--json]
        the API token is read from ZENDESK_API_TOKEN (never a command-line argument); --from reads the tenant
        as JSON (the admin API's POST body); prints the generated webhook and app secrets once
  list [--json]
  show ID [--json]              the tenant (no secrets) and, per bot platform, the webhook URL and a signed curl
  rotate-secret ID webhook|app [--keep-previous] [--json]
  remove ID
  connect-link HELPDESK [--tenant ID] [--account X] [--json]
                                a one-time "Connect" link (24 h) for an admin of that helpdesk account; needs
                                BATON_ADMIN_TOKEN (as the server has it) and BATON_PUBLIC_URL
  reencrypt                     re-seal every tenant with BATON_MASTER_KEY (after a key rotation; the old key
                                in BATON_MASTER_KEY_PREVIOUS)
`;

interface Opened {
  rows: TenantStore;
  config: Readonly<Config>;
  close(): Promise<void>;
}

async function openRows(): Promise<Opened> {
  const config = loadConfig(process.env);
  const url = process.env.BATON_DATABASE_URL?.trim();
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    await ensurePostgresTenantTables(pool);
    return { rows: openPostgresTenantStore(pool), config, close: () => pool.end() };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const db = new Database(resolve(config.dataDir, 'baton.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  return { rows: openSqliteTenantStore(db), config, close: async () => void db.close() };
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || (v.startsWith('--') && v !== '-')) throw new UsageError(`${name} needs a value`);
  return v;
}

class UsageError extends Error {}

function inputFor(id: string, args: string[]): TenantInput {
  const from = flag(args, '--from');
  const base: Record<string, unknown> = from ? (JSON.parse(from === '-' ? readFileSync(0, 'utf8') : readFileSync(from, 'utf8')) as Record<string, unknown>) : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError('--from must hold a JSON object');
  const subdomain = flag(args, '--zendesk');
  if (subdomain) {
    const email = flag(args, '--email');
    const apiToken = process.env.ZENDESK_API_TOKEN;
    if (!email || !apiToken) throw new UsageError('--zendesk needs --email and the API token in ZENDESK_API_TOKEN');
    const baseUrl = flag(args, '--base-url');
    base.zendesk = { subdomain, email, apiToken, ...(baseUrl ? { baseUrl } : {}) };
  }
  return { ...base, id };
}

/** The same link `POST /v1/admin/connect-links` mints (server/connect/connect-routes.ts), made on the host. */
function connectLink(config: Readonly<Config>, args: string[], out: (text: string) => void, json: boolean): number {
  const helpdesk = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  const oauth = helpdesk ? helpdeskModule(helpdesk)?.oauth : undefined;
  if (!helpdesk || !oauth) throw new UsageError('connect-link needs a helpdesk that Baton can connect (zendesk or intercom)');
  if (!config.adminToken) throw new UsageError('connect-link needs BATON_ADMIN_TOKEN (the server verifies the link with it)');
  const tenantId = flag(args, '--tenant');
  const rawAccount = flag(args, '--account');
  const account = rawAccount !== undefined ? oauth.parseAccount?.(rawAccount) : undefined;
  if (rawAccount !== undefined && !account) throw new UsageError(`--account is not a valid ${helpdesk} account`);
  const link = mintConnectLink({
    adminToken: config.adminToken,
    publicUrl: publicUrl(config),
    helpdesk,
    ...(tenantId ? { tenantId } : {}),
    ...(account ? { account } : {}),
    ...(oauth.accountParam ? { accountParam: oauth.accountParam } : {}),
  });
  out(json ? JSON.stringify(link) : `Connect link for ${helpdesk} (one use, until ${new Date(link.expiresAt).toISOString()}):\n  ${link.url}`);
  return 0;
}

function publicUrl(config: Readonly<Config>): string {
  return process.env.BATON_PUBLIC_URL?.trim() || `http://${config.host}:${config.port}`;
}

function printSummary(s: TenantSummary): string {
  const down = Object.entries(s.disconnected).map(([h, d]) => `${h} disconnected since ${new Date(d.at).toISOString()}: ${d.reason}`);
  return [
    `${s.id}  (${s.source === 'file' ? 'BATON_CONFIG, read-only' : 'stored'})`,
    `  helpdesks: ${s.helpdesks.join(', ') || 'none'}${s.defaultHelpdesk ? ` (default ${s.defaultHelpdesk})` : ''}`,
    `  bots: ${s.bots.join(', ') || 'generic only'}`,
    `  webhook secrets: ${s.webhookSecretCount}, app secret: ${s.hasAppSecret ? 'set' : 'none'}`,
    ...down.map((d) => `  ${d}`),
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...args] = argv;
  const json = args.includes('--json');
  const out = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  if (!sub || sub === '--help' || sub === 'help') {
    process.stdout.write(USAGE);
    return sub ? 0 : 2;
  }
  let opened: Opened | undefined;
  try {
    opened = await openRows();
    const { rows, config } = opened;
    if (sub === 'connect-link') return connectLink(config, args, out, json);
    if (sub === 'reencrypt') {
      const box = createSecretBox(loadMasterKeys(process.env, { sandbox: config.sandbox, dataDir: config.dataDir }));
      const r = await reencryptTenants(rows, box);
      out(`re-sealed ${r.resealed.length} tenant(s) with key ${box.currentKeyId}; ${r.current} already current${r.failed.length ? `; ${r.failed.length} failed` : ''}`);
      for (const f of r.failed) out(`  ${f.id}: ${f.reason}`);
      return r.failed.length ? 1 : 0;
    }
    // Warnings (a stored tenant that does not open with the configured keys) go to stderr, secrets redacted.
    const registry = await openTenantRegistry({ config, store: { tenantStore: rows }, pollMs: 0, logger: createLogger('warn', process.stderr) });
    const id = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
    switch (sub) {
      case 'add': {
        if (!id) throw new UsageError('add needs a tenant ID');
        const { tenant, secrets } = await registry.create(inputFor(id, args));
        const webhooks = webhookSetup(tenant, publicUrl(config));
        if (json) out(JSON.stringify({ id: tenant.id, ...secrets, webhooks }));
        else
          out(
            [
              `Tenant ${tenant.id} added. Its secrets are shown this once; keep them now:`,
              `  webhook secret: ${secrets.webhookSecret}`,
              `  app secret:     ${secrets.appSecret}`,
              '',
              ...webhooks.map((w) => `  ${w.platform}: ${w.url}`),
              '',
              'A running Baton accepts its webhooks within a second (no restart).',
            ].join('\n'),
          );
        return 0;
      }
      case 'list': {
        const all = registry.list();
        out(json ? JSON.stringify(all) : all.length ? all.map(printSummary).join('\n') : 'No tenants.');
        return 0;
      }
      case 'show': {
        if (!id) throw new UsageError('show needs a tenant ID');
        const tenant = registry.get(id);
        const summary = registry.summary(id);
        if (!tenant || !summary) throw new TenantError('not_found', `No tenant ${id}`);
        const webhooks = webhookSetup(tenant, publicUrl(config));
        if (json) out(JSON.stringify({ tenant: summary, webhooks }));
        else
          out(
            [
              printSummary(summary),
              '',
              'Webhooks (the secret is not shown again: export BATON_WEBHOOK_SECRET=<the webhook secret> first):',
              ...webhooks.flatMap((w) => ['', `${w.platform}: POST ${w.url}`, `  auth: ${w.auth}`, ...w.curl.split('\n').map((l) => `  ${l}`)]),
            ].join('\n'),
          );
        return 0;
      }
      case 'rotate-secret': {
        const which = args[1];
        if (!id || (which !== 'webhook' && which !== 'app')) throw new UsageError('rotate-secret needs a tenant ID and webhook|app');
        const secret = await registry.rotateSecret(id, which, { keepPrevious: args.includes('--keep-previous') });
        if (json) out(JSON.stringify({ id, [which === 'webhook' ? 'webhookSecret' : 'appSecret']: secret }));
        else out(`New ${which} secret for ${id} (shown this once): ${secret}`);
        return 0;
      }
      case 'remove': {
        if (!id) throw new UsageError('remove needs a tenant ID');
        if (!(await registry.remove(id))) throw new TenantError('not_found', `No stored tenant ${id}`);
        out(`Tenant ${id} removed; its webhooks get 401 once Baton has seen the change (about a second).`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${sub}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`baton tenants: ${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof TenantError || err instanceof ConfigError || err instanceof SyntaxError) {
      const details = err instanceof TenantError && err.details ? err.details.map((d) => `\n  ${d.field} ${d.problem}`).join('') : '';
      process.stderr.write(`baton tenants: ${err.message}${details}\n`);
      return 1;
    }
    throw err;
  } finally {
    await opened?.close();
  }
}
