/**
 * Writes one handoff into Zendesk with exactly one HTTP write:
 * - existing ticket: GET it (for `updated_stamp`), then one `PUT /api/v2/tickets/{id}.json` carrying the private
 *   note, tags, custom fields, priority and group, with `safe_update` so a concurrent edit gives 409 instead of
 *   being overwritten (https://developer.zendesk.com/documentation/ticketing/managing-tickets/creating-and-updating-tickets/#protecting-against-ticket-update-collisions);
 * - no ticket: one `POST /api/v2/tickets.json` with the requester inline and an `Idempotency-Key`
 *   (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#idempotency).
 * The body is a pure function of the handoff and the account's field ids, so a retry after a crash sends the
 * same bytes. Before re-trying an update whose first try may have landed (a later try, a try whose lease may
 * have run out while another replica took the job, or after a 409), the ticket's comments are searched for the
 * handoff's marker, after reading the ticket's stamp, so two racing tries cannot both write. Zendesk forgets an
 * Idempotency-Key after two hours, so a create retried later than that
 * (a long outage, a dead letter replayed the next day) first looks for its ticket by `external_id` and the same
 * marker.
 */
import { isAxiosError, type AxiosInstance } from 'axios';
import type { ZendeskConfig, ZendeskCustomFields } from './zendesk-config.ts';
import { ZENDESK } from './zendesk-config.ts';
import type { TicketFieldDirectory } from './field-directory.ts';
import type { HandoffEvent } from '../../types/handoff-event.ts';
import type { HandoffReport } from '../../types/handoff-report.ts';
import { PermanentError, TransientError } from '../../pipeline/retry-policy.ts';
import type { HandoffWriter, WriteInput, WriteResult } from '../helpdesk-module.ts';
import { handoffMarker, renderNoteHtml } from './render-note.ts';
import { neutralizePlaceholders } from '../../briefing/placeholders.ts';
import { handoffTags, reasonTag, sentimentTag } from './tags.ts';
import { HANDOFF_ID_HEADER } from './client.ts';

export type { WriteInput, WriteResult };

const ref = (ticketId: number): WriteResult['ref'] => ({ helpdesk: ZENDESK, id: String(ticketId) });

/** `event.target.id` as a Zendesk ticket id (digits only; anything else is not a ticket of this account). */
export function ticketIdOf(id: string | undefined): number | undefined {
  if (id === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(id)) throw new PermanentError(`"${id}" is not a Zendesk ticket id`);
  return Number(id);
}

const MAX_CONFLICT_RETRIES = 3;
/**
 * Zendesk keeps an Idempotency-Key for two hours
 * (https://developer.zendesk.com/api-reference/ticketing/introduction/#idempotency). Every try of a handoff
 * happens after it was received, so while the handoff is younger than this margin the key still covers the first.
 */
export const IDEMPOTENCY_TRUSTED_MS = 100 * 60 * 1000;
/** How many same-conversation tickets a late create retry inspects, newest first. */
const MAX_CANDIDATES = 5;
const SUBJECT_MAX = 120;

interface CustomField {
  id: number;
  value: string | number;
}

export function customFieldsFor(ids: ZendeskCustomFields, handoffId: string, report: HandoffReport): CustomField[] {
  // Sentiment and reason are tagger (drop-down) fields in requirements.json: their values are option tags.
  const values: Array<[number | undefined, string | number]> = [
    [ids.handoffId, handoffId],
    [ids.sentiment, sentimentTag(report)],
    [ids.escalationReason, reasonTag(report)],
    [ids.topic, report.topic.id],
    [ids.priorityScore, report.priority.score],
  ];
  return values.filter((v): v is [number, string | number] => v[0] !== undefined).map(([id, value]) => ({ id, value }));
}

/** The ticket fields Baton sets; shared by create and update so both carry the same briefing. */
export function ticketFields(z: Pick<ZendeskConfig, 'setPriority' | 'setGroup'> | undefined, ids: ZendeskCustomFields, handoffId: string, report: HandoffReport): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    comment: { html_body: renderNoteHtml(report, handoffId), public: false },
  };
  const custom = customFieldsFor(ids, handoffId, report);
  if (custom.length) fields.custom_fields = custom;
  if (z?.setPriority !== false) fields.priority = report.priority.level;
  if (z?.setGroup !== false && report.routing.groupId !== undefined) fields.group_id = report.routing.groupId;
  return fields;
}

function subjectFor(event: HandoffEvent, report: HandoffReport): string {
  // The redacted transcript, never the raw one: subjects are visible to everyone on the ticket.
  const first = report.transcript.find((m) => m.role === 'customer')?.text ?? report.summary.text;
  const oneLine = first.replace(/\s+/g, ' ').trim();
  const clipped = oneLine.length > SUBJECT_MAX ? `${oneLine.slice(0, SUBJECT_MAX - 1)}…` : oneLine;
  // Customer text: no Zendesk placeholder in it may be evaluated (briefing/placeholders.ts).
  return neutralizePlaceholders(clipped || `Chat handoff ${event.conversation.nativeId}`);
}

export function createTicketBody(
  z: Pick<ZendeskConfig, 'setPriority' | 'setGroup'> | undefined,
  ids: ZendeskCustomFields,
  input: Pick<WriteInput, 'handoffId' | 'event' | 'report'>,
): Record<string, unknown> {
  const { event, report, handoffId } = input;
  const email = event.customer.email;
  if (!email) throw new PermanentError('cannot create a ticket: customer.email is missing');
  return {
    ticket: {
      subject: subjectFor(event, report),
      // The redacted name (report.context), never the raw one; the email is an identifier and stays.
      requester: { email, ...(report.context.customerName ? { name: report.context.customerName } : {}) },
      tags: handoffTags(report),
      external_id: event.conversation.nativeId,
      ...ticketFields(z, ids, handoffId, report),
    },
  };
}

export function updateTicketBody(
  z: Pick<ZendeskConfig, 'setPriority' | 'setGroup'> | undefined,
  ids: ZendeskCustomFields,
  input: Pick<WriteInput, 'handoffId' | 'report'>,
  updatedStamp: string | undefined,
): Record<string, unknown> {
  return {
    ticket: {
      additional_tags: handoffTags(input.report),
      ...ticketFields(z, ids, input.handoffId, input.report),
      ...(updatedStamp ? { updated_stamp: updatedStamp, safe_update: true } : {}),
    },
  };
}

interface TicketResponse {
  ticket: { id: number; updated_at?: string };
}

interface CommentsResponse {
  comments?: Array<{ body?: string; html_body?: string; plain_body?: string }>;
}

/** https://developer.zendesk.com/api-reference/ticketing/introduction/#idempotency: same key, different body. */
function isIdempotencyMismatch(err: unknown): boolean {
  return isAxiosError(err) && err.response?.status === 400 && (err.response.data as { error?: unknown } | undefined)?.error === 'IdempotentRequestError';
}

export class ZendeskWriter implements HandoffWriter {
  readonly helpdesk = ZENDESK;

  constructor(
    private readonly client: AxiosInstance,
    private readonly zendesk: Pick<ZendeskConfig, 'setPriority' | 'setGroup' | 'customFields'>,
    private readonly fields: Pick<TicketFieldDirectory, 'ids'> = { ids: async () => zendesk.customFields },
  ) {}

  async write(input: WriteInput): Promise<WriteResult> {
    const headers = { [HANDOFF_ID_HEADER]: input.handoffId };
    const ticketId = ticketIdOf(input.event.target.id);
    if (ticketId === undefined) {
      // An unparsable receivedAt (NaN age) counts as old: look rather than trust the key.
      const age = input.now - Date.parse(input.event.receivedAt);
      if (input.attempt > 1 && !(age < IDEMPOTENCY_TRUSTED_MS)) {
        const earlier = await this.findCreated(input);
        if (earlier) return earlier;
      }
      const body = createTicketBody(this.zendesk, await this.fields.ids(), input);
      try {
        const res = await this.client.post<TicketResponse>('/api/v2/tickets.json', body, {
          headers: { ...headers, 'Idempotency-Key': input.handoffId },
        });
        return { ref: ref(res.data.ticket.id), outcome: 'created' };
      } catch (err) {
        // The key was used with another body: an earlier try landed, before the field ids (or the analysis
        // models, after an upgrade) changed. That ticket is ours; find it rather than dead-letter the handoff.
        const earlier = isIdempotencyMismatch(err) ? await this.findCreated(input) : undefined;
        if (earlier) return earlier;
        throw err;
      }
    }
    const ids = await this.fields.ids();
    for (let conflict = 0; ; conflict++) {
      // Read, then look, then write with the read's stamp: another try (a replica that took over an expired lease,
      // or the one it took over from) that lands after our read makes our PUT a 409; one that landed before is in
      // the comments we look at. Looking is needed only when this try may not be the only one.
      const current = await this.readTicket(ticketId, headers);
      const mayNotBeAlone = input.attempt > 1 || conflict > 0 || input.leaseMayBeLost?.() === true;
      if (mayNotBeAlone && (await this.alreadyWritten(ticketId, input.handoffId))) return { ref: ref(ticketId), outcome: 'already_written' };
      try {
        await this.client.put(`/api/v2/tickets/${ticketId}.json`, updateTicketBody(this.zendesk, ids, input, current.ticket.updated_at), { headers });
        return { ref: ref(ticketId), outcome: 'updated' };
      } catch (err) {
        // 409: someone updated the ticket between our read and write. Re-read and try again.
        if (isAxiosError(err) && err.response?.status === 409) {
          if (conflict + 1 >= MAX_CONFLICT_RETRIES) throw new TransientError(`ticket ${ticketId} kept changing (409 x${MAX_CONFLICT_RETRIES})`);
          continue;
        }
        throw err;
      }
    }
  }

  private async readTicket(ticketId: number, headers: Record<string, string>): Promise<TicketResponse> {
    try {
      return (await this.client.get<TicketResponse>(`/api/v2/tickets/${ticketId}.json`, { headers })).data;
    } catch (err) {
      if (isAxiosError(err) && err.response?.status === 404) throw new PermanentError(`ticket ${ticketId} not found in Zendesk (404)`);
      throw err;
    }
  }

  /** The ticket an earlier create of this handoff made, if any: same conversation `external_id`, note marker inside. */
  private async findCreated(input: WriteInput): Promise<WriteResult | undefined> {
    const res = await this.client.get<{ tickets?: Array<{ id: number }> }>('/api/v2/tickets.json', {
      params: { external_id: input.event.conversation.nativeId, sort_order: 'desc' },
      headers: { [HANDOFF_ID_HEADER]: input.handoffId },
    });
    const candidates = (res.data.tickets ?? []).map((t) => t.id).sort((a, b) => b - a).slice(0, MAX_CANDIDATES);
    for (const id of candidates) if (await this.alreadyWritten(id, input.handoffId)) return { ref: ref(id), outcome: 'already_written' };
    return undefined;
  }

  /** True when the newest comments already hold this handoff's note (an earlier try landed, then we crashed). */
  private async alreadyWritten(ticketId: number, handoffId: string): Promise<boolean> {
    const marker = handoffMarker(handoffId);
    const res = await this.client.get<CommentsResponse>(`/api/v2/tickets/${ticketId}/comments.json`, {
      params: { sort_order: 'desc' },
      headers: { [HANDOFF_ID_HEADER]: handoffId },
    });
    return (res.data.comments ?? []).some((c) => [c.html_body, c.body, c.plain_body].some((t) => t?.includes(marker)));
  }
}
