/**
 * One handler per Intercom operation Baton calls, keyed by the spec's operationId. The kit has already
 * checked auth, the `Intercom-Version` header and the body against the official spec; handlers apply the
 * behaviour the spec's descriptions give (https://developers.intercom.com/docs/references/rest-api/api.intercom.io/):
 * - replyConversation: an admin `note` becomes a conversation part of `part_type: "note"`, `comment` a
 *   `comment`; the answer is the conversation with its parts.
 * - createTag: create or update by name (names are case-insensitive); with `id`, rename that tag.
 * - attachTagToConversation: `{id, admin_id}`, the tag must exist; answers the tag with `applied_by`.
 * - updateConversation: `custom_attributes` merged, `title`, `read`. The 2.16 spec's request has no
 *   `priority` (nor has any other operation); an extra `priority` field is ignored, as Intercom is assumed to
 *   ignore unknown fields (unverified).
 * - manageConversation: `assignment` (adds an `assignment` part), `close`, `open`, `snooze`.
 */
import type { KitRequest, KitResponse, OperationHandler } from '../kit/create-spec-router.ts';
import type { ConversationStore } from './conversation-store.ts';
import { intercomError } from './intercom-errors.ts';
import type { IntercomConversation } from './types.ts';

type Json = Record<string, unknown>;

const ok = (body: unknown, status = 200): KitResponse => ({ status, body });

export function createOperationHandlers(store: ConversationStore): Record<string, OperationHandler> {
  const { state } = store;

  const conversation = (req: KitRequest): IntercomConversation | undefined => state.conversations.get(req.params.conversation_id ?? '');
  const notFound = (message = 'Resource Not Found'): KitResponse => intercomError(404, 'not_found', message);
  const touch = (c: IntercomConversation, req: KitRequest): void => {
    c.updated_at = Math.max(c.updated_at, Math.floor(req.now / 1000));
  };

  return {
    identifyAdmin: () => {
      const a = state.admins.values().next().value;
      if (!a) return notFound();
      return ok({
        type: 'admin',
        id: a.id,
        email: a.email,
        name: a.name,
        email_verified: true,
        app: { type: 'app', id_code: state.workspaceId, name: 'Baton sandbox workspace', created_at: 1_734_537_243, secure: false, identity_verification: false, timezone: 'Europe/London', region: 'US' },
        avatar: { type: 'avatar', image_url: null },
        has_inbox_seat: true,
      });
    },

    retrieveConversation: (req) => {
      const c = conversation(req);
      return c ? ok(store.conversationJson(c)) : notFound();
    },

    ShowContact: (req) => {
      const c = state.contacts.get(req.params.contact_id ?? '');
      return c ? ok(store.contactJson(c)) : notFound();
    },

    replyConversation: (req) => {
      const c = conversation(req);
      if (!c) return notFound();
      const b = req.body as Json;
      const at = typeof b.created_at === 'number' ? b.created_at : Math.floor(req.now / 1000);
      if (b.type === 'admin') {
        const admin = state.admins.get(String(b.admin_id));
        if (!admin) return intercomError(404, 'admin_not_found', 'Admin not found');
        const kind = String(b.message_type);
        if ((kind === 'note' || kind === 'comment') && (typeof b.body !== 'string' || !b.body.trim()))
          return intercomError(400, 'parameter_invalid', `body is required for a ${kind}`, 'body');
        c.parts.push({
          id: store.nextPartId(),
          part_type: kind === 'note' ? 'note' : kind === 'quick_reply' ? 'quick_reply' : 'comment',
          body: typeof b.body === 'string' ? b.body : null,
          created_at: at,
          author: { type: 'admin', id: admin.id, name: admin.name, email: admin.email, from_ai_agent: false, is_ai_answer: false },
          assigned_to: null,
        });
      } else {
        // A contact's reply (intercom_user_id / user_id / email).
        const contactId = String(b.intercom_user_id ?? b.user_id ?? '');
        const contact = state.contacts.get(contactId) ?? [...state.contacts.values()].find((x) => x.email && x.email === b.email);
        if (!contact) return intercomError(404, 'not_found', 'User Not Found');
        c.parts.push({
          id: store.nextPartId(),
          part_type: 'comment',
          body: typeof b.body === 'string' ? b.body : null,
          created_at: at,
          author: { type: contact.role, id: contact.id, name: contact.name, email: contact.email },
          assigned_to: null,
        });
      }
      touch(c, req);
      return ok(store.conversationJson(c));
    },

    listTags: () => ok({ type: 'list', data: [...state.tags.values()].map((t) => ({ type: 'tag', id: t.id, name: t.name })) }),

    createTag: (req) => {
      const b = req.body as Json;
      if ('companies' in b || 'users' in b || typeof b.name !== 'string')
        return intercomError(400, 'parameter_invalid', 'the sandbox supports only create_or_update_tag_request ({ name, id? })');
      const name = b.name.trim();
      if (!name) return intercomError(400, 'parameter_invalid', 'invalid tag parameters', 'name');
      if (typeof b.id === 'string') {
        const tag = state.tags.get(b.id);
        if (!tag) return notFound('Tag not found');
        tag.name = name;
        return ok({ type: 'tag', id: tag.id, name: tag.name });
      }
      const existing = [...state.tags.values()].find((t) => t.name.toLowerCase() === name.toLowerCase());
      if (existing) return ok({ type: 'tag', id: existing.id, name: existing.name });
      const tag = { id: store.nextTagId(), name };
      state.tags.set(tag.id, tag);
      return ok({ type: 'tag', id: tag.id, name: tag.name });
    },

    attachTagToConversation: (req) => {
      const c = conversation(req);
      if (!c) return notFound('Conversation not found');
      const b = req.body as Json;
      const tag = state.tags.get(String(b.id));
      if (!tag) return notFound('Tag not found');
      if (!state.admins.has(String(b.admin_id))) return intercomError(404, 'admin_not_found', 'Admin not found');
      let applied = c.tags.find((t) => t.id === tag.id);
      if (!applied) {
        applied = { id: tag.id, name: tag.name, applied_at: Math.floor(req.now / 1000), applied_by: { type: 'admin', id: String(b.admin_id) } };
        c.tags.push(applied);
        touch(c, req);
      }
      return ok({ type: 'tag', id: applied.id, name: applied.name, applied_at: applied.applied_at, applied_by: applied.applied_by });
    },

    updateConversation: (req) => {
      const c = conversation(req);
      if (!c) return notFound();
      const b = req.body as Json;
      if (b.custom_attributes && typeof b.custom_attributes === 'object') Object.assign(c.custom_attributes, b.custom_attributes);
      if (typeof b.title === 'string') c.title = b.title;
      if (typeof b.read === 'boolean') c.read = b.read;
      touch(c, req);
      return ok(store.conversationJson(c));
    },

    manageConversation: (req) => {
      const c = conversation(req);
      if (!c) return notFound();
      const b = req.body as Json;
      const admin = state.admins.get(String(b.admin_id));
      if (!admin) return intercomError(404, 'admin_not_found', 'Admin not found');
      const by = { type: 'admin' as const, id: admin.id, name: admin.name, email: admin.email };
      const at = Math.floor(req.now / 1000);
      switch (b.message_type) {
        case 'assignment': {
          const assignee = String(b.assignee_id);
          if (b.type === 'team') c.team_assignee_id = Number(assignee) || null;
          else c.admin_assignee_id = Number(assignee) || null;
          c.parts.push({ id: store.nextPartId(), part_type: 'assignment', body: typeof b.body === 'string' ? b.body : null, created_at: at, author: by, assigned_to: { type: String(b.type), id: assignee } });
          break;
        }
        case 'close':
        case 'open':
        case 'snoozed':
        case 'snooze':
          c.state = b.message_type === 'close' ? 'closed' : b.message_type === 'open' ? 'open' : 'snoozed';
          c.parts.push({ id: store.nextPartId(), part_type: c.state === 'closed' ? 'close' : c.state === 'open' ? 'open' : 'snoozed', body: typeof b.body === 'string' ? b.body : null, created_at: at, author: by, assigned_to: null });
          break;
        default:
          return intercomError(400, 'parameter_invalid', 'unknown message_type');
      }
      touch(c, req);
      return ok(store.conversationJson(c));
    },
  };
}
