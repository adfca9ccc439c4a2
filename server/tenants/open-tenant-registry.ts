/**
 * The TenantRegistry (tenant-registry.ts) over the config file's tenants and the store's. Every stored tenant is
 * one document (the BATON_CONFIG tenant shape, secrets included) sealed by secret-box.ts; the cache holds the
 * parsed TenantConfig, so `get` never touches the store. Refresh: every `pollMs` the store's tenant revision is
 * read (one row); when it moved, the rows are re-read and only those whose version changed are opened again.
 */
import { randomBytes } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Logger } from 'pino';
import { ConfigError, tenantFromFile, tenantSchema, type Config, type FileTenant, type TenantConfig } from '../config.ts';
import { helpdeskModule, helpdeskModules } from '../helpdesks/registry.ts';
import type { Store } from '../store/store.ts';
import { describeAjvError } from '../util/ajv-errors.ts';
import { createSecretBox, loadMasterKeys, type SecretBox } from './secret-box.ts';
import { openTenantStore, type TenantRow, type TenantStore } from './tenant-store.ts';
import {
  TENANT_ID_PATTERN,
  TenantError,
  type CreatedTenant,
  type Disconnection,
  type TenantChange,
  type TenantRegistry,
  type TenantSource,
  type TenantSummary,
} from './tenant-registry.ts';

export interface OpenTenantRegistryOptions {
  config: Readonly<Config>;
  /** The store the tenant rows live in (its SQLite connection or Postgres pool), or the rows directly (tests). */
  store: Store | { tenantStore: TenantStore };
  logger?: Logger;
  /** Where BATON_MASTER_KEY(_PREVIOUS) are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Replaces the key set-up (tests). */
  box?: SecretBox;
  /** How often the store's revision is read; 0 = never (a CLI run). Default 1000 ms. */
  pollMs?: number;
  clock?: () => number;
}

interface Entry {
  doc: FileTenant;
  config: TenantConfig;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** The additional data a tenant document is sealed with: a sealed row moved to another id does not open. */
export const TENANT_CONTEXT = (id: string): string => `baton-tenant:${id}`;
const MAX_REASON = 500;
/** Keys of helpdesk and bot sections never shown by the summary (logger.ts redacts the same names). */
const SECRET_KEY = /secret|token|password|privatekey|apikey$/i;

export function generateSecret(prefix: 'whsec' | 'appsec'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

let compiled: ValidateFunction | undefined;
const validateTenant = (doc: unknown): ValidateFunction => {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(tenantSchema());
  compiled(doc);
  return compiled;
};

function mask(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mask);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) && x !== undefined ? '(set)' : mask(x)]));
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function openTenantRegistry(opts: OpenTenantRegistryOptions): Promise<TenantRegistry> {
  const { config, logger } = opts;
  const clock = opts.clock ?? Date.now;
  const rows: TenantStore = 'tenantStore' in opts.store ? opts.store.tenantStore : await openTenantStore(opts.store);
  let box = opts.box;
  if (!box) {
    const keys = loadMasterKeys(opts.env ?? process.env, { sandbox: config.sandbox, dataDir: config.dataDir });
    if (keys.generatedFile) logger?.warn({ file: keys.generatedFile }, 'no BATON_MASTER_KEY: generated one for sandbox mode (tenant secrets are sealed with it)');
    box = createSecretBox(keys);
  }
  const secretBox = box;

  const fileTenants = new Map<string, TenantConfig>(config.tenants.map((t) => [t.id, t]));
  let stored = new Map<string, Entry>();
  let states = new Map<string, Map<string, Disconnection>>();
  let view = new Map<string, TenantConfig>();
  let generation = 0;
  let seenRevision = -1;
  const listeners = new Set<(c: TenantChange) => void>();

  const rebuildView = (): void => {
    const next = new Map<string, TenantConfig>(fileTenants);
    for (const [id, e] of stored) if (!next.has(id)) next.set(id, e.config);
    view = next;
    generation++;
  };
  const emit = (c: TenantChange): void => {
    for (const l of listeners) {
      try {
        l(c);
      } catch (err) {
        logger?.error({ err, change: c.type, tenantId: c.tenantId }, 'tenant change listener failed');
      }
    }
  };

  const openRow = (row: TenantRow): Entry => {
    const doc = JSON.parse(secretBox.open(row.sealed, TENANT_CONTEXT(row.id))) as FileTenant;
    if (doc.id !== row.id) throw new ConfigError(`stored tenant ${row.id} holds the document of ${doc.id}`);
    return { doc, config: tenantFromFile(doc, `stored tenant ${row.id}`), version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt };
  };

  // Writes and refreshes run one at a time, so a refresh that read before a write cannot undo it in the cache.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const refreshNow = async (force = false): Promise<void> => {
    if (!force && (await rows.revision()) === seenRevision) return;
    const snap = await rows.load();
    const next = new Map<string, Entry>();
    const changes: TenantChange[] = [];
    for (const row of snap.tenants) {
      const old = stored.get(row.id);
      if (old && old.version === row.version) {
        next.set(row.id, old);
        continue;
      }
      try {
        next.set(row.id, openRow(row));
        changes.push({ type: old ? 'updated' : 'created', tenantId: row.id });
      } catch (err) {
        // One unreadable row must not take the others down: keep what we had, say why.
        logger?.error({ tenantId: row.id, reason: (err as Error).message }, 'stored tenant cannot be read; keeping the previous copy');
        if (old) next.set(row.id, old);
      }
    }
    for (const id of stored.keys()) if (!next.has(id)) changes.push({ type: 'removed', tenantId: id });
    const nextStates = new Map<string, Map<string, Disconnection>>();
    for (const s of snap.states) {
      const m = nextStates.get(s.tenantId) ?? new Map<string, Disconnection>();
      m.set(s.helpdesk, { reason: s.reason, at: s.disconnectedAt });
      nextStates.set(s.tenantId, m);
      const before = states.get(s.tenantId)?.get(s.helpdesk);
      if (!before || before.at !== s.disconnectedAt) changes.push({ type: 'disconnected', tenantId: s.tenantId, helpdesk: s.helpdesk, reason: s.reason });
    }
    for (const [tenantId, m] of states)
      for (const helpdesk of m.keys()) if (!nextStates.get(tenantId)?.has(helpdesk)) changes.push({ type: 'reconnected', tenantId, helpdesk });
    stored = next;
    states = nextStates;
    seenRevision = snap.revision;
    rebuildView();
    for (const c of changes) emit(c);
  };

  await refreshNow(true);
  if (stored.size === 0 && (await rows.load()).tenants.length > 0 && !secretBox.currentKeyId)
    throw new ConfigError('Tenants are stored sealed, but BATON_MASTER_KEY is not set: give the key they were sealed with');

  const seal = (doc: FileTenant): { sealed: string; keyId: string } => {
    try {
      const sealed = secretBox.seal(JSON.stringify(doc), TENANT_CONTEXT(doc.id));
      return { sealed, keyId: secretBox.currentKeyId as string };
    } catch (err) {
      if (err instanceof ConfigError) throw new TenantError('no_master_key', err.message);
      throw err;
    }
  };

  /** Schema, parse (each module's parseConfig) and cross-tenant checks; returns the parsed config. */
  const check = (doc: FileTenant): TenantConfig => {
    const v = validateTenant(doc);
    if (v.errors?.length) {
      const details = [...new Map(v.errors.map(describeAjvError).map((d) => [`${d.field} ${d.problem}`, d])).values()];
      throw new TenantError('invalid', `The tenant is invalid: ${details.map((d) => `${d.field} ${d.problem}`).join('; ')}`, details);
    }
    let parsed: TenantConfig;
    try {
      parsed = tenantFromFile(doc, 'tenant');
    } catch (err) {
      // Whatever a section's parser throws, it is about the input: a 400 naming it, never a 500.
      throw new TenantError('invalid', (err as Error).message);
    }
    for (const m of helpdeskModules()) {
      const sections: Array<{ path: string; config: unknown }> = [];
      for (const [id, t] of view) if (id !== doc.id && m.name in t.helpdesks) sections.push({ path: `tenant ${id}.${m.name}`, config: t.helpdesks[m.name] });
      if (m.name in parsed.helpdesks) sections.push({ path: `tenant.${m.name}`, config: parsed.helpdesks[m.name] });
      try {
        m.checkTenants?.(sections);
      } catch (err) {
        if (err instanceof ConfigError) throw new TenantError('conflict', err.message);
        throw err;
      }
    }
    return parsed;
  };

  const writable = (id: string): void => {
    if (fileTenants.has(id)) throw new TenantError('read_only', `Tenant ${id} is declared in BATON_CONFIG (or is sandbox mode's demo tenant): change it there, the file wins over the store`);
  };

  /** Read-modify-write of one stored tenant, compare-and-set on its version (another replica may write too). */
  const modify = (id: string, change: (doc: FileTenant) => FileTenant): Promise<Entry> =>
    serial(async () => {
      writable(id);
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await rows.loadOne(id);
        if (!row) throw new TenantError('not_found', `No tenant ${id}`);
        let current: Entry;
        try {
          current = openRow(row);
        } catch (err) {
          throw new TenantError('no_master_key', `Tenant ${id} cannot be opened with the configured master keys: ${(err as Error).message}`);
        }
        const doc = change(structuredClone(current.doc));
        const parsed = check(doc);
        const { sealed, keyId } = seal(doc);
        const now = clock();
        if (await rows.update(id, sealed, keyId, row.version, now)) {
          const entry: Entry = { doc, config: parsed, version: row.version + 1, createdAt: row.createdAt, updatedAt: now };
          stored = new Map(stored).set(id, entry);
          rebuildView();
          emit({ type: 'updated', tenantId: id });
          return entry;
        }
      }
      throw new TenantError('conflict', `Tenant ${id} is being changed by someone else; try again`);
    });

  /** Clears the disconnected state of these helpdesks of a tenant (new credentials were given). */
  const reconnected = async (id: string, helpdesks: string[]): Promise<void> => {
    for (const helpdesk of helpdesks) {
      if (!states.get(id)?.has(helpdesk)) continue;
      await serial(async () => {
        await rows.setState(id, helpdesk, null);
        const m = new Map(states.get(id));
        m.delete(helpdesk);
        states = new Map(states).set(id, m);
      });
      emit({ type: 'reconnected', tenantId: id, helpdesk });
    }
  };

  const summaryOf = (id: string): TenantSummary | undefined => {
    const t = view.get(id);
    if (!t) return undefined;
    const source: TenantSource = fileTenants.has(id) ? 'file' : 'store';
    const e = source === 'store' ? stored.get(id) : undefined;
    return {
      id,
      source,
      helpdesks: Object.keys(t.helpdesks),
      ...(t.defaultHelpdesk ? { defaultHelpdesk: t.defaultHelpdesk } : {}),
      bots: Object.keys(t.bots ?? {}),
      sections: mask(t.helpdesks) as Record<string, unknown>,
      disconnected: Object.fromEntries(states.get(id) ?? []),
      webhookSecretCount: t.webhookSecrets.length,
      hasAppSecret: Boolean(t.appSecret),
      ...(e ? { createdAt: e.createdAt, updatedAt: e.updatedAt } : {}),
    };
  };

  let polling = false;
  const timer =
    opts.pollMs === 0
      ? undefined
      : setInterval(() => {
          if (polling) return;
          polling = true;
          serial(() => refreshNow())
            .catch((err: unknown) => logger?.warn({ reason: (err as Error).message }, 'tenant refresh failed; serving the cached tenants'))
            .finally(() => {
              polling = false;
            });
        }, opts.pollMs ?? 1000);
  timer?.unref();

  const registry: TenantRegistry = {
    get size() {
      return view.size;
    },
    get generation() {
      return generation;
    },
    get: (id) => view.get(id),
    has: (id) => view.has(id),
    keys: () => view.keys(),
    values: () => view.values(),
    entries: () => view.entries(),
    forEach: (fn, thisArg) => view.forEach((v, k) => fn.call(thisArg, v, k, registry)),
    [Symbol.iterator]: () => view[Symbol.iterator](),
    list: () => [...view.keys()].map((id) => summaryOf(id) as TenantSummary),
    summary: summaryOf,
    source: (id) => (fileTenants.has(id) ? 'file' : stored.has(id) ? 'store' : undefined),

    create: (input) =>
      serial(async (): Promise<CreatedTenant> => {
        if (!isPlainObject(input)) throw new TenantError('invalid', 'The tenant must be a JSON object');
        const id = input.id;
        if (typeof id !== 'string' || !TENANT_ID_PATTERN.test(id))
          throw new TenantError('invalid', `id must match ${TENANT_ID_PATTERN.source}`, [{ field: 'id', problem: `must match ${TENANT_ID_PATTERN.source}` }]);
        const given = ['webhookSecrets', 'appSecret'].filter((k) => k in input);
        if (given.length)
          throw new TenantError('invalid', 'Secrets are generated by Baton and shown once; do not send them', given.map((field) => ({ field, problem: 'is generated, not given' })));
        if (fileTenants.has(id) || stored.has(id)) throw new TenantError('exists', `Tenant ${id} exists already${fileTenants.has(id) ? ' (in BATON_CONFIG)' : ''}`);
        const secrets = { webhookSecret: generateSecret('whsec'), appSecret: generateSecret('appsec') };
        const doc = { ...structuredClone(input), id, webhookSecrets: [secrets.webhookSecret], appSecret: secrets.appSecret } as FileTenant;
        const parsed = check(doc);
        const { sealed, keyId } = seal(doc);
        const now = clock();
        if (!(await rows.insert({ id, sealed, keyId, createdAt: now, updatedAt: now }))) throw new TenantError('exists', `Tenant ${id} exists already`);
        stored = new Map(stored).set(id, { doc, config: parsed, version: 1, createdAt: now, updatedAt: now });
        rebuildView();
        emit({ type: 'created', tenantId: id });
        return { tenant: parsed, secrets };
      }),

    update: async (id, patch) => {
      if (!isPlainObject(patch)) throw new TenantError('invalid', 'The patch must be a JSON object');
      const fixed = ['id', 'webhookSecrets', 'appSecret'].filter((k) => k in patch);
      if (fixed.length)
        throw new TenantError('invalid', 'id and secrets cannot be patched (use rotate-secret)', fixed.map((field) => ({ field, problem: 'cannot be patched' })));
      // Only a tenant's own keys (never `__proto__` and the like, which an assignment would not store as data).
      // Every key of the tenant schema (helpdesk sections, bots, analysis, alerts, evaluate, businessHours…).
      const patchable = new Set(Object.keys(tenantSchema().properties as Record<string, unknown>));
      const unknown = Object.keys(patch).filter((k) => !patchable.has(k));
      if (unknown.length)
        throw new TenantError('invalid', `Not a key a tenant has: ${unknown.join(', ')}`, unknown.map((field) => ({ field, problem: 'is not a known key' })));
      const entry = await modify(id, (doc) => {
        for (const [k, v] of Object.entries(patch)) {
          if (v === null) delete doc[k];
          else doc[k] = structuredClone(v);
        }
        // A default that names a helpdesk the patch removed would be refused: drop it, the first connected one serves.
        if (doc.defaultHelpdesk && doc[doc.defaultHelpdesk] === undefined && !('defaultHelpdesk' in patch)) delete doc.defaultHelpdesk;
        return doc;
      });
      // New credentials for a helpdesk: it is connected again.
      await reconnected(id, Object.keys(patch).filter((k) => patch[k] !== null && helpdeskModule(k)));
      return entry.config;
    },

    remove: (id) =>
      serial(async () => {
        writable(id);
        const removed = await rows.remove(id);
        const had = stored.has(id);
        if (had) {
          const next = new Map(stored);
          next.delete(id);
          stored = next;
        }
        if (states.has(id)) {
          const next = new Map(states);
          next.delete(id);
          states = next;
        }
        rebuildView();
        if (removed || had) emit({ type: 'removed', tenantId: id });
        return removed;
      }),

    rotateSecret: async (id, which, o = {}) => {
      const secret = generateSecret(which === 'webhook' ? 'whsec' : 'appsec');
      await modify(id, (doc) => {
        if (which === 'webhook') doc.webhookSecrets = o.keepPrevious && doc.webhookSecrets[0] ? [secret, doc.webhookSecrets[0]] : [secret];
        else doc.appSecret = secret;
        return doc;
      });
      return secret;
    },

    connectHelpdesk: async (id, helpdesk, section) => {
      if (!helpdeskModule(helpdesk)) throw new TenantError('invalid', `${helpdesk} is not a helpdesk Baton knows (${helpdeskModules().map((m) => m.name).join(', ')})`);
      const entry = await modify(id, (doc) => ({ ...doc, [helpdesk]: structuredClone(section) }));
      await reconnected(id, [helpdesk]);
      return entry.config;
    },

    markDisconnected: (id, helpdesk, reason) =>
      serial(async () => {
        if (!view.get(id)?.helpdesks[helpdesk]) throw new TenantError('not_found', `Tenant ${id} does not connect ${helpdesk}`);
        // Already marked: every failing job reports it again; the first reason and time stand, no write, no event.
        if (states.get(id)?.has(helpdesk)) return;
        const d: Disconnection = { reason: String(reason).slice(0, MAX_REASON), at: clock() };
        await rows.setState(id, helpdesk, { reason: d.reason, at: d.at });
        states = new Map(states).set(id, new Map(states.get(id)).set(helpdesk, d));
        emit({ type: 'disconnected', tenantId: id, helpdesk, reason: d.reason });
      }),
    isDisconnected: (id, helpdesk) => Boolean(states.get(id)?.has(helpdesk)),
    disconnection: (id, helpdesk) => states.get(id)?.get(helpdesk),

    onChange: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    refresh: () => serial(() => refreshNow()),
    close: () => {
      if (timer) clearInterval(timer);
      listeners.clear();
    },
  };
  return registry;
}
