/**
 * The Intercom helpdesk module: notes, tags and data attributes on Intercom conversations
 * (server/helpdesks/helpdesk-module.ts is the contract; helpdesks/registry.ts lists this module).
 */
import type { HelpdeskModule, HelpdeskRef, HelpdeskRouteDeps } from '../helpdesk-module.ts';
import type { Router } from 'express';
import { INTERCOM, intercomConfigOf, intercomConfigSchema, intercomSandboxSection, parseIntercomConfig, type IntercomConfig } from './intercom-config.ts';
import { intercomCanvasRouter } from './canvas-routes.ts';
import { intercomOutcomeRouter } from './outcome-webhook.ts';
import { intercomSandboxMode } from './sandbox-mode.ts';
import { intercomOAuth } from './oauth.ts';
import { readIntercomRateLimit } from './rate-limit.ts';
import { classifyIntercomFailure } from './classify-failure.ts';
import { IntercomWriter } from './writer.ts';

/**
 * Why a handoff that names no conversation cannot go to Intercom. The only API that starts a conversation on
 * a customer's side (`POST /conversations`) posts a message *as the contact* (`from: { type: "user", id }`):
 * Baton would put words in the customer's mouth, in their Messenger, and it needs an Intercom contact id the
 * generic event does not carry. An admin-initiated message (`POST /messages`) would message the customer.
 * Neither is a sound place for an internal briefing, so such a handoff is dead-lettered with this reason.
 */
export const CANNOT_CREATE_REASON =
  'Intercom: Baton writes onto an existing conversation only; this handoff names none (set "intercom.conversationId"). ' +
  "Intercom's API can start a conversation only as a message from the customer or to the customer, not as an internal record.";

/** A note and four tag attachments; a retry's GET and the occasional tag listing or create come on top. */
export const REQUESTS_PER_WRITE = 5;

/** The inbox card's endpoints (canvas-routes.ts), on the store's reports and feedback for Intercom conversations, and the outcome webhook. */
function canvasRoutes(deps: HelpdeskRouteDeps): Router[] {
  const { store, tenants } = deps;
  return [
    intercomCanvasRouter({
      tenantSecret: (tenantId) => {
        const tenant = tenants.get(tenantId);
        return tenant ? intercomConfigOf(tenant)?.clientSecret : undefined;
      },
      findReport: async (tenantId, conversationId) => {
        const stored = await store.getReportFor(tenantId, { helpdesk: INTERCOM, id: conversationId });
        return stored ? { handoffId: stored.handoffId, report: stored.report } : undefined;
      },
      recordFeedback: async (f) => {
        await store.addFeedback({ tenantId: f.tenantId, ref: { helpdesk: INTERCOM, id: f.conversationId }, handoffId: f.handoffId, accurate: f.accurate, ...(f.adminId ? { agentId: f.adminId } : {}) });
      },
      // The tenant's briefing language (analysis.briefingLocale) for cards without a report; a report's card
      // follows the report's own briefingLocale, so headings and text agree.
      locale: (tenantId) => tenants.get(tenantId)?.analysis.briefingLocale,
      logger: deps.logger,
      maxBodyBytes: deps.config.maxBodyBytes,
    }),
    // What happened after the handoff (conversation.admin.replied / user.replied / admin.closed / admin.opened).
    intercomOutcomeRouter({ config: deps.config, store, logger: deps.logger, tenants }),
  ];
}

const intercomModule: HelpdeskModule<IntercomConfig> = {
  name: INTERCOM,
  configSchema: intercomConfigSchema as unknown as Record<string, unknown>,
  parseConfig: parseIntercomConfig,
  targetFromGeneric(body: Record<string, unknown>): HelpdeskRef | undefined {
    const section = body.intercom;
    if (typeof section !== 'object' || section === null || Array.isArray(section)) return undefined;
    const id = (section as Record<string, unknown>).conversationId;
    if (typeof id === 'string' && id !== '') return { helpdesk: INTERCOM, id };
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return { helpdesk: INTERCOM, id: String(id) };
    return undefined;
  },
  cannotCreate: CANNOT_CREATE_REASON,
  requestsPerWrite: REQUESTS_PER_WRITE,
  ceilingPerMinute: (config) => config.maxRequestsPerMinute,
  readRateLimit: (headers) => readIntercomRateLimit(headers),
  classifyFailure: classifyIntercomFailure,
  createWriter: (config, ctx) => new IntercomWriter(config, ctx),
  sandboxSection: intercomSandboxSection,
  routes: canvasRoutes,
  sandboxMode: intercomSandboxMode,
  oauth: intercomOAuth,
};

export default intercomModule;
