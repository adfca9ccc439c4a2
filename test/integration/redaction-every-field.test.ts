/**
 * Issue 7, item 5: a card number and a password planted in EVERY string field the published JSON Schema allows
 * reach none of: what the Zendesk sandbox received (note, subject, requester…), the stored report, the stored
 * event after delivery, the sidebar API's answer. The string fields are found by walking
 * schemas/generic-handoff-v1.schema.json, so a field added to the schema is planted too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import schema from '../../schemas/generic-handoff-v1.schema.json' with { type: 'json' };
import { ACME, startHarness, type Harness } from '../helpers/harness.ts';
import { validateGenericHandoff } from '../../server/bots/generic/schema.ts';

const CARD_SPACED = '4111 1111 1111 1111';
const CARD = '4111111111111111';
const PASSWORD = 'hunter2-PLANTED';
const SECRETS = [CARD_SPACED, CARD, PASSWORD];
const FREE_TEXT = `card ${CARD_SPACED} and my password: ${PASSWORD}`;
/** A URL is a string too: it carries the secrets in its query (the schema refuses spaces in a URI). */
const URL_TEXT = `https://kb.example.com/a?card=${CARD}&password=${PASSWORD}`;

/**
 * Fields that may keep their value because Baton needs them exactly (analysis/redact-event.ts): they identify,
 * they do not describe. `id`: the dedupe key; `conversation.id`: the ticket's external_id, used to find a ticket
 * a late retry already created; `customer.id` and `customer.email`: the requester of a created ticket and how an
 * erasure request finds a customer's handoffs. They get ordinary values here.
 */
const IDENTIFIERS: Record<string, string> = {
  id: 'evt_planted',
  'conversation.id': 'conv_planted',
  'customer.id': 'cust_planted',
  'customer.email': 'planted@example.com',
};

type SchemaNode = {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
};

interface Walked {
  /** Paths given the secrets. */
  planted: string[];
  /** Paths whose format or pattern cannot hold them (dates, locale): the schema itself refuses a secret there. */
  constrained: string[];
}

const isString = (n: SchemaNode) => n.type === 'string' || (Array.isArray(n.type) && n.type.includes('string'));

/** Builds a body setting every string field of the schema; object keys a sender chooses are planted too. */
function plant(node: SchemaNode, path: string, w: Walked): unknown {
  if (node.enum) return node.enum[0];
  if (node.properties || node.additionalProperties) {
    const o: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(node.properties ?? {})) o[k] = plant(child, path ? `${path}.${k}` : k, w);
    if (typeof node.additionalProperties === 'object' && isString(node.additionalProperties)) {
      w.planted.push(`${path}.<key>`, `${path}.<value>`);
      o[FREE_TEXT] = FREE_TEXT;
    }
    return o;
  }
  if (node.items) return [plant(node.items, `${path}[]`, w)];
  if (!isString(node)) return node.type === 'number' ? 0.3 : 1;
  if (path in IDENTIFIERS) return IDENTIFIERS[path];
  if (node.format === 'date-time') return w.constrained.push(path), '2026-11-20T10:32:00Z';
  if (node.pattern) return w.constrained.push(path), 'en-US';
  w.planted.push(path);
  return node.format === 'uri' ? URL_TEXT : FREE_TEXT;
}

function plantedBody(): { body: Record<string, unknown>; walked: Walked } {
  const walked: Walked = { planted: [], constrained: [] };
  const body = plant(schema as SchemaNode, '', walked) as Record<string, unknown>;
  // No target (no ticket, no Intercom conversation): the tenant's default, Zendesk, creates a ticket, so the
  // subject and the requester are written too.
  delete body.ticket;
  delete body.intercom;
  (body.messages as Array<Record<string, unknown>>)[0]!.role = 'customer';
  return { body, walked };
}

const leaks = (haystack: string) => SECRETS.filter((s) => haystack.includes(s));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('redaction covers every field', () => {
  it('plants the secrets in every free-text field of the schema, and the schema accepts the body', () => {
    const { body, walked } = plantedBody();
    expect(validateGenericHandoff(body)).toMatchObject({ ok: true });
    // The walk found the fields the issue names (and whatever the schema adds later).
    expect(walked.planted).toEqual(
      expect.arrayContaining([
        'conversation.channel',
        'conversation.pageUrl',
        'customer.name',
        'customer.tier',
        'customer.attributes.<key>',
        'customer.attributes.<value>',
        'messages[].text',
        'messages[].bot.intent',
        'messages[].bot.articles[].title',
        'messages[].bot.articles[].url',
        'messages[].bot.actions[]',
        'handoff.reason',
        'handoff.botName',
      ]),
    );
    // intercom.conversationId is an identifier (a pattern allows no free text), like ticket.id.
    expect(walked.constrained.sort()).toEqual(['conversation.locale', 'conversation.startedAt', 'handoff.requestedAt', 'intercom.conversationId', 'messages[].at']);
  });

  it('lets no planted secret reach Zendesk, the stored report, the stored event after delivery or the sidebar API', async () => {
    h = await startHarness();
    const { body } = plantedBody();
    const res = await h.post('acme', JSON.stringify(body));
    expect(res.status).toBe(202);
    const { handoffId } = (await res.json()) as { handoffId: string };
    await h.waitFor(async () => (await h!.baton.store.getJob(handoffId))?.state === 'done', 'delivery');

    const sent = h.sandbox.calls.filter((c) => c.method === 'POST' || c.method === 'PUT');
    expect(sent).toHaveLength(1);
    expect(leaks(JSON.stringify(sent.map((c) => ({ path: c.path, body: c.body }))))).toEqual([]);
    const note = String(((sent[0]!.body as { ticket: { comment: { html_body: string } } }).ticket.comment.html_body));
    expect(note).toContain('[card •••• 1111]');

    const stored = await h.baton.store.getReport(handoffId);
    expect(stored).toBeDefined();
    expect(leaks(JSON.stringify(stored!.report))).toEqual([]);
    expect(stored!.report.redactions.byKind).toMatchObject({ card_number: expect.any(Number), password: expect.any(Number) });

    const event = await h.baton.store.getEvent(handoffId);
    expect(leaks(JSON.stringify(event))).toEqual([]);
    expect(event?.raw).toBeNull();
    // The identifiers stay exactly as sent.
    expect(event).toMatchObject({ conversation: { nativeId: IDENTIFIERS['conversation.id'] }, customer: { id: IDENTIFIERS['customer.id'], email: IDENTIFIERS['customer.email'] } });

    const ticketId = Number(stored!.ref!.id);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ticket_id: ticketId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('4242')
      .setIssuer('acme')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(ACME.appSecret));
    const api = await fetch(`${h.baton.url}/v1/tickets/${ticketId}/handoff`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    const text = await api.text();
    expect(text).toContain('[card •••• 1111]');
    expect(leaks(text)).toEqual([]);
  });
});
