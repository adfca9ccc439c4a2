/**
 * Wires the registry's changes to alerts: a helpdesk marked disconnected (e.g. its OAuth token was revoked,
 * server/connect/revocation.ts) alerts that tenant's admins at once, rate-limited like every alert.
 */
import type { TenantRegistry } from '../tenants/tenant-registry.ts';
import type { Alerter } from './alerter.ts';

export function alertOnDisconnect(registry: Pick<TenantRegistry, 'onChange'>, alerter: Pick<Alerter, 'notify'>): () => void {
  return registry.onChange((change) => {
    if (change.type !== 'disconnected') return;
    alerter.notify({
      tenantId: change.tenantId,
      kind: 'helpdesk_disconnected',
      message: `${change.helpdesk} no longer accepts Baton's credentials (${(change.reason ?? 'unauthorized').slice(0, 200)}). Handoffs wait until an admin re-connects ${change.helpdesk}.`,
    });
  });
}
