/**
 * Sandbox mode for Sunshine Conversations: the demo tenant's `bots.sunshine` section (relay mode, pointing at
 * `/sandbox/sunshine` on this process) and the sandbox itself, with Zendesk messaging played by the messaging
 * bridge (sandbox/sunshine/messaging-bridge.ts): when control reaches the agent workspace, a ticket is created in
 * the Zendesk sandbox and Baton's ticket-created webhook is sent, as the trigger in requirements.json would.
 * `sandbox/` is loaded with `await import()`, only here, only in sandbox mode.
 */
import type { Router } from 'express';
import type { BotSandboxDeps } from '../bot-adapter.ts';
import { zendeskConfigOf } from '../../helpdesks/zendesk/zendesk-config.ts';
import { sunshineSettingsOf } from './settings.ts';

export const SANDBOX_SUNSHINE_APP_ID = '5e4af71a81966cfff3ef6550';
export const SANDBOX_SUNSHINE_KEY = { keyId: 'app_5e4af71a81966cfff3ef6551', secret: 'sc_sandbox_key_secret' } as const;
export const SANDBOX_SUNSHINE_WEBHOOK_SECRET = 'sc_webhook_secret_demo_local_only';

export function sunshineSandboxSection(ownBaseUrl: string): Record<string, unknown> {
  return {
    appId: SANDBOX_SUNSHINE_APP_ID,
    keyId: SANDBOX_SUNSHINE_KEY.keyId,
    keySecret: SANDBOX_SUNSHINE_KEY.secret,
    webhookSecret: SANDBOX_SUNSHINE_WEBHOOK_SECRET,
    baseUrl: `${ownBaseUrl}/sandbox/sunshine`,
    mode: 'relay',
  };
}

export async function sunshineSandboxMode(deps: BotSandboxDeps): Promise<{ sandbox: Router }> {
  const { createSunshineSandbox, createMessagingBridge } = await import('../../../sandbox/sunshine/index.ts');
  const tenant = [...deps.tenants.values()].find((t) => sunshineSettingsOf(t)?.appId === SANDBOX_SUNSHINE_APP_ID && zendeskConfigOf(t)?.webhookSigningSecret);
  const sandbox = createSunshineSandbox({
    appId: SANDBOX_SUNSHINE_APP_ID,
    keys: [SANDBOX_SUNSHINE_KEY],
    onAgentWorkspace: (conversation, pass) => {
      const own = deps.ownBaseUrl();
      const zendesk = tenant && zendeskConfigOf(tenant);
      if (!own || !tenant || !zendesk?.webhookSigningSecret || !zendesk.email || !zendesk.apiToken) return;
      createMessagingBridge({
        zendeskBaseUrl: zendesk.baseUrl,
        zendeskAuth: { email: zendesk.email, apiToken: zendesk.apiToken },
        batonUrl: own,
        tenantId: tenant.id,
        signingSecret: zendesk.webhookSigningSecret,
        state: sandbox.state,
        ...(zendesk.customFields.handoffId ? { handoffIdField: zendesk.customFields.handoffId } : {}),
        onError: (err) => deps.logger.warn({ err }, 'sunshine sandbox: the messaging ticket could not be created'),
      }).onAgentWorkspace(conversation, pass);
    },
  });
  return { sandbox: sandbox.router };
}
