/**
 * The Zendesk HelpdeskModule: config section `tenants[].zendesk`, targets `ticket.id` in generic events,
 * two requests per write (GET + PUT, or field lookup + POST), account-wide 429s, the ticket writer and the
 * sidebar's routes. The registry (../registry.ts) is the only importer outside this folder.
 */
import type { HelpdeskModule, HelpdeskRef } from '../helpdesk-module.ts';
import { createZendeskClient } from './client.ts';
import { TicketFieldDirectory } from './field-directory.ts';
import { ZendeskWriter } from './writer.ts';
import { readZendeskRateLimit } from './rate-limit.ts';
import { classifyZendeskFailure } from './classify-failure.ts';
import { checkUniqueSubdomains, parseZendeskConfig, ZENDESK, zendeskConfigSchema, zendeskSandboxSection, type ZendeskConfig } from './zendesk-config.ts';
import { zendeskRoutes } from './routes.ts';
import { zendeskSandboxMode } from './sandbox-mode.ts';
import { zendeskOAuth } from './oauth.ts';

/** `ticket.id` as a positive integer, or a string of digits (some bots send ids as strings). */
export function zendeskTargetFromGeneric(body: Record<string, unknown>): HelpdeskRef | undefined {
  const ticket = body.ticket;
  if (typeof ticket !== 'object' || ticket === null) return undefined;
  const id = (ticket as Record<string, unknown>).id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return { helpdesk: ZENDESK, id: String(id) };
  if (typeof id === 'string' && /^[1-9][0-9]{0,15}$/.test(id) && Number.isSafeInteger(Number(id))) return { helpdesk: ZENDESK, id };
  return undefined;
}

export const zendeskModule: HelpdeskModule<ZendeskConfig> = {
  name: ZENDESK,
  configSchema: zendeskConfigSchema,
  parseConfig: parseZendeskConfig,
  targetFromGeneric: zendeskTargetFromGeneric,
  // Zendesk creates a ticket when no id is given (requester inline, Idempotency-Key): no cannotCreate.
  requestsPerWrite: 2,
  ceilingPerMinute: (config) => config.maxRequestsPerMinute,
  readRateLimit: readZendeskRateLimit,
  classifyFailure: classifyZendeskFailure,
  createWriter(config, ctx) {
    const client = createZendeskClient({ zendesk: config, ctx });
    return new ZendeskWriter(client, config, new TicketFieldDirectory(client, config.customFields, config.discoverFields));
  },
  checkTenants: checkUniqueSubdomains,
  sandboxSection: zendeskSandboxSection,
  routes: zendeskRoutes,
  sandboxMode: zendeskSandboxMode,
  oauth: zendeskOAuth,
};

export default zendeskModule;
