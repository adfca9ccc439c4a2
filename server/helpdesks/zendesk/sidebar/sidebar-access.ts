/**
 * May this Zendesk user see this ticket? Asked of Zendesk with the tenant's own API credentials, because the
 * sidebar's token only carries the browser's word for who the agent is (see sidebar-auth.ts).
 *
 * Zendesk's rules, from the Users API (developer.zendesk.com/api-reference/ticketing/users/users/):
 * `role` is end-user | agent | admin; `restricted_agent` is "false for admins and unrestricted agents, true
 * for other agents"; `ticket_restriction` is "organization", "groups", "assigned", "requested" or null;
 * `suspended` and `active` (false once deleted). So:
 *   GET /api/v2/users/{id}              unknown, inactive, suspended or end-user → forbidden;
 *                                       admin, or an agent without restriction → allowed;
 *   GET /api/v2/tickets/{id}            for a restricted agent: assigned → assignee_id is the user;
 *                                       requested → requester_id is the user; organization → the ticket's
 *                                       organization_id is the user's; groups → the ticket's group_id is one
 *   GET /api/v2/users/{id}/group_memberships   of the user's groups (or the ticket is assigned to them).
 * Anything else (an unknown restriction) is forbidden: fail closed. Network errors, 429 and 5xx are
 * "unavailable" (503, retry), never "allowed".
 *
 * Answers are cached per (tenant, user, ticket) for ACCESS_CACHE_MS so one sidebar open costs at most three
 * Zendesk calls, and re-opening the ticket costs none.
 */
import type { TenantConfig } from '../../../config.ts';
import { authorizationHeader } from '../client.ts';
import { zendeskConfigOf } from '../zendesk-config.ts';
import { trimTrailingSlashes } from '../../../util/trim-trailing-slashes.ts';

export type AccessDecision = 'allowed' | 'forbidden' | 'unavailable';

export interface AccessChecker {
  mayView(tenant: TenantConfig, userId: string, ticketId: number): Promise<AccessDecision>;
}

export const ACCESS_CACHE_MS = 60_000;
const ACCESS_CACHE_MAX = 5_000;
const TIMEOUT_MS = 5_000;

interface ZendeskUser {
  id: number;
  role?: string;
  active?: boolean;
  suspended?: boolean;
  restricted_agent?: boolean;
  ticket_restriction?: string | null;
  organization_id?: number | null;
}

interface ZendeskTicket {
  assignee_id?: number | null;
  requester_id?: number | null;
  group_id?: number | null;
  organization_id?: number | null;
}

class Unavailable extends Error {}

export interface ZendeskAccessCheckerOptions {
  fetchImpl?: typeof fetch;
  /** ms since epoch, for the cache; injectable for tests. */
  now?: () => number;
  /**
   * The Zendesk API base of a tenant, when it differs from its config: sandbox mode serves the sandbox
   * from this very process, whose port is only known once it listens (PORT=0).
   */
  baseUrlFor?: (tenant: TenantConfig) => string | undefined;
}

export function createZendeskAccessChecker(opts: ZendeskAccessCheckerOptions = {}): AccessChecker {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { decision: AccessDecision; until: number }>();

  async function getJson<T>(tenant: TenantConfig, path: string): Promise<T | undefined> {
    const z = zendeskConfigOf(tenant);
    if (!z) throw new Unavailable('no helpdesk');
    const base = trimTrailingSlashes(opts.baseUrlFor?.(tenant) ?? z.baseUrl ?? `https://${z.subdomain}.zendesk.com`);
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, {
        headers: { Authorization: authorizationHeader(z), Accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new Unavailable('unreachable');
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Unavailable(`status ${res.status}`);
    return (await res.json()) as T;
  }

  async function decide(tenant: TenantConfig, userId: string, ticketId: number): Promise<AccessDecision> {
    const user = (await getJson<{ user?: ZendeskUser }>(tenant, `/api/v2/users/${userId}.json`))?.user;
    if (!user || user.active === false || user.suspended === true) return 'forbidden';
    if (user.role === 'admin') return 'allowed';
    if (user.role !== 'agent') return 'forbidden';
    const restriction = user.ticket_restriction ?? null;
    if (restriction === null && user.restricted_agent !== true) return 'allowed';
    const ticket = (await getJson<{ ticket?: ZendeskTicket }>(tenant, `/api/v2/tickets/${ticketId}.json`))?.ticket;
    if (!ticket) return 'forbidden';
    const uid = user.id;
    switch (restriction) {
      case 'assigned':
        return ticket.assignee_id === uid ? 'allowed' : 'forbidden';
      case 'requested':
        return ticket.requester_id === uid ? 'allowed' : 'forbidden';
      case 'organization':
        return ticket.organization_id != null && ticket.organization_id === user.organization_id ? 'allowed' : 'forbidden';
      case 'groups': {
        if (ticket.assignee_id === uid) return 'allowed';
        if (ticket.group_id == null) return 'forbidden';
        const m = await getJson<{ group_memberships?: Array<{ group_id: number }> }>(tenant, `/api/v2/users/${userId}/group_memberships.json`);
        return (m?.group_memberships ?? []).some((g) => g.group_id === ticket.group_id) ? 'allowed' : 'forbidden';
      }
      default:
        return 'forbidden';
    }
  }

  return {
    async mayView(tenant, userId, ticketId) {
      if (!/^[1-9][0-9]{0,15}$/.test(userId)) return 'forbidden';
      const key = `${tenant.id}\u0000${userId}\u0000${ticketId}`;
      const t = now();
      const hit = cache.get(key);
      if (hit && hit.until > t) return hit.decision;
      let decision: AccessDecision;
      try {
        decision = await decide(tenant, userId, ticketId);
      } catch (err) {
        if (err instanceof Unavailable) return 'unavailable';
        throw err;
      }
      if (cache.size >= ACCESS_CACHE_MAX) cache.delete(cache.keys().next().value as string);
      cache.set(key, { decision, until: t + ACCESS_CACHE_MS });
      return decision;
    },
  };
}
