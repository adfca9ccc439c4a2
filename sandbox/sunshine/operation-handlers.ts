/**
 * One handler per Sunshine Conversations operation Baton calls, keyed by the spec's operationId. The kit has
 * checked auth and the JSON body against the official spec; handlers follow the spec's descriptions:
 * - ListMessages: the newest page first, 100 messages a page (fixed), `page[before]` / `page[after]` cursors
 *   (record ids), `meta.hasMore` and `links.prev`. The kit does not read deepObject query parameters, so the
 *   handler checks `page` against the spec's `page` schema itself (400 on a bad cursor, e.g. not 24 characters).
 * - GetConversation: `activeSwitchboardIntegration` is the integration in control.
 * - GetUser: by id or externalId.
 * - PassControl: by the integration's id, name or integrationType (in that order, as the spec says), or `next`;
 *   the pass is recorded with its metadata. Passing to the integration already in control is accepted again
 *   (the spec's idempotency note), and recorded.
 */
import type { KitRequest, KitResponse, OperationHandler } from '../kit/create-spec-router.ts';
import type { OpenApiSpec } from '../kit/openapi-spec.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { PassRecord, SunshineConversation, SwitchboardIntegration } from './types.ts';

export const PAGE_SIZE = 100;

export const sunshineError = (status: number, code: string, title: string): KitResponse => ({ status, body: { errors: [{ code, title }] } });
const ok = (body: unknown): KitResponse => ({ status: 200, body });

export function createOperationHandlers(store: ConversationStore, spec: OpenApiSpec, onPass: (c: SunshineConversation, pass: PassRecord) => void): Record<string, OperationHandler> {
  const { state } = store;
  const conversation = (req: KitRequest): SunshineConversation | undefined => {
    const c = state.conversations.get(req.params.conversationId ?? '');
    return c && (req.params.appId === c.appId) ? c : undefined;
  };
  const notFound = (): KitResponse => sunshineError(404, 'conversation_not_found', 'Conversation not found');
  const conversationJson = (c: SunshineConversation): Record<string, unknown> => ({
    id: c.id,
    type: 'personal',
    isDefault: true,
    createdAt: c.createdAt,
    lastUpdatedAt: c.messages.at(-1)?.received ?? c.createdAt,
    activeSwitchboardIntegration: c.active,
  });

  return {
    ListMessages: (req) => {
      const c = conversation(req);
      if (!c) return notFound();
      const page: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(req.query)) {
        const m = /^page\[(\w+)\]$/.exec(k);
        if (m) page[m[1] as string] = m[1] === 'size' ? Number(v) : v;
      }
      const issues = spec.validateSchema('page', page, 'request');
      if (issues.length) return sunshineError(400, 'bad_request', issues.map((i) => `page.${i.path} ${i.message}`).join('; '));
      if (page.before !== undefined && page.after !== undefined) return sunshineError(400, 'bad_request', 'Only one of page[before] or page[after] can be provided');
      let end = c.messages.length;
      let start = Math.max(0, end - PAGE_SIZE);
      if (typeof page.before === 'string') {
        const i = c.messages.findIndex((m) => m.id === page.before);
        end = i < 0 ? 0 : i;
        start = Math.max(0, end - PAGE_SIZE);
      } else if (typeof page.after === 'string') {
        const i = c.messages.findIndex((m) => m.id === page.after);
        start = i < 0 ? c.messages.length : i + 1;
        end = Math.min(c.messages.length, start + PAGE_SIZE);
      }
      const messages = c.messages.slice(start, end);
      const hasMore = typeof page.after === 'string' ? end < c.messages.length : start > 0;
      const first = messages[0];
      return ok({
        messages,
        meta: { hasMore, ...(first && start > 0 ? { beforeCursor: first.id } : {}) },
        ...(first && start > 0 ? { links: { prev: `${req.apiBase}/v2/apps/${c.appId}/conversations/${c.id}/messages?page[before]=${first.id}` } } : {}),
      });
    },

    GetConversation: (req) => {
      const c = conversation(req);
      return c ? ok({ conversation: conversationJson(c) }) : notFound();
    },

    GetUser: (req) => {
      const key = req.params.userIdOrExternalId ?? req.params.userId ?? '';
      const u = state.users.get(key) ?? [...state.users.values()].find((x) => x.externalId === key);
      if (!u) return sunshineError(404, 'user_not_found', 'User not found');
      return ok({ user: { id: u.id, ...(u.externalId ? { externalId: u.externalId } : {}), signedUpAt: '2025-02-03T19:10:08.152Z', hasPaymentInfo: false, identities: [], profile: u.profile, metadata: {} } });
    },

    PassControl: (req) => {
      const c = conversation(req);
      if (!c) return notFound();
      const body = req.body as { switchboardIntegration: string; metadata?: Record<string, string | number | boolean> };
      const all = [...state.integrations.values()];
      const ref = body.switchboardIntegration;
      const byType = all.filter((i) => i.integrationType === ref);
      if (byType.length > 1 && !all.some((i) => i.id === ref || i.name === ref)) return sunshineError(400, 'bad_request', `switchboardIntegration ${ref} is ambiguous`);
      const to: SwitchboardIntegration | undefined =
        ref === 'next' ? all[(all.findIndex((i) => i.id === c.active.id) + 1) % all.length] : (all.find((i) => i.id === ref) ?? all.find((i) => i.name === ref) ?? byType[0]);
      if (!to) return sunshineError(404, 'switchboard_integration_not_found', 'Switchboard integration not found');
      const metadata = body.metadata ?? {};
      if (Buffer.byteLength(JSON.stringify(metadata), 'utf8') > 4096) return sunshineError(400, 'bad_request', 'metadata exceeds 4KB');
      for (const v of Object.values(metadata)) if (typeof v === 'object') return sunshineError(400, 'bad_request', 'metadata must be flat');
      c.active = to;
      const pass: PassRecord = { at: req.now, to, metadata };
      c.passes.push(pass);
      onPass(c, pass);
      return ok({});
    },
  };
}
