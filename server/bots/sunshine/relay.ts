/**
 * Relay mode: Baton is a switchboard integration between the bot and the agent workspace. When the bot passes
 * control to Baton, the worker analyses the conversation, then this step passes control on to
 * `zd:agentWorkspace` with metadata that fills the ticket Zendesk creates (metadata.ts). The briefing note then
 * follows as in note mode, on that ticket.
 *
 * Exactly once across crashes and retries: before passing, Baton asks Sunshine which integration is in control
 * (`GET …/conversations/{id}`). Only while Baton's own integration is, does it pass; after a pass (or when someone
 * else took control meanwhile) a retried job goes straight to waiting for the ticket.
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../../config.ts';
import type { HandoffEvent } from '../../types/handoff-event.ts';
import type { HandoffReport } from '../../types/handoff-report.ts';
import type { ContextFor } from '../bot-adapter.ts';
import { zendeskConfigOf } from '../../helpdesks/zendesk/zendesk-config.ts';
import { activeIntegration, passControl, sunshineCallFor } from './client.ts';
import { rawOf } from './handoff-event.ts';
import { passControlMetadata } from './metadata.ts';
import { AGENT_WORKSPACE } from './settings.ts';

export type RelayOutcome = 'passed' | 'already_passed' | 'not_relay';

export async function relayToAgentWorkspace(
  event: HandoffEvent,
  report: HandoffReport,
  tenant: TenantConfig,
  handoffId: string,
  contextFor: ContextFor,
  logger?: Logger,
): Promise<RelayOutcome> {
  const raw = rawOf(event);
  if (event.source !== 'sunshine' || !raw || raw.mode !== 'relay') return 'not_relay';
  const call = sunshineCallFor(event, tenant, contextFor, handoffId);
  const active = await activeIntegration(call, call.conversationId);
  const ours = active !== undefined && (active.name === call.settings.switchboardIntegration || active.id === call.settings.switchboardIntegration);
  if (!ours) {
    logger?.info({ handoffId, active: active?.name ?? active?.integrationType ?? null }, 'sunshine relay: Baton is not in control (already passed): not passing again');
    return 'already_passed';
  }
  const firstMessageId = typeof (raw as { firstMessageId?: unknown }).firstMessageId === 'string' ? (raw as { firstMessageId?: string }).firstMessageId : undefined;
  const metadata = passControlMetadata({ handoffId, event, report, fields: zendeskConfigOf(tenant)?.customFields ?? {}, ...(firstMessageId ? { firstMessageId } : {}) });
  await passControl(call, call.conversationId, AGENT_WORKSPACE, metadata);
  logger?.info({ handoffId, keys: Object.keys(metadata).length }, 'sunshine relay: control passed to the agent workspace');
  return 'passed';
}
