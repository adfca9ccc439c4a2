/**
 * Fin (Intercom's Fin Agent API, Fin working as the bot in front of Zendesk) as a bot adapter:
 * `POST /v1/tenants/:tenantId/bots/fin`, a `fin_status_updated` event with `status: "escalated"` relayed by the
 * integration that drives Fin, with the history it holds (docs/bots/fin.md). Other statuses and events: 200
 * ignored. Answers like the generic webhook.
 */
import type { BotAdapter } from '../bot-adapter.ts';
import { deliveryProblem } from '../caller-fields.ts';
import { TOKEN_UNAUTHORIZED } from '../token-auth.ts';
import { DEMO_FIN_TOKEN, FIN_KEY, finConfigSchema, parseFinConfig, type FinSettings } from './config.ts';
import { verifyFin } from './verify.ts';
import { parseFinEvent } from './parse.ts';
import { normalizeFinEscalation } from './normalize.ts';

export const FIN_PATH = '/v1/tenants/:tenantId/bots/fin';
const INVALID = 'Body is not a Fin fin_status_updated event Baton can read';

const finAdapter: BotAdapter<FinSettings> = {
  name: 'fin',
  path: FIN_PATH,
  source: 'fin',
  configKey: FIN_KEY,
  configSchema: finConfigSchema,
  parseConfig: parseFinConfig,
  sandboxSection: () => ({ token: DEMO_FIN_TOKEN }),
  settingsOf: (tenant) => tenant.bots?.[FIN_KEY] as FinSettings | undefined,
  verify: verifyFin,
  unauthorizedMessage: TOKEN_UNAUTHORIZED,
  parse: (body, { tenant, receivedAt }) => {
    const parsed = parseFinEvent(body);
    if (parsed.kind === 'invalid') return { kind: 'invalid', message: INVALID, errors: parsed.errors };
    if (parsed.kind === 'ignored') return parsed;
    const n = normalizeFinEscalation(parsed.escalation, { tenantId: tenant.id, receivedAt, defaultHelpdesk: tenant.defaultHelpdesk });
    if ('errors' in n) return { kind: 'invalid', message: INVALID, errors: n.errors };
    if (!n.event.messages.length) return { kind: 'invalid', message: INVALID, errors: [{ field: 'history', problem: 'is empty: relay the conversation (the /fin/start history plus the turns since) so there is something to brief' }] };
    const problem = deliveryProblem(n.event, 'baton');
    if (problem) return { kind: 'invalid', message: 'Baton cannot tell where to put the briefing', errors: [problem] };
    return { kind: 'handoffs', events: [n.event] };
  },
};

export default finAdapter;
