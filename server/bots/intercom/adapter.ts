/**
 * POST /v1/tenants/:tenantId/bots/intercom — Intercom webhooks (`notification_event`) in, as a bot adapter on
 * the route factory (../route-factory.ts): 415 content type → 413 size → 401 `X-Hub-Signature` (or unknown
 * tenant, or a tenant without Intercom: one body for all) → 400 JSON → 422 not a notification_event → 200
 * ignored (not a handoff) → store → 202 / 200 duplicate. Intercom retries a delivery that is not answered 2xx in
 * time, so anything Baton does not act on is answered 200 rather than an error it would retry.
 */
import type { BotAdapter } from '../bot-adapter.ts';
import { INTERCOM, intercomConfigOf, type IntercomConfig } from '../../helpdesks/intercom/intercom-config.ts';
import { HUB_SIGNATURE_HEADER, verifyHubSignature } from './verify.ts';
import { parseIntercomWebhook } from './parse.ts';
import { webhookHandoffEvent } from './handoff-event.ts';
import { fetchIntercomTranscript } from './client.ts';
import { TranscriptUnavailableError } from '../transcript-unavailable.ts';

export const INTERCOM_WEBHOOK_PATH = '/v1/tenants/:tenantId/bots/intercom';

// Unknown tenants (and tenants without Intercom) are checked against a throwaway secret: same path, same time.
const DECOY_SECRETS = ['decoy-secret-for-unknown-tenants'];

/** Intercom is both a helpdesk and a bot platform: the adapter reads the tenant's `intercom` helpdesk section. */
export const intercomAdapter: BotAdapter<IntercomConfig> = {
  name: 'intercom',
  path: INTERCOM_WEBHOOK_PATH,
  source: 'intercom',
  settingsOf: (tenant) => intercomConfigOf(tenant),
  verify: ({ header, raw, settings }) => verifyHubSignature(header(HUB_SIGNATURE_HEADER), raw, settings ? [settings.clientSecret] : DECOY_SECRETS),
  parse: (body, { tenant, settings, receivedAt }) => {
    const parsed = parseIntercomWebhook(body, { workflowHandoffs: settings.workflowHandoffs });
    if (parsed.kind === 'invalid') return { kind: 'invalid', message: 'Body is not an Intercom notification_event Baton can read', errors: parsed.errors };
    if (parsed.kind === 'ignored') return parsed;
    return { kind: 'handoffs', events: [webhookHandoffEvent(parsed, tenant.id, receivedAt, settings.region)] };
  },
  // Intercom handoffs are fetched with the tenant's Intercom credentials, within the same account budget
  // (`intercom:<tenantId>`) as the notes and tags Baton writes there.
  fetchTranscript: async (event, tenant, contextFor) => {
    const config = intercomConfigOf(tenant);
    if (!config) throw new TranscriptUnavailableError(`tenant ${tenant.id} has no "intercom" section to fetch the conversation with`);
    return fetchIntercomTranscript(event, config, contextFor(INTERCOM, tenant));
  },
};

export default intercomAdapter;
