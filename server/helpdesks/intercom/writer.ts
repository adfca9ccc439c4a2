/**
 * Writes one handoff into an Intercom conversation, exactly once:
 * 1. the briefing as one internal note (`POST /conversations/{id}/reply`, `message_type: "note"`,
 *    `type: "admin"`, `admin_id`; https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations/replyconversation);
 * 2. the tags, created if missing and attached (`POST /conversations/{id}/tags` `{ id, admin_id }`);
 * 3. when the tenant asks for them, conversation data attributes and priority (one `PUT /conversations/{id}`).
 *
 * Intercom takes no Idempotency-Key, so a try after the first (`attempt > 1`: a time-out, a 5xx after the
 * write, a crash) first reads the conversation and looks for this handoff's marker among its note parts; if
 * found, the note is not written again. Note first, then tags: steps 2 and 3 are idempotent (attaching a tag
 * twice or setting the same attribute again changes nothing) while the note is not, so the marker check guards
 * the one write that could duplicate, and a crash between note and tags is finished by the next try, which
 * sees the marker and completes the tags. Tags first would be just as safe for duplicates but lets inbox rules
 * keyed on `baton_handoff` fire before the briefing exists, and a failing tag call would hold the note back.
 */
import { isAxiosError, type AxiosInstance } from 'axios';
import type { HandoffWriter, HelpdeskContext, WriteInput, WriteResult } from '../helpdesk-module.ts';
import { PermanentError } from '../../pipeline/retry-policy.ts';
import type { HandoffReport } from '../../types/handoff-report.ts';
import { INTERCOM, type IntercomConfig } from './intercom-config.ts';
import { createIntercomClient } from './client.ts';
import { intercomHandoffTags } from './tags.ts';
import { TagDirectory } from './tag-directory.ts';
import { noteHasMarker, renderIntercomNote } from './render-note.ts';

interface ConversationPart {
  part_type?: string;
  body?: string | null;
}

interface Conversation {
  id?: string;
  conversation_parts?: { conversation_parts?: ConversationPart[] };
}

/**
 * What an urgent handoff sets when `setPriority` is on. The value is unverified: Intercom's 2.16 description
 * lists no writable priority on `PUT /conversations/{id}` (`update_conversation_request` has read, title,
 * custom_attributes, company_id); "priority" is the value the Conversation model reports for a prioritised
 * conversation up to 2.14. The `attributes.priority` data attribute is the documented way; prefer it.
 */
export const URGENT_PRIORITY_VALUE = 'priority';

/** Conversation data attributes the tenant named, filled from the report. */
export function attributeValues(config: Pick<IntercomConfig, 'attributes'>, handoffId: string, report: HandoffReport): Record<string, string> {
  const a = config.attributes;
  const out: Record<string, string> = {};
  if (a.sentiment) out[a.sentiment] = report.sentiment.label;
  if (a.reason) out[a.reason] = report.primaryTrigger;
  if (a.topic) out[a.topic] = report.topic.id;
  if (a.handoffId) out[a.handoffId] = handoffId;
  if (a.priority) out[a.priority] = report.priority.level;
  return out;
}

/** The `PUT /conversations/{id}` body, or undefined when the tenant asked for neither attributes nor priority. */
export function updateBody(config: Pick<IntercomConfig, 'attributes' | 'setPriority'>, handoffId: string, report: HandoffReport): Record<string, unknown> | undefined {
  const attrs = attributeValues(config, handoffId, report);
  const body: Record<string, unknown> = {};
  if (Object.keys(attrs).length) body.custom_attributes = attrs;
  if (config.setPriority && report.priority.level === 'urgent') body.priority = URGENT_PRIORITY_VALUE;
  return Object.keys(body).length ? body : undefined;
}

/** True when the conversation already holds this handoff's note (an earlier try landed). */
export function conversationHasNote(conversation: Conversation, handoffId: string): boolean {
  const parts = conversation.conversation_parts?.conversation_parts ?? [];
  return parts.some((p) => p.part_type === 'note' && typeof p.body === 'string' && noteHasMarker(p.body, handoffId));
}

export class IntercomWriter implements HandoffWriter {
  readonly helpdesk = INTERCOM;
  private readonly tags: TagDirectory;

  constructor(
    private readonly config: IntercomConfig,
    private readonly ctx: HelpdeskContext,
    /** Injected in tests; by default one client per write, so each call carries that handoff's id. */
    private readonly clientFor: (handoffId: string) => AxiosInstance = (handoffId) => createIntercomClient(config, ctx, handoffId),
  ) {
    this.tags = new TagDirectory(`${ctx.accountKey} ${config.baseUrl}`);
  }

  async write(input: WriteInput): Promise<WriteResult> {
    const conversationId = input.event.target.id;
    if (!conversationId) throw new PermanentError('no Intercom conversation to write to (the handoff names none)');
    // Intercom's ids are digits; anything else cannot be a conversation and must not reach a URL path.
    if (!/^[0-9]{1,32}$/.test(conversationId)) throw new PermanentError(`"${conversationId.slice(0, 40)}" is not an Intercom conversation id`);
    const client = this.clientFor(input.handoffId);
    const path = `/conversations/${conversationId}`;
    const ref = { helpdesk: INTERCOM, id: conversationId };

    let landed = false;
    // A lease that may have run out: another replica may have written it meanwhile (Intercom has no conditional write,
    // so this narrows the race to the moment between this look and the note; Zendesk's safe_update closes it).
    if (input.attempt > 1 || input.leaseMayBeLost?.() === true) landed = conversationHasNote((await client.get<Conversation>(path)).data, input.handoffId);
    if (!landed) {
      const body = renderIntercomNote(input.report, input.handoffId);
      await client.post(`${path}/reply`, { message_type: 'note', type: 'admin', admin_id: this.config.adminId, body });
    }
    await this.attachTags(client, path, input.report);
    const update = updateBody(this.config, input.handoffId, input.report);
    if (update) await client.put(path, update);
    this.ctx.logger.debug({ handoffId: input.handoffId, conversationId, noteWritten: !landed }, 'intercom handoff written');
    return { ref, outcome: landed ? 'already_written' : 'updated' };
  }

  private async attachTags(client: AxiosInstance, path: string, report: HandoffReport): Promise<void> {
    const names = intercomHandoffTags(report);
    for (let pass = 0; ; pass++) {
      const ids = await this.tags.ids(client, names);
      try {
        for (const id of ids) await client.post(`${path}/tags`, { id, admin_id: this.config.adminId });
        return;
      } catch (err) {
        // A cached id Intercom no longer knows (the tag was deleted): list again once. A 404 for the
        // conversation itself fails again on the second pass and is dead-lettered by classify-failure.ts.
        if (pass === 0 && isAxiosError(err) && err.response?.status === 404) {
          this.tags.forget();
          continue;
        }
        throw err;
      }
    }
  }
}
