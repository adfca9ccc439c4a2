/**
 * The transcript fetch for Intercom handoffs (the worker's stage before analysis): `GET /conversations/{id}`
 * (source and up to 500 most recent parts; https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations/retrieveconversation)
 * and `GET /contacts/{id}` for the customer's name, email and custom attributes. Same credentials, API version
 * and rate budget as the Intercom writer (helpdesks/intercom/client.ts).
 */
import { isAxiosError } from 'axios';
import type { HandoffEvent } from '../../types/handoff-event.ts';
import type { IntercomConfig } from '../../helpdesks/intercom/intercom-config.ts';
import { createIntercomClient, type RateBudget } from '../../helpdesks/intercom/client.ts';
import { resetWaitMs } from '../../helpdesks/intercom/rate-limit.ts';
import { completedHandoffEvent } from './handoff-event.ts';
import { firstContact, isObj } from './normalize.ts';

const ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * The worker classifies a failed fetch with the common policy, which reads Retry-After only; Intercom's 429
 * names its reset in `X-RateLimit-Reset` instead. Carry that over, so the retry waits exactly until then.
 */
function withRetryAfterFromReset(err: unknown): unknown {
  if (isAxiosError(err) && err.response?.status === 429) {
    const headers = err.response.headers as Record<string, unknown>;
    const wait = resetWaitMs(headers, Date.now());
    if (headers['retry-after'] === undefined && wait !== undefined) headers['retry-after'] = String(Math.ceil(wait / 1000));
  }
  return err;
}

export async function fetchIntercomTranscript(event: HandoffEvent, config: IntercomConfig, budget: RateBudget, handoffId?: string): Promise<HandoffEvent> {
  try {
    return await fetchTranscript(event, config, budget, handoffId);
  } catch (err) {
    throw withRetryAfterFromReset(err);
  }
}

async function fetchTranscript(event: HandoffEvent, config: IntercomConfig, budget: RateBudget, handoffId?: string): Promise<HandoffEvent> {
  const conversationId = event.target.id ?? event.conversation.nativeId;
  if (!/^[0-9]{1,32}$/.test(conversationId)) throw new Error(`"${conversationId.slice(0, 40)}" is not an Intercom conversation id`);
  const client = createIntercomClient(config, budget, handoffId);
  const conversation = (await client.get<unknown>(`/conversations/${conversationId}`)).data;
  if (!isObj(conversation)) throw new Error(`GET /conversations/${conversationId} answered no conversation`);
  const contactId = firstContact(conversation).id ?? event.customer.id;
  let contact: unknown;
  if (contactId && ID.test(contactId)) {
    try {
      contact = (await client.get<unknown>(`/contacts/${contactId}`)).data;
    } catch (err) {
      // A deleted or merged contact: the briefing goes out without the profile rather than not at all.
      if (!(isAxiosError(err) && err.response?.status === 404)) throw err;
    }
  }
  return completedHandoffEvent(event, conversation, contact, config.region);
}
