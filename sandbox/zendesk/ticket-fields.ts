/**
 * The sandbox account's ticket fields: a few system fields plus the custom fields Baton's `requirements.json`
 * creates when the app is installed (https://developer.zendesk.com/documentation/apps/app-developer-guide/apps_requirements/),
 * so the writer's field discovery meets what a real account with Baton installed returns from
 * `GET /api/v2/ticket_fields` (https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/#list-ticket-fields).
 */
import { readFileSync } from 'node:fs';

export interface SandboxTicketField {
  id: number;
  type: string;
  title: string;
  active: boolean;
  custom_field_options?: Array<{ id: number; name: string; value: string }>;
  creator_app_name?: string;
}

interface RequirementField {
  type: string;
  title: string;
  active?: boolean;
  custom_field_options?: Array<{ name: string; value: string }>;
}

const SYSTEM_FIELDS: readonly SandboxTicketField[] = [
  { id: 360000000001, type: 'subject', title: 'Subject', active: true },
  { id: 360000000002, type: 'description', title: 'Description', active: true },
  { id: 360000000003, type: 'status', title: 'Status', active: true },
  { id: 360000000004, type: 'priority', title: 'Priority', active: true },
  { id: 360000000005, type: 'group', title: 'Group', active: true },
];

/** First id given to an installed custom field (Zendesk ids are large and opaque; nothing may assume them). */
const FIRST_INSTALLED_FIELD_ID = 360010000001;

/** The ticket fields of an account where Baton's app is installed: system fields, then requirements.json's. */
export function installedTicketFields(requirementsFile = new URL('../../requirements.json', import.meta.url)): SandboxTicketField[] {
  const requirements = JSON.parse(readFileSync(requirementsFile, 'utf8')) as { ticket_fields?: Record<string, RequirementField> };
  let optionId = 360020000001;
  const custom = Object.values(requirements.ticket_fields ?? {}).map(
    (f, i): SandboxTicketField => ({
      id: FIRST_INSTALLED_FIELD_ID + i,
      type: f.type,
      title: f.title,
      active: f.active ?? true,
      creator_app_name: 'Baton',
      ...(f.custom_field_options ? { custom_field_options: f.custom_field_options.map((o) => ({ id: optionId++, ...o })) } : {}),
    }),
  );
  return [...SYSTEM_FIELDS, ...custom];
}

export function systemTicketFields(): SandboxTicketField[] {
  return [...SYSTEM_FIELDS];
}
