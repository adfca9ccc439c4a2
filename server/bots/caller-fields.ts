/**
 * What a bot's own webhook cannot say but its builder can add: the customer's identity, the ticket (or Intercom
 * conversation) to brief, the reason, and a transcript. Dialogflow CX carries them in the request's `payload`,
 * Rasa in a `baton` key beside the tracker, Bot Framework in the handoff context (`value`). They use the generic
 * event's field names (schemas/generic-handoff-v1.schema.json), so one description fits every platform:
 *
 *   { "customer": { "id", "email", "name", "tier", "attributes" }, "ticket": { "id" },
 *     "intercom": { "conversationId" }, "handoff": { "reason", "botName" },
 *     "conversation": { "channel", "pageUrl", "locale" }, "messages": [ { "role", "text", "at"? } ] }
 *
 * Also shared by the adapters: the event's target and the check that Baton can create what it must create.
 */
import type { HandoffCustomer, HandoffEvent, HandoffMessage } from '../types/handoff-event.ts';
import { helpdeskModule } from '../helpdesks/registry.ts';
import { message, targetOf } from './generic/normalize.ts';
import type { FieldProblem } from './bot-adapter.ts';

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export interface CallerFields {
  customer: HandoffCustomer;
  reason?: string;
  botName?: string;
  channel?: string;
  pageUrl?: string;
  locale?: string;
  /** A transcript the caller supplied, when it did. */
  messages?: HandoffMessage[];
  /** The object the target is read from (ticket / intercom keys). */
  targets: Obj;
}

const EMAIL = /^[^@\s]{1,200}@[^@\s]{1,200}$/;

/** Attribute values a briefing can show: scalars only; objects and lists are left out. */
export function scalarAttributes(o: Obj, skip: ReadonlySet<string> = new Set()): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(o)) {
    if (skip.has(k) || k === '__proto__') continue;
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v;
  }
  return out;
}

/** Customer identity from a generic-shaped `customer` object; a malformed email is a problem, not a guess. */
export function customerFrom(raw: unknown, field: string, errors: FieldProblem[]): HandoffCustomer {
  const c: HandoffCustomer = {};
  if (raw === undefined || raw === null) return c;
  if (!isObj(raw)) {
    errors.push({ field, problem: 'must be an object' });
    return c;
  }
  const id = typeof raw.id === 'number' && Number.isFinite(raw.id) ? String(raw.id) : str(raw.id);
  if (id) c.id = id;
  const email = str(raw.email);
  if (email !== undefined) {
    if (EMAIL.test(email.trim())) c.email = email.trim();
    else errors.push({ field: `${field}.email`, problem: 'must be an email address' });
  }
  for (const k of ['name', 'tier'] as const) {
    const v = str(raw[k]);
    if (v) c[k] = v;
  }
  if (isObj(raw.attributes)) {
    const attrs = scalarAttributes(raw.attributes);
    if (Object.keys(attrs).length) c.attributes = attrs;
  }
  return c;
}

/** A supplied transcript: a list of generic messages, or text lines `customer: …` / `bot: …` (see transcriptLines). */
export function transcriptFrom(raw: unknown, field: string, errors: FieldProblem[]): HandoffMessage[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return transcriptLines(raw);
  if (!Array.isArray(raw)) {
    errors.push({ field, problem: 'must be a list of {role, text} messages or text lines "customer: …"' });
    return undefined;
  }
  const out: HandoffMessage[] = [];
  raw.forEach((m, i) => {
    try {
      out.push(message(m, i));
    } catch (err) {
      errors.push({ field: `${field}[${i}]`, problem: (err as Error).message.replace(/^messages\[\d+\]\.?\s*/, '') });
    }
  });
  return out;
}

const LINE_ROLES: Readonly<Record<string, HandoffMessage['role']>> = { customer: 'customer', user: 'customer', bot: 'bot', assistant: 'bot', agent: 'agent', system: 'system' };

/**
 * `customer: hi\nbot: hello` → two messages (a line without a known `role:` prefix continues the message above;
 * text before any prefix is the customer's). What a bot builder gets by appending to one text parameter.
 */
export function transcriptLines(text: string): HandoffMessage[] {
  const out: HandoffMessage[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    const name = colon > 0 && colon <= 12 ? line.slice(0, colon).trim().toLowerCase() : '';
    const role = Object.hasOwn(LINE_ROLES, name) ? LINE_ROLES[name] : undefined;
    if (role) out.push({ role, text: line.slice(colon + 1).trim() });
    else if (out.length) (out[out.length - 1] as HandoffMessage).text += `\n${line}`;
    else if (line.trim()) out.push({ role: 'customer', text: line.trim() });
  }
  return out.filter((m) => m.text.trim() !== '');
}

/** The generic-shaped fields of `raw` (an object, or absent); problems are added to `errors` under `field`. */
export function callerFields(raw: unknown, field: string, errors: FieldProblem[]): CallerFields {
  if (raw !== undefined && raw !== null && !isObj(raw)) {
    errors.push({ field, problem: 'must be an object' });
    return { customer: {}, targets: {} };
  }
  const o = isObj(raw) ? raw : {};
  const out: CallerFields = { customer: customerFrom(o.customer, `${field}.customer`, errors), targets: o };
  const handoff = isObj(o.handoff) ? o.handoff : {};
  const reason = str(handoff.reason);
  if (reason) out.reason = reason;
  const botName = str(handoff.botName);
  if (botName) out.botName = botName;
  const conv = isObj(o.conversation) ? o.conversation : {};
  for (const k of ['channel', 'pageUrl', 'locale'] as const) {
    const v = str(conv[k]);
    if (v) out[k] = v;
  }
  const messages = transcriptFrom(o.messages, `${field}.messages`, errors);
  if (messages) out.messages = messages;
  const t = o.ticket;
  if (t !== undefined && !(isObj(t) && (typeof t.id === 'number' ? Number.isSafeInteger(t.id) && t.id > 0 : typeof t.id === 'string' && /^[1-9][0-9]{0,18}$/.test(t.id)))) {
    errors.push({ field: `${field}.ticket.id`, problem: 'must be a positive integer ticket id' });
  }
  return out;
}

/** The target: the first helpdesk that finds its own in the caller's fields, else the tenant's default (create). */
export function targetFrom(fields: CallerFields, defaultHelpdesk: string | undefined): HandoffEvent['target'] {
  const t = isObj(fields.targets.ticket) && typeof fields.targets.ticket.id === 'string' ? { ...fields.targets, ticket: { id: Number(fields.targets.ticket.id) } } : fields.targets;
  return targetOf(t, defaultHelpdesk);
}

/**
 * Without an object id Baton creates one, and a record needs a contact: refused now (422, the bot hears it)
 * rather than dead-lettered later. Undefined when the event can be delivered.
 */
export function deliveryProblem(event: HandoffEvent, field: string): FieldProblem | undefined {
  if (event.target.id !== undefined) return undefined;
  const cannot = helpdeskModule(event.target.helpdesk)?.cannotCreate;
  if (cannot) return { field: `${field}`, problem: `names no ${event.target.helpdesk} object to brief, and ${cannot}` };
  if (!event.customer.email) return { field: `${field}.customer.email`, problem: 'is required when no ticket id is given (Baton creates the ticket for this customer)' };
  return undefined;
}
