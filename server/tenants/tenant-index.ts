/**
 * A tenant lookup by something other than the id (a Zendesk subdomain, an Intercom workspace), kept in step with
 * the TenantRegistry: rebuilt on first use after the registry's tenants changed (its `generation` moved), so the
 * sidebar and preview lookups see tenants added or removed at run time. A plain list (config.tenants) is indexed once.
 */
import type { TenantConfig } from '../config.ts';

type Source = Iterable<TenantConfig> | (ReadonlyMap<string, TenantConfig> & { readonly generation?: number });

function valuesOf(source: Source): Iterable<TenantConfig> {
  // A Map (or the registry) iterates [id, tenant] pairs: take its values; a list is the tenants themselves.
  return 'get' in source ? (source as ReadonlyMap<string, TenantConfig>).values() : (source as Iterable<TenantConfig>);
}

export function tenantIndex(source: Source, keyOf: (t: TenantConfig) => string | undefined): ReadonlyMap<string, TenantConfig> {
  let built: Map<string, TenantConfig> | undefined;
  let builtAt: number | undefined;
  const current = (): Map<string, TenantConfig> => {
    const generation = (source as { generation?: number }).generation;
    if (!built || generation !== builtAt) {
      const next = new Map<string, TenantConfig>();
      for (const t of valuesOf(source)) {
        const key = keyOf(t);
        if (key !== undefined && !next.has(key)) next.set(key, t);
      }
      built = next;
      builtAt = generation;
    }
    return built;
  };
  const view: ReadonlyMap<string, TenantConfig> = {
    get size() {
      return current().size;
    },
    get: (k) => current().get(k),
    has: (k) => current().has(k),
    keys: () => current().keys(),
    values: () => current().values(),
    entries: () => current().entries(),
    forEach: (fn, thisArg) => current().forEach((v, k) => fn.call(thisArg, v, k, view)),
    [Symbol.iterator]: () => current()[Symbol.iterator](),
  };
  return view;
}
