/**
 * Relay mode's passControl metadata: what the agent workspace reads when it creates the messaging ticket
 * (support.zendesk.com article 4419179022874, "passing ticket data through the switchboard"):
 * `dataCapture.systemField.tags` (tags, comma-separated), `dataCapture.systemField.requester.name` / `.email`,
 * `dataCapture.ticketField.<field id>` (Baton's fields, the handoff id first) and `first_message_id` (where the
 * ticket's transcript starts). Keys for priority and group were not found in Zendesk's documentation: they are
 * left out, and the briefing note's ticket update sets both (helpdesks/zendesk/writer.ts).
 *
 * The metadata must be flat (strings, numbers, booleans) and at most 4 KB (the spec's passControlBody). When it
 * would be larger, the lowest-value keys go first, in the fixed order of DROP_ORDER, so the same report always
 * gives the same metadata. Pure.
 */
import type { HandoffEvent } from '../../types/handoff-event.ts';
import type { HandoffReport } from '../../types/handoff-report.ts';
import type { ZendeskCustomFields } from '../../helpdesks/zendesk/zendesk-config.ts';
import { handoffTags, reasonTag, sentimentTag } from '../../helpdesks/zendesk/tags.ts';

export const METADATA_MAX_BYTES = 4096;
const MAX_VALUE_CHARS = 512;

export type Metadata = Record<string, string | number | boolean>;

/** Kinds of key, lowest value first: dropped in this order until the metadata fits. The handoff id is never dropped. */
export const DROP_ORDER = ['priorityScore', 'topic', 'requesterName', 'firstMessage', 'escalationReason', 'sentiment', 'requesterEmail', 'tags'] as const;
type Kind = (typeof DROP_ORDER)[number] | 'handoffId';

export const bytesOf = (m: Metadata): number => Buffer.byteLength(JSON.stringify(m), 'utf8');

export interface MetadataInput {
  handoffId: string;
  event: HandoffEvent;
  report: HandoffReport;
  /** Ticket field ids from the tenant's Zendesk section. */
  fields: ZendeskCustomFields;
  firstMessageId?: string;
}

/** `maxBytes` is Sunshine's limit; smaller in tests, to show the drop order. */
export function passControlMetadata(input: MetadataInput, maxBytes = METADATA_MAX_BYTES): Metadata {
  const { handoffId, event, report, fields } = input;
  const entries: Array<[Kind, string, string | number]> = [];
  const field = (kind: Kind, id: number | undefined, value: string | number): void => {
    if (id !== undefined) entries.push([kind, `dataCapture.ticketField.${id}`, value]);
  };
  field('handoffId', fields.handoffId, handoffId);
  entries.push(['tags', 'dataCapture.systemField.tags', handoffTags(report).join(',')]);
  if (event.customer.email) entries.push(['requesterEmail', 'dataCapture.systemField.requester.email', event.customer.email]);
  const name = report.context.customerName ?? event.customer.name;
  if (name) entries.push(['requesterName', 'dataCapture.systemField.requester.name', name]);
  field('sentiment', fields.sentiment, sentimentTag(report));
  field('escalationReason', fields.escalationReason, reasonTag(report));
  field('topic', fields.topic, report.topic.id);
  field('priorityScore', fields.priorityScore, report.priority.score);
  if (input.firstMessageId) entries.push(['firstMessage', 'first_message_id', input.firstMessageId]);

  const clip = (v: string | number): string | number => (typeof v === 'string' && v.length > MAX_VALUE_CHARS ? v.slice(0, MAX_VALUE_CHARS) : v);
  let kept = entries;
  const build = (): Metadata => Object.fromEntries(kept.map(([, k, v]) => [k, clip(v)]));
  let metadata = build();
  for (const kind of DROP_ORDER) {
    if (bytesOf(metadata) <= maxBytes) break;
    kept = kept.filter(([k]) => k !== kind);
    metadata = build();
  }
  return metadata;
}
