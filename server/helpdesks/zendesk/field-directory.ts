/**
 * Finds the ids of the ticket fields Baton's app creates on install (requirements.json), so an admin does not
 * have to look them up and copy them into the config. Ids set in `zendesk.customFields` always win.
 *
 * Matching: the tagger fields by their option values (`baton_sentiment_*`, `baton_reason_*`, which are ours and
 * survive an admin renaming the field), the handoff-id text field by the title requirements.json gives it.
 * The list is read once per tenant and cached, as Zendesk recommends
 * (https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/#list-ticket-fields).
 */
import { isAxiosError, type AxiosInstance } from 'axios';
import type { ZendeskCustomFields } from './zendesk-config.ts';

export const HANDOFF_ID_FIELD_TITLE = 'Baton handoff ID';
/** A field an admin adds or removes is picked up within this long. */
export const FIELD_CACHE_MS = 10 * 60 * 1000;

export interface TicketFieldSummary {
  id: number;
  type: string;
  title: string;
  active?: boolean;
  custom_field_options?: Array<{ value: string }>;
}

const taggerWith = (f: TicketFieldSummary, prefix: string): boolean =>
  f.type === 'tagger' && !!f.custom_field_options?.length && f.custom_field_options.every((o) => o.value.startsWith(prefix));

/** Pure: which of Baton's fields are in this account's list. The lowest id wins if a field exists twice. */
export function matchBatonFields(fields: readonly TicketFieldSummary[]): ZendeskCustomFields {
  const active = fields.filter((f) => f.active !== false).sort((a, b) => a.id - b.id);
  const found: ZendeskCustomFields = {};
  const sentiment = active.find((f) => taggerWith(f, 'baton_sentiment_'));
  const reason = active.find((f) => taggerWith(f, 'baton_reason_'));
  const handoffId = active.find((f) => f.type === 'text' && f.title === HANDOFF_ID_FIELD_TITLE);
  if (sentiment) found.sentiment = sentiment.id;
  if (reason) found.escalationReason = reason.id;
  if (handoffId) found.handoffId = handoffId.id;
  return found;
}

export class TicketFieldDirectory {
  private cached: { at: number; ids: ZendeskCustomFields } | undefined;
  private pending: Promise<ZendeskCustomFields> | undefined;

  constructor(
    private readonly client: AxiosInstance,
    private readonly configured: ZendeskCustomFields,
    private readonly discover: boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Configured ids over discovered ones. Network errors and 5xx/429 propagate (the write is retried). */
  async ids(): Promise<ZendeskCustomFields> {
    if (!this.discover) return this.configured;
    const now = this.clock();
    if (this.cached && now - this.cached.at < FIELD_CACHE_MS) return { ...this.cached.ids, ...this.configured };
    this.pending ??= this.load(now).finally(() => (this.pending = undefined));
    return { ...(await this.pending), ...this.configured };
  }

  private async load(now: number): Promise<ZendeskCustomFields> {
    let ids: ZendeskCustomFields = {};
    try {
      const res = await this.client.get<{ ticket_fields?: TicketFieldSummary[] }>('/api/v2/ticket_fields.json');
      ids = matchBatonFields(res.data.ticket_fields ?? []);
    } catch (err) {
      // A 4xx (e.g. a token without access) means no discovery, not a failed handoff: write without the fields.
      const status = isAxiosError(err) ? err.response?.status : undefined;
      if (status === undefined || status >= 500 || status === 429) throw err;
    }
    this.cached = { at: now, ids };
    return ids;
  }
}
