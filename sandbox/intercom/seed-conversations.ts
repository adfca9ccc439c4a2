/**
 * The sandbox's built-in conversations: Fin answered, cited a help-center article, the customer was not
 * helped, and Fin handed the conversation to a team (an `assignment` part by the bot). Shapes follow
 * Intercom's `GET /conversations/{id}` examples (2.14–2.16 spec).
 */
import type { ConversationSeed } from './types.ts';

/** The conversation issue 8 uses for the generic webhook's `intercom.conversationId`. */
export const SEED_CONVERSATION_ID = '215468352873095';
export const SUPPORT_TEAM_ID = '5017691';

export const SEED_CONVERSATIONS: readonly ConversationSeed[] = [
  {
    id: SEED_CONVERSATION_ID,
    title: 'Refund for a double charge',
    contact: { id: '6762f0d01bb69f9f2193bb7d', role: 'user', name: 'Maria Lopez', email: 'maria.lopez@example.com', external_id: 'cus_4410', custom_attributes: { plan: 'Pro', monthly_spend: 49 } },
    startedAt: 1_764_400_000,
    parts: [
      { from: 'user', body: '<p>Hi, I was charged twice for my subscription this month (order #A-10443, $49.00 each).</p>' },
      { from: 'bot', body: '<p>Sorry about that! Duplicate charges usually drop off within 3–5 business days. See <a href="https://help.example.com/articles/duplicate-charges">Why do I see two charges?</a></p>' },
      { from: 'user', body: '<p>It has been 9 days already. This is the second time I ask. I want a refund now, please get me a person.</p>' },
      { from: 'bot', body: '<p>I understand. I am passing you to our billing team now.</p>' },
      { assignTo: { type: 'team', id: SUPPORT_TEAM_ID }, by: 'bot' },
    ],
    ai_agent_participated: true,
    ai_agent: { source_type: 'workflow', source_title: 'Fin over Messenger', last_answer_type: 'ai_answer', resolution_state: 'routed_to_team' },
    articles: [{ title: 'Why do I see two charges?', url: 'https://help.example.com/articles/duplicate-charges' }],
  },
  {
    id: '215468352873096',
    title: 'Cannot log in after password reset',
    contact: { id: '6762f0d01bb69f9f2193bb7e', role: 'lead', name: 'Sam Okafor', email: 'sam.okafor@example.org' },
    startedAt: 1_764_403_600,
    parts: [
      { from: 'lead', body: '<p>I reset my password but the login page still says "invalid credentials" (error AUTH-401).</p>' },
      { from: 'bot', body: '<p>Try clearing your browser cookies, then sign in again: <a href="https://help.example.com/articles/login-troubleshooting">Login troubleshooting</a></p>' },
      { from: 'lead', body: '<p>Did that, still the same error.</p>' },
      { from: 'bot', body: '<p>Let me connect you with our support team.</p>' },
      { assignTo: { type: 'team', id: SUPPORT_TEAM_ID }, by: 'bot' },
    ],
    ai_agent_participated: true,
    ai_agent: { source_type: 'workflow', source_title: 'Fin over Messenger', last_answer_type: 'ai_answer', resolution_state: 'routed_to_team' },
    articles: [{ title: 'Login troubleshooting', url: 'https://help.example.com/articles/login-troubleshooting' }],
  },
  {
    id: '215468352873097',
    title: 'Cancel my plan',
    contact: { id: '6762f0d01bb69f9f2193bb7f', role: 'user', name: 'Jonas Berg', email: 'jonas.berg@example.net', custom_attributes: { plan: 'Business' } },
    startedAt: 1_764_407_200,
    parts: [
      { from: 'user', body: '<p>How do I cancel? Your app keeps crashing on export and I am done with it!!!</p>' },
      { from: 'bot', body: '<p>You can cancel under Settings → Billing: <a href="https://help.example.com/articles/cancel-plan">Cancel your plan</a>. Before you go, an update fixing exports shipped today.</p>' },
      { from: 'user', body: '<p>No. Talk to a human.</p>' },
      { assignTo: { type: 'team', id: SUPPORT_TEAM_ID }, by: 'bot' },
    ],
    ai_agent_participated: true,
    // The value Intercom's 2.16 spec lists for a handover (issue 8's `routed_to_team` is not in its enum).
    ai_agent: { source_type: 'workflow', source_title: 'Fin over Messenger', last_answer_type: 'ai_answer', resolution_state: 'escalated' },
    articles: [{ title: 'Cancel your plan', url: 'https://help.example.com/articles/cancel-plan' }],
  },
];
