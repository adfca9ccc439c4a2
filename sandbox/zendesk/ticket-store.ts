/**
 * The sandbox's tickets, users and comments, and what Create Ticket / Update Ticket do to them. Shapes follow
 * the Tickets API (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/) and the spec's
 * TicketObject, TicketCommentObject and AuditObject; HTTP concerns live in create-zendesk-sandbox.ts.
 */
import { escapeHtml } from '../../server/briefing/escape-html.ts';
import { FIRST_REQUESTER_ID, SANDBOX_AGENT, SEED_TICKETS } from './seed-tickets.ts';
import { htmlToPlainText, sanitizeCommentHtml } from '../kit/sanitize-comment-html.ts';
import type {
  SandboxComment,
  SandboxCustomField,
  SandboxState,
  SandboxTicket,
  SandboxTicketSeed,
  SandboxUser,
  TicketPriority,
  TicketStatus,
} from './types.ts';

type Json = Record<string, unknown>;

const PRIORITIES: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low'];
const STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const TYPES = ['problem', 'incident', 'question', 'task'] as const;

/** Zendesk's record-validation error (422 RecordInvalid), field -> problems. */
export class RecordInvalid extends Error {
  constructor(readonly details: Record<string, { description: string; error: string }[]>) {
    super('Record validation errors');
  }
}

export interface AuditEvent {
  id: number;
  type: 'Comment' | 'Create' | 'Change';
  field_name?: string;
  value?: string | number;
  previous_value?: string | number;
  [k: string]: unknown;
}

export interface Audit {
  id: number;
  ticket_id: number;
  created_at: string;
  author_id: number;
  metadata: { system: Json; custom: Json };
  via: Json;
  events: AuditEvent[];
}

export interface WriteContext {
  now: number;
  userAgent?: string;
}

/** Zendesk timestamps are ISO 8601 in UTC, to the second. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function invalid(field: string, description: string, error = 'InvalidValue'): RecordInvalid {
  return new RecordInvalid({ [field]: [{ description, error }] });
}

/** Tags are single lowercase words; a string or an array element with spaces is several tags. */
export function normalizeTags(input: unknown): string[] {
  const raw = typeof input === 'string' ? [input] : Array.isArray(input) ? input : [];
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string' && typeof item !== 'number') continue;
    for (const t of String(item).toLowerCase().split(/\s+/)) if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

function apiVia(): Json {
  return { channel: 'api', source: { from: {}, to: {}, rel: null } };
}

export interface TicketStore {
  readonly state: SandboxState;
  agent(): SandboxUser;
  reset(): void;
  create(ticket: Json, ctx: WriteContext): { ticket: SandboxTicket; audit: Audit };
  update(id: number, ticket: Json, ctx: WriteContext): { ticket: SandboxTicket; audit: Audit };
  ticketJson(t: SandboxTicket, apiBase: string): Json;
  commentJson(c: SandboxComment): Json;
}

export interface TicketStoreOptions {
  seed: boolean | SandboxTicketSeed[];
  firstTicketId: number;
  agentEmail: string;
}

export function createTicketStore(state: SandboxState, opts: TicketStoreOptions): TicketStore {
  let nextTicketId = opts.firstTicketId;
  let nextUserId = FIRST_REQUESTER_ID;
  let nextCommentId = 9_000_001;
  let nextAuditId = 7_000_001;
  let nextEventId = 8_000_001;
  const agentUser: SandboxUser = { id: SANDBOX_AGENT.id, name: SANDBOX_AGENT.name, email: opts.agentEmail, role: SANDBOX_AGENT.role };

  function userByEmail(email: string): SandboxUser | undefined {
    const lower = email.toLowerCase();
    for (const u of state.users.values()) if (u.email.toLowerCase() === lower) return u;
    return undefined;
  }

  function ensureUser(email: string, name?: string): SandboxUser {
    const existing = userByEmail(email);
    if (existing) return existing;
    const user: SandboxUser = { id: nextUserId++, name: name?.trim() || email.split('@')[0] || email, email, role: 'end-user' };
    state.users.set(user.id, user);
    return user;
  }

  function makeComment(input: { body?: string; html_body?: string; public?: boolean; author_id?: number | null }, authorId: number, auditId: number, createdAt: string): SandboxComment {
    let html: string;
    let plain: string;
    if (typeof input.html_body === 'string' && input.html_body.trim()) {
      // Zendesk keeps the formatting it allows and wraps comment HTML in a zd-comment div.
      html = `<div class="zd-comment" dir="auto">${sanitizeCommentHtml(input.html_body)}</div>`;
      plain = htmlToPlainText(input.html_body);
    } else {
      plain = String(input.body ?? '');
      const paragraphs = plain.split(/\r?\n\r?\n/).map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`);
      html = `<div class="zd-comment" dir="auto">${paragraphs.join('')}</div>`;
    }
    return {
      id: nextCommentId++,
      type: 'Comment',
      author_id: typeof input.author_id === 'number' ? input.author_id : authorId,
      body: plain,
      html_body: html,
      plain_body: plain,
      public: input.public === undefined ? true : input.public === true,
      audit_id: auditId,
      created_at: createdAt,
    };
  }

  function seed(): void {
    state.tickets.clear();
    state.users.clear();
    nextTicketId = opts.firstTicketId;
    nextUserId = FIRST_REQUESTER_ID;
    nextCommentId = 9_000_001;
    nextAuditId = 7_000_001;
    nextEventId = 8_000_001;
    state.users.set(agentUser.id, agentUser);
    const seeds = opts.seed === true ? SEED_TICKETS : opts.seed === false ? [] : opts.seed;
    for (const s of seeds) {
      const requester = ensureUser(s.requester.email, s.requester.name);
      const comment = makeComment({ body: s.comment, public: true }, requester.id, nextAuditId++, s.created_at);
      state.tickets.set(s.id, {
        id: s.id,
        subject: s.subject,
        description: s.comment,
        status: s.status ?? 'open',
        priority: s.priority ?? null,
        type: null,
        requester_id: requester.id,
        submitter_id: requester.id,
        assignee_id: null,
        group_id: s.group_id ?? null,
        external_id: null,
        tags: normalizeTags(s.tags ?? []),
        custom_fields: [],
        created_at: s.created_at,
        updated_at: s.created_at,
        comments: [comment],
      });
      if (s.id >= nextTicketId) nextTicketId = s.id + 1;
    }
  }

  function commentInput(ticket: Json): { body?: string; html_body?: string; public?: boolean; author_id?: number | null } | undefined {
    const c = ticket.comment;
    if (c === undefined || c === null) return undefined;
    // The spec says comment is an object; some old clients send a string. Accept it, flagged by validation.
    if (typeof c === 'string') return { body: c };
    if (typeof c !== 'object' || Array.isArray(c)) throw invalid('comment', 'Comment: is invalid');
    const o = c as Json;
    if (o.public !== undefined && typeof o.public !== 'boolean') throw invalid('comment', 'Comment: public must be true or false');
    const body = typeof o.body === 'string' ? o.body : undefined;
    const html = typeof o.html_body === 'string' ? o.html_body : undefined;
    if (!body?.trim() && !html?.trim()) return undefined;
    return {
      ...(body !== undefined ? { body } : {}),
      ...(html !== undefined ? { html_body: html } : {}),
      ...(typeof o.public === 'boolean' ? { public: o.public } : {}),
      ...(typeof o.author_id === 'number' ? { author_id: o.author_id } : {}),
    };
  }

  function checkEnum<T extends string>(field: string, value: unknown, allowed: readonly T[]): T | null | undefined {
    if (value === undefined) return undefined;
    if (value === null) return null;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    throw invalid(field, `${field[0]?.toUpperCase()}${field.slice(1)}: ${String(value)} is not valid`);
  }

  function checkId(field: string, value: unknown): number | null | undefined {
    if (value === undefined) return undefined;
    if (value === null) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    throw invalid(field, `${field}: ${String(value)} is not a valid id`);
  }

  function customFields(ticket: Json): SandboxCustomField[] | undefined {
    const list = ticket.custom_fields ?? ticket.fields;
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) throw invalid('custom_fields', 'Custom fields: must be a list of {id, value}');
    return list.map((f) => {
      const o = (f ?? {}) as Json;
      if (typeof o.id !== 'number' || !Number.isInteger(o.id)) throw invalid('custom_fields', 'Custom fields: every entry needs a numeric id');
      return { id: o.id, value: (o.value ?? null) as SandboxCustomField['value'] };
    });
  }

  function mergeFields(current: SandboxCustomField[], changes: SandboxCustomField[]): SandboxCustomField[] {
    const out = current.map((f) => ({ ...f }));
    for (const c of changes) {
      const at = out.findIndex((f) => f.id === c.id);
      if (at >= 0) out[at] = c;
      else out.push(c);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  function eventValue(v: unknown): string | number | undefined {
    if (v === null || v === undefined) return undefined;
    if (typeof v === 'number') return v;
    if (Array.isArray(v)) return v.join(' ');
    return String(v);
  }

  function changeEvents(kind: 'Create' | 'Change', before: Partial<SandboxTicket>, after: SandboxTicket): AuditEvent[] {
    const events: AuditEvent[] = [];
    const fields = ['subject', 'status', 'priority', 'type', 'group_id', 'assignee_id', 'requester_id', 'tags'] as const;
    for (const f of fields) {
      const prev = eventValue(before[f]);
      const next = eventValue(after[f]);
      if (prev === next || next === undefined) continue;
      events.push({ id: nextEventId++, type: kind, field_name: f, value: next, ...(kind === 'Change' && prev !== undefined ? { previous_value: prev } : {}) });
    }
    for (const cf of after.custom_fields) {
      const prev = before.custom_fields?.find((f) => f.id === cf.id);
      const next = eventValue(cf.value);
      if (next === undefined || (prev && eventValue(prev.value) === next)) continue;
      const pv = prev ? eventValue(prev.value) : undefined;
      events.push({ id: nextEventId++, type: kind, field_name: String(cf.id), value: next, ...(kind === 'Change' && pv !== undefined ? { previous_value: pv } : {}) });
    }
    return events;
  }

  function commentEvent(c: SandboxComment): AuditEvent {
    return { id: nextEventId++, type: 'Comment', author_id: c.author_id, body: c.body, html_body: c.html_body, plain_body: c.plain_body, public: c.public, attachments: [], audit_id: c.audit_id };
  }

  function audit(id: number, ticketId: number, createdAt: string, events: AuditEvent[], ctx: WriteContext): Audit {
    return {
      id,
      ticket_id: ticketId,
      created_at: createdAt,
      author_id: agentUser.id,
      metadata: { system: { client: ctx.userAgent ?? '', ip_address: '127.0.0.1' }, custom: {} },
      via: apiVia(),
      events,
    };
  }

  function resolveRequester(ticket: Json): number {
    if (typeof ticket.requester_id === 'number') {
      if (!state.users.has(ticket.requester_id)) throw invalid('requester', `Requester: user ${ticket.requester_id} does not exist`);
      return ticket.requester_id;
    }
    const r = ticket.requester;
    if (r === undefined || r === null) return agentUser.id;
    if (typeof r === 'number') {
      if (!state.users.has(r)) throw invalid('requester', `Requester: user ${r} does not exist`);
      return r;
    }
    if (typeof r === 'string') {
      if (!/^[^@\s]+@[^@\s]+$/.test(r)) throw invalid('requester', 'Requester: email is invalid');
      return ensureUser(r).id;
    }
    if (typeof r === 'object' && !Array.isArray(r)) {
      const o = r as Json;
      if (typeof o.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(o.email)) throw invalid('requester', 'Requester: email is invalid');
      return ensureUser(o.email, typeof o.name === 'string' ? o.name : undefined).id;
    }
    throw invalid('requester', 'Requester: is invalid');
  }

  seed();

  return {
    state,
    agent: () => agentUser,
    reset: seed,

    create(ticket, ctx) {
      const createdAt = isoSeconds(ctx.now);
      const comment = commentInput(ticket) ?? (typeof ticket.description === 'string' && ticket.description.trim() ? { body: ticket.description } : undefined);
      if (!comment) throw invalid('description', 'Description: cannot be blank', 'BlankValue');
      const requesterId = resolveRequester(ticket);
      const priority = checkEnum('priority', ticket.priority, PRIORITIES) ?? null;
      const status = checkEnum('status', ticket.status, STATUSES) ?? 'new';
      const type = checkEnum('type', ticket.type, TYPES) ?? null;
      const groupId = checkId('group_id', ticket.group_id) ?? null;
      const assigneeId = checkId('assignee_id', ticket.assignee_id) ?? null;
      const fields = customFields(ticket) ?? [];
      const auditId = nextAuditId++;
      const c = makeComment(comment, agentUser.id, auditId, createdAt);
      const subjectRaw = typeof ticket.subject === 'string' && ticket.subject.trim() ? ticket.subject : c.plain_body.split('\n')[0] ?? '';
      const subject = subjectRaw.length > 150 ? `${subjectRaw.slice(0, 147)}...` : subjectRaw;
      const tags = normalizeTags([...normalizeTags(ticket.tags), ...normalizeTags(ticket.additional_tags)]);
      const t: SandboxTicket = {
        id: nextTicketId++,
        subject,
        description: c.plain_body,
        status,
        priority,
        type,
        requester_id: requesterId,
        submitter_id: agentUser.id,
        assignee_id: assigneeId,
        group_id: groupId,
        external_id: typeof ticket.external_id === 'string' ? ticket.external_id : null,
        tags,
        custom_fields: mergeFields([], fields),
        created_at: createdAt,
        updated_at: createdAt,
        comments: [c],
      };
      state.tickets.set(t.id, t);
      const events = [...changeEvents('Create', {}, t), commentEvent(c)];
      return { ticket: t, audit: audit(auditId, t.id, createdAt, events, ctx) };
    },

    update(id, ticket, ctx) {
      const current = state.tickets.get(id);
      if (!current) throw new Error(`ticket ${id} does not exist`);
      if (current.status === 'closed') throw invalid('status', 'Status: closed prevents ticket update');
      const comment = commentInput(ticket);
      const priority = checkEnum('priority', ticket.priority, PRIORITIES);
      const status = checkEnum('status', ticket.status, STATUSES);
      const type = checkEnum('type', ticket.type, TYPES);
      const groupId = checkId('group_id', ticket.group_id);
      const assigneeId = checkId('assignee_id', ticket.assignee_id);
      const fields = customFields(ticket);
      const before: SandboxTicket = { ...current, tags: [...current.tags], custom_fields: current.custom_fields.map((f) => ({ ...f })) };

      // updated_at moves forward by at least a second per update, so a stale updated_stamp is always detectable.
      const updatedMs = Math.max(ctx.now, Date.parse(current.updated_at) + 1000);
      const updatedAt = isoSeconds(updatedMs);
      let tags = ticket.tags !== undefined ? normalizeTags(ticket.tags) : [...current.tags];
      for (const t of normalizeTags(ticket.additional_tags)) if (!tags.includes(t)) tags.push(t);
      const remove = normalizeTags(ticket.remove_tags);
      tags = tags.filter((t) => !remove.includes(t));

      const next: SandboxTicket = {
        ...current,
        ...(typeof ticket.subject === 'string' && ticket.subject.trim() ? { subject: ticket.subject } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(status ? { status } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(groupId !== undefined ? { group_id: groupId } : {}),
        ...(assigneeId !== undefined ? { assignee_id: assigneeId } : {}),
        ...(typeof ticket.external_id === 'string' ? { external_id: ticket.external_id } : {}),
        tags,
        custom_fields: fields ? mergeFields(current.custom_fields, fields) : current.custom_fields,
        updated_at: updatedAt,
        comments: [...current.comments],
      };
      const auditId = nextAuditId++;
      const events = changeEvents('Change', before, next);
      if (comment) {
        const c = makeComment(comment, agentUser.id, auditId, updatedAt);
        next.comments.push(c);
        events.unshift(commentEvent(c));
      }
      state.tickets.set(id, next);
      return { ticket: next, audit: audit(auditId, id, updatedAt, events, ctx) };
    },

    ticketJson(t, apiBase) {
      const fields = t.custom_fields.map((f) => ({ ...f }));
      return {
        url: `${apiBase}/api/v2/tickets/${t.id}.json`,
        id: t.id,
        external_id: t.external_id,
        via: apiVia(),
        created_at: t.created_at,
        updated_at: t.updated_at,
        generated_timestamp: Math.floor(Date.parse(t.updated_at) / 1000),
        type: t.type,
        subject: t.subject,
        raw_subject: t.subject,
        description: t.description,
        priority: t.priority,
        status: t.status,
        requester_id: t.requester_id,
        submitter_id: t.submitter_id,
        assignee_id: t.assignee_id,
        organization_id: null,
        group_id: t.group_id,
        collaborator_ids: [],
        follower_ids: [],
        email_cc_ids: [],
        problem_id: null,
        has_incidents: false,
        is_public: t.comments.some((c) => c.public),
        due_at: null,
        tags: [...t.tags],
        custom_fields: fields,
        fields: fields.map((f) => ({ ...f })),
        sharing_agreement_ids: [],
        followup_ids: [],
        ticket_form_id: null,
        brand_id: null,
        allow_channelback: false,
        allow_attachments: true,
        from_messaging_channel: false,
      };
    },

    commentJson(c) {
      return {
        id: c.id,
        type: c.type,
        author_id: c.author_id,
        body: c.body,
        html_body: c.html_body,
        plain_body: c.plain_body,
        public: c.public,
        attachments: [],
        audit_id: c.audit_id,
        via: apiVia(),
        created_at: c.created_at,
        metadata: { system: {}, custom: {} },
      };
    },
  };
}
