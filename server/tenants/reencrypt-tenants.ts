/**
 * Master-key rotation (issue 13): every stored tenant sealed with a key other than BATON_MASTER_KEY (i.e. with
 * BATON_MASTER_KEY_PREVIOUS) is opened and sealed again with the current key, one compare-and-set update per
 * tenant, so running replicas keep serving (they open both keys) and pick the new rows up by polling.
 */
import type { SecretBox } from './secret-box.ts';
import type { TenantStore } from './tenant-store.ts';
import { TENANT_CONTEXT } from './open-tenant-registry.ts';

export interface ReencryptResult {
  resealed: string[];
  current: number;
  /** Rows that could not be opened (sealed with a key that is not configured): listed, left as they are. */
  failed: Array<{ id: string; reason: string }>;
}

export async function reencryptTenants(rows: TenantStore, box: SecretBox, clock: () => number = Date.now): Promise<ReencryptResult> {
  if (!box.currentKeyId) throw new Error('BATON_MASTER_KEY is not set: give the new key (and the old one as BATON_MASTER_KEY_PREVIOUS)');
  const out: ReencryptResult = { resealed: [], current: 0, failed: [] };
  for (const row of (await rows.load()).tenants) {
    if (!box.isStale(row.sealed)) {
      out.current++;
      continue;
    }
    try {
      const sealed = box.seal(box.open(row.sealed, TENANT_CONTEXT(row.id)), TENANT_CONTEXT(row.id));
      // A concurrent change re-sealed it with the current key already: nothing left to do for it.
      if (await rows.update(row.id, sealed, box.currentKeyId, row.version, clock())) out.resealed.push(row.id);
      else out.current++;
    } catch (err) {
      out.failed.push({ id: row.id, reason: (err as Error).message });
    }
  }
  return out;
}
