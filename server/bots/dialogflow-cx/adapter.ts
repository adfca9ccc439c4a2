/**
 * Dialogflow CX as a bot adapter: `POST /v1/tenants/:tenantId/bots/dialogflow-cx`, called by a CX webhook on the
 * fulfillment (route, event handler or page) tagged `handoff`. The answer is a WebhookResponse
 * (cloud.google.com/dialogflow/cx/docs/reference/rest/v3/WebhookResponse): a transition message appended to the
 * turn's responses, and `baton_handoff_id` set as a session parameter. The same answer on a retry (duplicate).
 */
import type { BotAdapter } from '../bot-adapter.ts';
import { deliveryProblem } from '../caller-fields.ts';
import { TOKEN_UNAUTHORIZED } from '../token-auth.ts';
import { DEMO_DIALOGFLOW_CX_TOKEN, DIALOGFLOW_CX_KEY, dialogflowCxConfigSchema, parseDialogflowCxConfig, type DialogflowCxSettings } from './config.ts';
import { verifyDialogflowCx } from './verify.ts';
import { parseCxRequest } from './parse.ts';
import { normalizeCxHandoff } from './normalize.ts';
import { transitionMessage } from './transition-message.ts';

export const DIALOGFLOW_CX_PATH = '/v1/tenants/:tenantId/bots/dialogflow-cx';

const dialogflowCxAdapter: BotAdapter<DialogflowCxSettings> = {
  name: 'dialogflow-cx',
  path: DIALOGFLOW_CX_PATH,
  source: 'dialogflow',
  configKey: DIALOGFLOW_CX_KEY,
  configSchema: dialogflowCxConfigSchema,
  parseConfig: parseDialogflowCxConfig,
  sandboxSection: () => ({ token: DEMO_DIALOGFLOW_CX_TOKEN }),
  settingsOf: (tenant) => tenant.bots?.[DIALOGFLOW_CX_KEY] as DialogflowCxSettings | undefined,
  verify: verifyDialogflowCx,
  unauthorizedMessage: TOKEN_UNAUTHORIZED,
  parse: (body, { tenant, settings, receivedAt }) => {
    const parsed = parseCxRequest(body, settings.handoffTags);
    if (parsed.kind === 'invalid') return { kind: 'invalid', message: 'Body is not a Dialogflow CX webhook request Baton can read', errors: parsed.errors };
    if (parsed.kind === 'ignored') return parsed;
    const n = normalizeCxHandoff(parsed.request, { tenantId: tenant.id, receivedAt, transcriptParameter: settings.transcriptParameter, defaultHelpdesk: tenant.defaultHelpdesk });
    if ('errors' in n) return { kind: 'invalid', message: 'Body is not a Dialogflow CX webhook request Baton can read', errors: n.errors };
    if (!n.event.messages.length)
      return { kind: 'invalid', message: 'Body is not a Dialogflow CX webhook request Baton can read', errors: [{ field: 'text', problem: `no query text, response messages or transcript (session parameter "${settings.transcriptParameter}" or payload.messages): nothing to brief` }] };
    const problem = deliveryProblem(n.event, 'payload');
    if (problem) return { kind: 'invalid', message: 'Baton cannot tell where to put the briefing', errors: [problem] };
    return { kind: 'handoffs', events: [n.event] };
  },
  respond: (outcome, { settings }) => {
    // A tag that is not a handoff tag: an empty WebhookResponse changes nothing in the conversation.
    if (outcome.kind === 'ignored') return { status: 200, body: {} };
    const stored = outcome.handoffs[0];
    const raw = stored?.event.raw as { languageCode?: string } | undefined;
    return {
      status: 200,
      body: {
        fulfillmentResponse: { messages: [{ text: { text: [transitionMessage(raw?.languageCode, settings.transitionMessages)] } }], mergeBehavior: 'APPEND' },
        ...(stored ? { sessionInfo: { parameters: { baton_handoff_id: stored.result.handoffId } } } : {}),
      },
    };
  },
};

export default dialogflowCxAdapter;
