/**
 * The Intercom sandbox's data: conversations with their parts and tags, contacts, tags, admins; and the JSON
 * Intercom answers for each (shapes of the 2.16 spec's `conversation`, `conversation_part`, `contact`,
 * `tag`, `admin_with_app` examples).
 */
import { SEED_CONVERSATIONS } from './seed-conversations.ts';
import type { ConversationSeed, IntercomAdmin, IntercomContact, IntercomConversation, IntercomPart, IntercomSandboxState } from './types.ts';

export const SANDBOX_ADMIN: IntercomAdmin = { id: '814860', name: 'Baton (sandbox)', email: 'baton@sandbox.intercom.local' };
export const SANDBOX_FIN: IntercomAdmin = { id: '278', name: 'Fin', email: 'operator+sandbox@intercom.io' };
const SECOND_ADMIN: IntercomAdmin = { id: '991267715', name: 'Alex Rivera', email: 'alex.rivera@sandbox.intercom.local' };

type Json = Record<string, unknown>;

export interface ConversationStore {
  state: IntercomSandboxState;
  add(seed: ConversationSeed): string;
  nextPartId(): string;
  nextTagId(): string;
  conversationJson(c: IntercomConversation): Json;
  contactJson(c: IntercomContact): Json;
  reset(): void;
}

export function createConversationStore(opts: { seed: boolean | ConversationSeed[]; now: () => number; specPath: string }): ConversationStore {
  const state: IntercomSandboxState = {
    conversations: new Map(),
    contacts: new Map(),
    tags: new Map(),
    admins: new Map(),
    bot: SANDBOX_FIN,
    workspaceId: 'sandbox_workspace',
    versionsSeen: [],
    specPath: opts.specPath,
  };
  let partSeq = 0;
  let tagSeq = 0;
  let conversationSeq = 0;
  let contactSeq = 0;
  const nowSec = (): number => Math.floor(opts.now() / 1000);

  function seedAll(): void {
    for (const a of [SANDBOX_ADMIN, SECOND_ADMIN]) state.admins.set(a.id, a);
    const seeds = opts.seed === true ? SEED_CONVERSATIONS : opts.seed === false ? [] : opts.seed;
    for (const s of seeds) add(s);
  }

  function author(from: 'user' | 'lead' | 'bot' | 'admin', contact: IntercomContact, adminId?: string): IntercomPart['author'] {
    if (from === 'bot') return { type: 'bot', id: SANDBOX_FIN.id, name: SANDBOX_FIN.name, email: SANDBOX_FIN.email, from_ai_agent: true, is_ai_answer: true };
    if (from === 'admin') {
      const a = state.admins.get(adminId ?? SECOND_ADMIN.id) ?? SECOND_ADMIN;
      return { type: 'admin', id: a.id, name: a.name, email: a.email, from_ai_agent: false, is_ai_answer: false };
    }
    return { type: from, id: contact.id, name: contact.name, email: contact.email, from_ai_agent: false, is_ai_answer: false };
  }

  function add(seed: ConversationSeed): string {
    const id = seed.id ?? String(215_468_352_880_000 + ++conversationSeq);
    if (state.conversations.has(id)) throw new Error(`addConversation: conversation ${id} already exists`);
    const cs = seed.contact;
    const contact: IntercomContact = {
      id: cs.id ?? `6762f1261bb69f9f2193c${String(++contactSeq).padStart(3, '0')}`,
      role: cs.role ?? 'user',
      name: cs.name ?? null,
      email: cs.email ?? null,
      external_id: cs.external_id ?? null,
      custom_attributes: { ...(cs.custom_attributes ?? {}) },
      created_at: seed.startedAt ?? nowSec(),
    };
    state.contacts.set(contact.id, contact);
    const [first, ...rest] = seed.parts;
    if (!first || !('from' in first)) throw new Error('addConversation: the first part must be a message (it becomes the source)');
    let t = seed.startedAt ?? nowSec();
    const source = {
      id: String(403_918_000 + ++partSeq),
      part_type: 'conversation',
      body: first.body,
      created_at: t,
      author: author(first.from, contact, first.adminId),
      assigned_to: null,
      subject: '',
      delivered_as: first.from === 'admin' ? 'admin_initiated' : 'customer_initiated',
      url: null,
    };
    const conversation: IntercomConversation = {
      id,
      title: seed.title ?? null,
      created_at: t,
      updated_at: t,
      state: seed.state ?? 'open',
      read: false,
      priority: 'none',
      contactIds: [contact.id],
      admin_assignee_id: null,
      team_assignee_id: null,
      source,
      parts: [],
      tags: [],
      custom_attributes: {},
      ai_agent_participated: seed.ai_agent_participated ?? rest.some((p) => 'from' in p && p.from === 'bot'),
      ai_agent: null,
    };
    for (const p of rest) {
      t += 60;
      if ('from' in p) {
        conversation.parts.push({ id: nextPartId(), part_type: p.part_type ?? 'comment', body: p.body, created_at: t, author: author(p.from, contact, p.adminId), assigned_to: null });
      } else {
        conversation.parts.push({ id: nextPartId(), part_type: 'assignment', body: p.body ?? null, created_at: t, author: author(p.by ?? 'bot', contact), assigned_to: { type: p.assignTo.type, id: p.assignTo.id } });
        if (p.assignTo.type === 'team') conversation.team_assignee_id = Number(p.assignTo.id);
        else conversation.admin_assignee_id = Number(p.assignTo.id);
      }
    }
    conversation.updated_at = t;
    if (seed.ai_agent !== null && (seed.ai_agent || conversation.ai_agent_participated)) {
      const articles = seed.articles ?? [];
      conversation.ai_agent = {
        source_type: 'workflow',
        source_title: null,
        last_answer_type: 'ai_answer',
        resolution_state: null,
        ...(seed.ai_agent ?? {}),
        content_sources: {
          type: 'content_source.list',
          total_count: articles.length,
          content_sources: articles.map((a) => ({ content_type: 'article', url: a.url, title: a.title, locale: 'en' })),
        },
      };
    }
    state.conversations.set(id, conversation);
    return id;
  }

  function nextPartId(): string {
    return String(403_918_000 + ++partSeq);
  }

  function partJson(p: IntercomPart): Json {
    return {
      type: 'conversation_part',
      id: p.id,
      part_type: p.part_type,
      body: p.body,
      created_at: p.created_at,
      updated_at: p.created_at,
      notified_at: p.created_at,
      assigned_to: p.assigned_to,
      author: p.author,
      attachments: [],
      external_id: null,
      redacted: false,
      email_message_metadata: null,
      state: 'open',
      tags: [],
      event_details: null,
      app_package_code: null,
    };
  }

  function conversationJson(c: IntercomConversation): Json {
    return {
      type: 'conversation',
      id: c.id,
      title: c.title,
      created_at: c.created_at,
      updated_at: c.updated_at,
      waiting_since: null,
      snoozed_until: null,
      source: {
        type: 'conversation',
        id: c.source.id,
        delivered_as: c.source.delivered_as,
        subject: c.source.subject,
        body: c.source.body,
        author: c.source.author,
        attachments: [],
        url: c.source.url,
        redacted: false,
      },
      contacts: {
        type: 'contact.list',
        contacts: c.contactIds.map((id) => ({ type: 'contact', id, external_id: state.contacts.get(id)?.external_id ?? null })),
      },
      teammates: { type: 'admin.list', admins: [] },
      first_contact_reply: null,
      admin_assignee_id: c.admin_assignee_id ?? 0,
      team_assignee_id: c.team_assignee_id ?? 0,
      open: c.state === 'open',
      state: c.state,
      read: c.read,
      tags: { type: 'tag.list', tags: c.tags.map((t) => ({ type: 'tag', ...t })) },
      priority: c.priority,
      sla_applied: null,
      statistics: null,
      conversation_rating: null,
      custom_attributes: c.custom_attributes,
      topics: {},
      ticket: null,
      linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
      ai_agent: c.ai_agent,
      ai_agent_participated: c.ai_agent_participated,
      conversation_parts: { type: 'conversation_part.list', conversation_parts: c.parts.map(partJson), total_count: c.parts.length },
    };
  }

  function contactJson(c: IntercomContact): Json {
    const list = (what: string): Json => ({ type: 'list', data: [], url: `/contacts/${c.id}/${what}`, total_count: 0, has_more: false });
    return {
      type: 'contact',
      id: c.id,
      workspace_id: state.workspaceId,
      external_id: c.external_id,
      role: c.role,
      email: c.email,
      phone: null,
      name: c.name,
      avatar: null,
      owner_id: null,
      social_profiles: { type: 'list', data: [] },
      has_hard_bounced: false,
      marked_email_as_spam: false,
      unsubscribed_from_emails: false,
      created_at: c.created_at,
      updated_at: c.created_at,
      signed_up_at: c.role === 'user' ? c.created_at : null,
      last_seen_at: null,
      last_replied_at: null,
      last_contacted_at: null,
      last_email_opened_at: null,
      last_email_clicked_at: null,
      language_override: null,
      browser: null,
      browser_version: null,
      browser_language: null,
      os: null,
      location: { type: 'location', country: null, region: null, city: null, country_code: null, continent_code: null },
      custom_attributes: c.custom_attributes,
      tags: list('tags'),
      notes: list('notes'),
      companies: list('companies'),
    };
  }

  seedAll();
  return {
    state,
    add,
    nextPartId,
    nextTagId: () => String(900 + ++tagSeq),
    conversationJson,
    contactJson,
    reset() {
      state.conversations.clear();
      state.contacts.clear();
      state.tags.clear();
      state.admins.clear();
      state.versionsSeen.length = 0;
      partSeq = 0;
      tagSeq = 0;
      conversationSeq = 0;
      contactSeq = 0;
      seedAll();
    },
  };
}
