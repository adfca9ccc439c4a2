/**
 * Sunshine Conversations messages and users → Baton's messages and customer. Pure.
 * Who wrote a message (the spec's `author` schema): `type: "user"` is the customer; `type: "business"` is the
 * business side, told apart by `subtypes` ("agent" a human agent, "bot" / "AI" a bot, "activity" a system
 * activity; listed in responses only). A business message without subtypes was sent through the API by an
 * integration, i.e. the bot in control before the handoff.
 */
import type { BotArticle, HandoffCustomer, HandoffMessage, MessageRole } from '../../types/handoff-event.ts';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function roleOf(author: unknown): MessageRole {
  if (!isObj(author)) return 'system';
  if (author.type === 'user') return 'customer';
  const subtypes = Array.isArray(author.subtypes) ? author.subtypes : [];
  if (subtypes.includes('agent')) return 'agent';
  if (subtypes.includes('activity')) return 'system';
  return 'bot';
}

const isHttpUrl = (u: string | undefined): u is string => u !== undefined && /^https?:\/\//i.test(u);

/** Link actions and carousel / list items the bot offered: the briefing lists them as articles. */
function offeredLinks(content: Obj): BotArticle[] {
  const out: BotArticle[] = [];
  const fromActions = (actions: unknown, title?: string): void => {
    if (!Array.isArray(actions)) return;
    for (const a of actions) {
      if (!isObj(a) || (a.type !== 'link' && a.type !== 'webview')) continue;
      const url = str(a.uri);
      if (!isHttpUrl(url)) continue;
      const t = str(title) ?? str(a.text);
      out.push(t ? { title: t, url } : { url });
    }
  };
  fromActions(content.actions);
  if (Array.isArray(content.items)) for (const item of content.items) if (isObj(item)) fromActions(item.actions, str(item.title));
  return out;
}

/** What a message says, as text: the text, else a short description of rich content. */
function textOf(content: Obj): string {
  const text = str(content.text);
  const type = str(content.type) ?? 'unknown';
  if (text) return text;
  switch (type) {
    case 'image':
    case 'file':
      return `[${type}${str(content.altText) ? `: ${str(content.altText)}` : ''}]`;
    case 'carousel':
    case 'list': {
      const titles = Array.isArray(content.items) ? content.items.flatMap((i) => (isObj(i) && str(i.title) ? [str(i.title) as string] : [])) : [];
      return titles.length ? `[${type}: ${titles.join('; ')}]` : `[${type}]`;
    }
    case 'location':
      return '[location]';
    case 'form':
    case 'formResponse': {
      const fields = Array.isArray(content.fields) ? content.fields.flatMap((f) => (isObj(f) && (str(f.text) ?? str(f.email)) ? [`${str(f.label) ?? str(f.name) ?? 'field'}: ${str(f.text) ?? str(f.email)}`] : [])) : [];
      return fields.length ? fields.join('; ') : `[${type}]`;
    }
    default:
      return `[${type}]`;
  }
}

export interface SunshineMessageCut {
  /** Messages received after this ISO time are left out (they came after the handoff). */
  until?: string;
}

/** Messages in the order given (Sunshine pages are oldest first), up to the handoff. */
export function sunshineMessages(messages: readonly unknown[], cut: SunshineMessageCut = {}): HandoffMessage[] {
  const until = cut.until ? Date.parse(cut.until) : Number.NaN;
  const out: HandoffMessage[] = [];
  for (const m of messages) {
    if (!isObj(m) || !isObj(m.content)) continue;
    const at = str(m.received);
    if (Number.isFinite(until) && at && Date.parse(at) > until) continue;
    const role = roleOf(m.author);
    const msg: HandoffMessage = { role, text: textOf(m.content) };
    if (at) msg.at = at;
    if (role === 'bot') {
      const articles = offeredLinks(m.content);
      if (articles.length) msg.bot = { articles };
    }
    out.push(msg);
  }
  return out;
}

/** The customer's Sunshine user id: the first user-authored message's. */
export function customerUserId(messages: readonly unknown[]): string | undefined {
  for (const m of messages) {
    if (!isObj(m) || !isObj(m.author) || m.author.type !== 'user') continue;
    const id = str(m.author.userId) ?? (isObj(m.author.user) ? str(m.author.user.id) : undefined);
    if (id) return id;
  }
  return undefined;
}

/** The customer from `GET /v2/apps/{appId}/users/{userId}` (`user.profile`), over what is already known. */
export function sunshineCustomer(user: unknown, known: HandoffCustomer, displayName?: string): HandoffCustomer {
  const c: HandoffCustomer = { ...known };
  const u = isObj(user) && isObj(user.user) ? user.user : isObj(user) ? user : undefined;
  if (displayName && !c.name) c.name = displayName;
  if (!u) return c;
  const id = str(u.externalId) ?? str(u.id);
  if (id) c.id = id;
  const profile = isObj(u.profile) ? u.profile : {};
  const name = [str(profile.givenName), str(profile.surname)].filter(Boolean).join(' ');
  if (name) c.name = name;
  const email = str(profile.email);
  if (email) c.email = email;
  const attributes: Record<string, string | number | boolean | null> = { ...(c.attributes ?? {}) };
  if (str(u.id)) attributes.sunshineUserId = str(u.id) as string;
  if (str(u.zendeskId)) attributes.zendeskUserId = str(u.zendeskId) as string;
  if (Object.keys(attributes).length) c.attributes = attributes;
  return c;
}

/** The display name the customer's first message carries (webhook `author.displayName`). */
export function customerDisplayName(messages: readonly unknown[]): string | undefined {
  for (const m of messages) if (isObj(m) && isObj(m.author) && m.author.type === 'user' && str(m.author.displayName)) return str(m.author.displayName);
  return undefined;
}
