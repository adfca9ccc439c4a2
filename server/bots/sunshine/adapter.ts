/**
 * The Sunshine Conversations bot adapter: `POST /v1/tenants/{tenantId}/bots/sunshine`, the switchboard's
 * webhook (shared secret in `X-API-Key`), several events per POST, `switchboard:passControl` as the handoff, the
 * transcript fetched before analysis, and in relay mode the pass on to the agent workspace after it (relay.ts).
 * Sunshine retries a delivery up to 5 times over 15 minutes: each event is stored under `sunshine:<event id>`, so
 * a retry is a duplicate. See docs/bots/sunshine.md.
 */
import type { BotAdapter, ParseOutcome } from '../bot-adapter.ts';
import { verifyApiKey, API_KEY_HEADER } from './verify.ts';
import { parseSunshineWebhook } from './parse.ts';
import { webhookHandoffEvent } from './handoff-event.ts';
import { fetchSunshineTranscript } from './client.ts';
import { parseSunshineConfig, sunshineConfigSchema, sunshineSettingsOf, type SunshineSettings } from './settings.ts';
import { relayToAgentWorkspace } from './relay.ts';
import { sunshineSandboxMode, sunshineSandboxSection } from './sandbox-mode.ts';

export const SUNSHINE_WEBHOOK_PATH = '/v1/tenants/:tenantId/bots/sunshine';

export const sunshineAdapter: BotAdapter<SunshineSettings> = {
  name: 'sunshine',
  path: SUNSHINE_WEBHOOK_PATH,
  source: 'sunshine',
  configKey: 'sunshine',
  configSchema: sunshineConfigSchema,
  parseConfig: parseSunshineConfig,
  settingsOf: sunshineSettingsOf,
  verify: ({ header, settings }) => verifyApiKey(header(API_KEY_HEADER), settings?.webhookSecret),
  unauthorizedMessage: 'Missing or wrong X-API-Key, or unknown tenant',
  parse(body, ctx): ParseOutcome {
    const parsed = parseSunshineWebhook(body, ctx.settings);
    if (parsed.kind === 'invalid') return parsed;
    if (!parsed.handoffs.length) {
      const reasons = [...new Set(parsed.ignored.map((i) => i.reason))];
      return { kind: 'ignored', reason: reasons.join('; ') };
    }
    return { kind: 'handoffs', events: parsed.handoffs.map((h) => webhookHandoffEvent(h, parsed.appId, ctx.settings, ctx.tenant.id, ctx.receivedAt)) };
  },
  fetchTranscript: fetchSunshineTranscript,
  // Relay mode: pass control on to the agent workspace with the report's metadata (a no-op in note mode).
  afterAnalysis: async (event, report, tenant, handoffId, ctx) => void (await relayToAgentWorkspace(event, report, tenant, handoffId, ctx.contextFor, ctx.logger)),
  sandboxSection: sunshineSandboxSection,
  sandboxMode: sunshineSandboxMode,
};

export default sunshineAdapter;
