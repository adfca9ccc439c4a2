/**
 * The sandbox's agents and what Show User / List Group Memberships answer, so the sidebar's access check
 * (server/http/sidebar-access.ts) runs against the same rules as on Zendesk: `role`, `restricted_agent`,
 * `ticket_restriction` ("organization" | "groups" | "assigned" | "requested" | null), `suspended`, group
 * memberships (developer.zendesk.com/api-reference/ticketing/users/users/,
 * …/groups/group_memberships/). Shapes follow the official OpenAPI file's UserResponse and
 * GroupMembershipsResponse (checked in test/integration/sidebar-access.test.ts).
 */
import type { SandboxUser } from './types.ts';

export interface SandboxAgent {
  id: number;
  name: string;
  email: string;
  role: 'agent' | 'admin';
  ticket_restriction: 'organization' | 'groups' | 'assigned' | 'requested' | null;
  suspended: boolean;
  organization_id: number | null;
  group_ids: number[];
}

/** 4242 is the agent the /preview host signs in as (app/preview/zaf-host.js → currentUser.id). */
export const PREVIEW_AGENT_ID = 4242;

export const SEED_AGENTS: readonly SandboxAgent[] = [
  { id: PREVIEW_AGENT_ID, name: 'Alex Agent', email: 'alex@baton.local', role: 'agent', ticket_restriction: null, suspended: false, organization_id: null, group_ids: [360001] },
  { id: 4243, name: 'Riley Assigned-only', email: 'riley@baton.local', role: 'agent', ticket_restriction: 'assigned', suspended: false, organization_id: null, group_ids: [] },
  { id: 4244, name: 'Gale Groups-only', email: 'gale@baton.local', role: 'agent', ticket_restriction: 'groups', suspended: false, organization_id: null, group_ids: [360002] },
  { id: 4245, name: 'Sid Suspended', email: 'sid@baton.local', role: 'agent', ticket_restriction: null, suspended: true, organization_id: null, group_ids: [360001] },
];

const CREATED_AT = '2026-01-05T09:00:00Z';

export function agentById(id: number): SandboxAgent | undefined {
  return SEED_AGENTS.find((a) => a.id === id);
}

/** Show User's `user` object for a seeded agent or a user of the ticket store (requesters, the API user). */
export function userJson(id: number, users: ReadonlyMap<number, SandboxUser>, apiBase: string): Record<string, unknown> | undefined {
  const agent = agentById(id);
  const u = agent ?? users.get(id);
  if (!u) return undefined;
  const restriction = agent ? agent.ticket_restriction : u.role === 'end-user' ? 'requested' : null;
  return {
    id: u.id,
    url: `${apiBase}/api/v2/users/${u.id}.json`,
    name: u.name,
    email: u.email,
    role: u.role,
    active: true,
    suspended: agent?.suspended ?? false,
    // "false for admins and unrestricted agents, true for other agents"
    restricted_agent: u.role === 'agent' && restriction !== null,
    ticket_restriction: restriction,
    organization_id: agent?.organization_id ?? null,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
  };
}

export function groupMembershipsJson(id: number, apiBase: string): Record<string, unknown> | undefined {
  const agent = agentById(id);
  if (!agent) return undefined;
  return {
    group_memberships: agent.group_ids.map((group_id, i) => ({
      id: id * 100 + i,
      url: `${apiBase}/api/v2/group_memberships/${id * 100 + i}.json`,
      user_id: id,
      group_id,
      default: i === 0,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
    })),
    next_page: null,
    previous_page: null,
    count: agent.group_ids.length,
  };
}
