/**
 * The Sunshine sandbox's conversations, users and switchboard. Ids are 24 hex characters like Sunshine's (the
 * spec's `page.before` is exactly 24 characters).
 */
import type { ConversationSeed, SunshineConversation, SunshineMessage, SunshineState, SwitchboardIntegration } from './types.ts';
import { SEED_APP_ID, SEED_CONVERSATIONS } from './seed-conversations.ts';

export const AGENT_WORKSPACE_TYPE = 'zd:agentWorkspace';

export interface ConversationStore {
  state: SunshineState;
  add(seed: ConversationSeed): SunshineConversation;
  newId(): string;
  reset(): void;
}

function integrations(): Map<string, SwitchboardIntegration> {
  const list: SwitchboardIntegration[] = [
    { id: '5eecde2dcdbffb08f5c3ed37', name: 'bot', integrationId: '5f11a650e4e987667c2051d1', integrationType: 'custom' },
    { id: '5eecde2dcdbffb08f5c3ed38', name: 'baton', integrationId: '5f11a650e4e987667c2051d2', integrationType: 'custom' },
    { id: '62261ff6aa72f900ef123e1d', name: 'zd-agentWorkspace', integrationId: '62261ff41b74b670c3f64c2f', integrationType: AGENT_WORKSPACE_TYPE },
  ];
  return new Map(list.map((i) => [i.name, i]));
}

export function createConversationStore(opts: { appId?: string; seed: boolean; now: () => number }): ConversationStore {
  let counter = 0;
  const newId = (): string => (0x5e0000000000 + ++counter).toString(16).padStart(24, '0');
  const state: SunshineState = { appId: opts.appId ?? SEED_APP_ID, conversations: new Map(), users: new Map(), integrations: integrations() };

  const add = (seed: ConversationSeed): SunshineConversation => {
    const userId = seed.user.id ?? newId();
    const u = seed.user;
    state.users.set(userId, {
      id: userId,
      ...(u.externalId ? { externalId: u.externalId } : {}),
      profile: { ...(u.givenName ? { givenName: u.givenName } : {}), ...(u.surname ? { surname: u.surname } : {}), ...(u.email ? { email: u.email } : {}), locale: u.locale ?? 'en-US' },
    });
    const start = opts.now() - (seed.messages.length + 1) * 60_000;
    const displayName = [u.givenName, u.surname].filter(Boolean).join(' ') || undefined;
    const messages: SunshineMessage[] = seed.messages.map((m, i) => ({
      id: newId(),
      received: m.at ?? new Date(start + i * 60_000).toISOString(),
      author:
        m.from === 'user'
          ? { type: 'user', userId, ...(displayName ? { displayName } : {}) }
          : { type: 'business', ...(m.from === 'bot' ? { subtypes: ['bot'] as const } : m.from === 'agent' ? { subtypes: ['agent'] as const } : { subtypes: ['activity'] as const }), displayName: m.from === 'agent' ? 'Agent' : 'Support bot' },
      content: { type: 'text', text: m.text, ...(m.links ? { actions: m.links.map((l) => ({ type: 'link' as const, text: l.text, uri: l.uri })) } : {}) },
      source: { type: m.from === 'user' ? (seed.channel ?? 'web') : 'api:conversations' },
    }));
    const active = state.integrations.get(seed.active ?? 'bot') as SwitchboardIntegration;
    const c: SunshineConversation = { id: seed.id ?? newId(), appId: state.appId, userId, messages, active, passes: [], createdAt: new Date(start).toISOString() };
    state.conversations.set(c.id, c);
    return c;
  };

  const reset = (): void => {
    state.conversations.clear();
    state.users.clear();
    if (opts.seed) for (const s of SEED_CONVERSATIONS) add(s);
  };
  reset();
  return { state, add, newId, reset };
}
