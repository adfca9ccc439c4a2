/**
 * Rasa as a bot adapter: `POST /v1/tenants/:tenantId/bots/rasa`, called by a custom handoff action with the
 * tracker (docs/bots/rasa.md). Answers like the generic webhook: 202 queued / 200 duplicate.
 */
import type { BotAdapter } from '../bot-adapter.ts';
import { deliveryProblem } from '../caller-fields.ts';
import { TOKEN_UNAUTHORIZED } from '../token-auth.ts';
import { DEMO_RASA_TOKEN, parseRasaConfig, RASA_KEY, rasaConfigSchema, type RasaSettings } from './config.ts';
import { verifyRasa } from './verify.ts';
import { parseRasaTracker } from './parse.ts';
import { normalizeRasaTracker } from './normalize.ts';

export const RASA_PATH = '/v1/tenants/:tenantId/bots/rasa';
const INVALID = 'Body is not a Rasa tracker Baton can read';

const rasaAdapter: BotAdapter<RasaSettings> = {
  name: 'rasa',
  path: RASA_PATH,
  source: 'rasa',
  configKey: RASA_KEY,
  configSchema: rasaConfigSchema,
  parseConfig: parseRasaConfig,
  sandboxSection: () => ({ token: DEMO_RASA_TOKEN }),
  settingsOf: (tenant) => tenant.bots?.[RASA_KEY] as RasaSettings | undefined,
  verify: verifyRasa,
  unauthorizedMessage: TOKEN_UNAUTHORIZED,
  parse: (body, { tenant, receivedAt }) => {
    const parsed = parseRasaTracker(body);
    if (parsed.kind === 'invalid') return { kind: 'invalid', message: INVALID, errors: parsed.errors };
    const n = normalizeRasaTracker(parsed.tracker, { tenantId: tenant.id, receivedAt, defaultHelpdesk: tenant.defaultHelpdesk });
    if ('errors' in n) return { kind: 'invalid', message: INVALID, errors: n.errors };
    if (!n.event.messages.length) return { kind: 'invalid', message: INVALID, errors: [{ field: 'events', problem: 'hold no user or bot message: nothing to brief' }] };
    const problem = deliveryProblem(n.event, 'baton');
    if (problem) return { kind: 'invalid', message: 'Baton cannot tell where to put the briefing', errors: [problem] };
    return { kind: 'handoffs', events: [n.event] };
  },
};

export default rasaAdapter;
