/**
 * What Zendesk messaging does when the switchboard gives a conversation to the agent workspace, played
 * locally: create the messaging ticket in a Zendesk (the sandbox), filled from the passControl metadata the
 * agent workspace reads (`dataCapture.systemField.tags`, `.requester.name` / `.email`,
 * `dataCapture.ticketField.<id>`), then fire the trigger requirements.json installs: a signed
 * `POST /v1/tenants/{tenant}/zendesk/ticket-created` to Baton with the ticket id, the Baton handoff id field and
 * the conversation id. For sandbox mode, the demo and tests; nothing here runs in production.
 */
import { createHmac } from 'node:crypto';
import type { PassRecord, SunshineConversation, SunshineState } from './types.ts';

export interface MessagingBridgeOptions {
  /** Zendesk API base, e.g. `http://127.0.0.1:3000/sandbox/zendesk`. */
  zendeskBaseUrl: string;
  zendeskAuth: { email: string; apiToken: string };
  /** Baton's base URL and the tenant the webhook is for. */
  batonUrl: string;
  tenantId: string;
  signingSecret: string;
  state: SunshineState;
  /** The ticket field id holding Baton's handoff id (what the trigger's placeholder reads). */
  handoffIdField?: number;
  /** Called with each ticket created and the webhook's status (tests wait on it). */
  onTicket?: (ticketId: number, webhookStatus: number) => void;
  onError?: (err: unknown) => void;
}

export interface MessagingBridge {
  onAgentWorkspace(conversation: SunshineConversation, pass: PassRecord): void;
  /** Resolves when every ticket creation started so far is done. */
  idle(): Promise<void>;
  /** Sends the ticket-created webhook for a ticket (a test can replay or reorder it). */
  sendTicketCreated(body: Record<string, unknown>, timestamp?: string): Promise<number>;
}

export function signTicketCreated(secret: string, timestamp: string, raw: string): Record<string, string> {
  return {
    'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(timestamp + raw).digest('base64'),
    'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
  };
}

export function createMessagingBridge(o: MessagingBridgeOptions): MessagingBridge {
  const pending = new Set<Promise<void>>();
  const auth = `Basic ${Buffer.from(`${o.zendeskAuth.email}/token:${o.zendeskAuth.apiToken}`).toString('base64')}`;

  const sendTicketCreated = async (body: Record<string, unknown>, timestamp = new Date().toISOString()): Promise<number> => {
    const raw = JSON.stringify(body);
    const res = await fetch(`${o.batonUrl}/v1/tenants/${o.tenantId}/zendesk/ticket-created`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signTicketCreated(o.signingSecret, timestamp, raw) },
      body: raw,
    });
    await res.arrayBuffer();
    return res.status;
  };

  const createTicket = async (c: SunshineConversation, pass: PassRecord): Promise<void> => {
    const m = pass.metadata;
    const user = o.state.users.get(c.userId);
    const name = String(m['dataCapture.systemField.requester.name'] ?? [user?.profile.givenName, user?.profile.surname].filter(Boolean).join(' ') ?? 'Messaging user');
    const email = String(m['dataCapture.systemField.requester.email'] ?? user?.profile.email ?? `sunshine-${c.userId}@example.com`);
    const tags = typeof m['dataCapture.systemField.tags'] === 'string' ? String(m['dataCapture.systemField.tags']).split(',').filter(Boolean) : [];
    const customFields = Object.entries(m).flatMap(([k, v]) => (k.startsWith('dataCapture.ticketField.') ? [{ id: Number(k.slice('dataCapture.ticketField.'.length)), value: v }] : []));
    const transcript = c.messages.map((x) => `${x.author.type === 'user' ? name : (x.author.displayName ?? 'Bot')}: ${x.content.text}`).join('\n');
    const res = await fetch(`${o.zendeskBaseUrl}/api/v2/tickets.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: auth },
      body: JSON.stringify({
        ticket: {
          subject: `Conversation with ${name}`,
          comment: { body: transcript || 'Messaging conversation', public: true },
          requester: { name, email },
          ...(tags.length ? { tags } : {}),
          ...(customFields.length ? { custom_fields: customFields } : {}),
        },
      }),
    });
    if (!res.ok) throw new Error(`messaging bridge: ticket create answered ${res.status}: ${await res.text()}`);
    const ticketId = ((await res.json()) as { ticket: { id: number } }).ticket.id;
    const handoffId = o.handoffIdField !== undefined ? m[`dataCapture.ticketField.${o.handoffIdField}`] : undefined;
    const status = await sendTicketCreated({ ticket_id: String(ticketId), baton_handoff_id: handoffId === undefined ? '' : String(handoffId), sunshine_conversation_id: c.id, via: 'Messaging' });
    o.onTicket?.(ticketId, status);
  };

  return {
    onAgentWorkspace(c, pass) {
      const p = createTicket(c, pass)
        .catch((err: unknown) => o.onError?.(err))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    sendTicketCreated,
  };
}
