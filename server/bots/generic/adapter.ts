/**
 * The generic handoff event v1 (`POST /v1/tenants/:tenantId/handoffs`, schemas/generic-handoff-v1.schema.json) as
 * one bot adapter: `Baton-Signature` with the tenant's webhook secrets, the published schema, the generic
 * normalization. Every tenant may use it (no `bots` section needed).
 */
import type { BotAdapter } from '../bot-adapter.ts';
import { SIGNATURE_HEADER, verifyBatonSignature } from './verify.ts';
import { validateGenericHandoff } from './schema.ts';
import { normalizeGenericHandoff } from './normalize.ts';

export const GENERIC_WEBHOOK_PATH = '/v1/tenants/:tenantId/handoffs';

// Unknown tenants are checked against a throwaway secret so both failures take the same path and time.
const DECOY_SECRETS = ['decoy-secret-for-unknown-tenants'];

const genericAdapter: BotAdapter<Record<string, never>> = {
  name: 'generic',
  path: GENERIC_WEBHOOK_PATH,
  source: 'generic',
  settingsOf: () => ({}),
  verify: ({ header, raw, tenant, nowSec, toleranceSec }) => {
    const check = verifyBatonSignature(header(SIGNATURE_HEADER), raw, tenant?.webhookSecrets ?? DECOY_SECRETS, nowSec, toleranceSec);
    return check.ok ? { ok: true } : { ok: false, reason: check.reason };
  },
  unauthorizedMessage: 'Missing, invalid or expired Baton-Signature, or unknown tenant',
  parse: (body, { tenant, receivedAt }) => {
    const valid = validateGenericHandoff(body);
    if (!valid.ok) return { kind: 'invalid', message: 'Body does not match the generic handoff event v1 schema', errors: valid.errors };
    return { kind: 'handoffs', events: [normalizeGenericHandoff(valid.value, tenant.id, receivedAt, tenant.defaultHelpdesk)] };
  },
};

export default genericAdapter;
