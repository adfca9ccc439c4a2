/**
 * Redacts every free-text value of a HandoffEvent, not only message text: a card number or a password can sit
 * in `handoff.reason`, `bot.intent`, an article's title or URL, the customer's name, the channel or a customer
 * attribute, and each of those reaches the note, the report (the sidebar) or storage.
 *
 * Kept as they are, because they identify rather than describe, and Baton needs them exactly:
 * - `id`, `tenantId`, `source`, `receivedAt`: the dedupe key and bookkeeping;
 * - `conversation.nativeId`: the ticket's `external_id`, used to find a ticket a late retry already created;
 * - `customer.id`, `customer.email`: the requester of a created ticket, and how an erasure request finds the
 *   customer's handoffs;
 * - `target`: the ticket to update.
 * `raw` (the payload as received) is dropped: a redacted event must not carry the original beside it.
 */
import type { HandoffEvent, HandoffMessage } from '../types/handoff-event.ts';
import type { RedactionKind, RedactionSummary } from '../types/handoff-report.ts';
import type { RedactionToggles } from './options.ts';
import { redactText } from './redaction.ts';

export interface RedactedEvent {
  event: HandoffEvent;
  redactions: RedactionSummary;
}

/**
 * Message text keeps its role rule (a bot saying "your password is case-sensitive" is not a secret); every other
 * field is treated like customer text, so "password: …" is redacted wherever it appears.
 */
const FIELD_ROLE: HandoffMessage['role'] = 'customer';

export function redactEvent(event: HandoffEvent, toggles: Required<RedactionToggles>): RedactedEvent {
  const byKind: Partial<Record<RedactionKind, number>> = {};
  let total = 0;
  const count = (k: RedactionKind): void => {
    byKind[k] = (byKind[k] ?? 0) + 1;
    total++;
  };
  const r = (v: string): string => redactText(v, FIELD_ROLE, toggles, count);
  const opt = (v: string | undefined): string | undefined => (v === undefined ? undefined : r(v));

  const messages = (event.messages ?? []).map((m): HandoffMessage => {
    const copy: HandoffMessage = { ...m, text: redactText(m.text ?? '', m.role, toggles, count) };
    if (m.at !== undefined) copy.at = r(m.at);
    if (m.bot) {
      const b = m.bot;
      copy.bot = { ...b };
      if (b.intent !== undefined) copy.bot.intent = r(b.intent);
      if (b.articles) copy.bot.articles = b.articles.map((a) => (a.title !== undefined ? { title: r(a.title), url: r(a.url) } : { url: r(a.url) }));
      if (b.actions) copy.bot.actions = b.actions.map(r);
    }
    return copy;
  });

  const out: HandoffEvent = {
    ...event,
    trigger: dropUndefined({
      ...event.trigger,
      nativeType: r(event.trigger.nativeType),
      reason: opt(event.trigger.reason),
      botName: opt(event.trigger.botName),
      requestedAt: opt(event.trigger.requestedAt),
    }),
    conversation: dropUndefined({
      ...event.conversation,
      channel: opt(event.conversation.channel),
      locale: opt(event.conversation.locale),
      pageUrl: opt(event.conversation.pageUrl),
      startedAt: opt(event.conversation.startedAt),
    }),
    customer: dropUndefined({
      ...event.customer,
      name: opt(event.customer.name),
      tier: opt(event.customer.tier),
      attributes: event.customer.attributes
        ? Object.fromEntries(Object.entries(event.customer.attributes).map(([k, v]) => [r(k), typeof v === 'string' ? r(v) : v]))
        : undefined,
    }),
    messages,
    raw: null,
  };
  return { event: out, redactions: { total, byKind } };
}

/** Optional keys stay absent rather than present-but-undefined, so JSON and equality checks are unchanged. */
function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
