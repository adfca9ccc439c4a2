/**
 * Bot Framework / Copilot Studio as a bot adapter: `POST /v1/tenants/:tenantId/bots/botframework`, with a
 * `handoff.initiate` event activity (or a Direct Line activity set holding one or several). Answers like the
 * generic webhook: 202 queued / 200 duplicate; an activity that is not `handoff.initiate` (e.g. `handoff.status`)
 * is acknowledged with 200 ignored.
 */
import type { BotAdapter } from '../bot-adapter.ts';
import type { HandoffEvent } from '../../types/handoff-event.ts';
import { deliveryProblem } from '../caller-fields.ts';
import { TOKEN_UNAUTHORIZED } from '../token-auth.ts';
import { DEMO_BOT_FRAMEWORK_TOKEN, BOT_FRAMEWORK_KEY, botFrameworkConfigSchema, parseBotFrameworkConfig, type BotFrameworkSettings } from './config.ts';
import { verifyBotFramework } from './verify.ts';
import { parseBotFrameworkBody } from './parse.ts';
import { normalizeHandoffActivity } from './normalize.ts';

export const BOT_FRAMEWORK_PATH = '/v1/tenants/:tenantId/bots/botframework';
const INVALID = 'Body is not a Bot Framework handoff.initiate activity Baton can read';

const botFrameworkAdapter: BotAdapter<BotFrameworkSettings> = {
  name: 'botframework',
  path: BOT_FRAMEWORK_PATH,
  source: 'botframework',
  configKey: BOT_FRAMEWORK_KEY,
  configSchema: botFrameworkConfigSchema,
  parseConfig: parseBotFrameworkConfig,
  sandboxSection: () => ({ token: DEMO_BOT_FRAMEWORK_TOKEN }),
  settingsOf: (tenant) => tenant.bots?.[BOT_FRAMEWORK_KEY] as BotFrameworkSettings | undefined,
  verify: verifyBotFramework,
  unauthorizedMessage: TOKEN_UNAUTHORIZED,
  parse: (body, { tenant, receivedAt }) => {
    const parsed = parseBotFrameworkBody(body);
    if (parsed.kind !== 'handoffs') return parsed.kind === 'invalid' ? { kind: 'invalid', message: INVALID, errors: parsed.errors } : parsed;
    const events = new Map<string, HandoffEvent>();
    for (const h of parsed.handoffs) {
      const n = normalizeHandoffActivity(h, { tenantId: tenant.id, receivedAt, defaultHelpdesk: tenant.defaultHelpdesk });
      if ('errors' in n) return { kind: 'invalid', message: INVALID, errors: n.errors };
      const at = h.path === '(body)' ? '' : `${h.path}.`;
      if (!n.event.messages.length) return { kind: 'invalid', message: INVALID, errors: [{ field: `${at}attachments`, problem: 'no transcript with a message and no va_Phrases / va_LastPhrases: nothing to brief' }] };
      const problem = deliveryProblem(n.event, `${at}value`);
      if (problem) return { kind: 'invalid', message: 'Baton cannot tell where to put the briefing', errors: [problem] };
      // The same activity twice in one body is one handoff.
      if (!events.has(n.event.id)) events.set(n.event.id, n.event);
    }
    return { kind: 'handoffs', events: [...events.values()] };
  },
};

export default botFrameworkAdapter;
