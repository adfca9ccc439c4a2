/**
 * The Sunshine Conversations adapter's pure parts on the spec's own example payloads
 * (test/fixtures/bot-platforms/sunshine-conversations, see SOURCES.md there): each event type read, the handoff
 * event before and after the transcript fetch (customer / bot / agent / system turns), the X-API-Key check, and
 * the relay metadata's 4 KB budget.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseSunshineWebhook } from '../../../server/bots/sunshine/parse.ts';
import { completedHandoffEvent, webhookHandoffEvent } from '../../../server/bots/sunshine/handoff-event.ts';
import { roleOf, sunshineMessages } from '../../../server/bots/sunshine/normalize.ts';
import { verifyApiKey } from '../../../server/bots/sunshine/verify.ts';
import { bytesOf, DROP_ORDER, METADATA_MAX_BYTES, passControlMetadata } from '../../../server/bots/sunshine/metadata.ts';
import { parseSunshineConfig } from '../../../server/bots/sunshine/settings.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/bot-platforms/sunshine-conversations/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const APP = '5ebee0975ac5304b664a12fa';
const note = { appId: APP, mode: 'note' as const, switchboardIntegration: 'baton' };
const relay = { appId: APP, mode: 'relay' as const, switchboardIntegration: 'bot' };

describe('Sunshine webhook events (the spec examples)', () => {
  it('passControl: a handoff when control now rests with Baton (relay), ignored with the reason otherwise', () => {
    const body = fixture('webhook-switchboard-passControl.json');
    const r = parseSunshineWebhook(body, relay);
    expect(r).toMatchObject({ kind: 'events', appId: APP, ignored: [] });
    if (r.kind !== 'events') throw new Error('unreachable');
    expect(r.handoffs).toEqual([
      {
        eventId: '5f74a0d52b5315fc007e798a',
        createdAt: '2020-09-30T15:14:29.834Z',
        conversationId: 'f52b01137aa6c250bc7251fa',
        active: { id: '5eecde2dcdbffb08f5c3ed37', name: 'bot', integrationType: 'custom' },
        metadata: {},
      },
    ]);
    const n = parseSunshineWebhook(body, note);
    expect(n.kind === 'events' && n.handoffs).toEqual([]);
    expect(n.kind === 'events' && n.ignored[0]?.reason).toBe('control passed to bot, not to zd:agentWorkspace (note mode)');
  });

  it('note mode: control passed to the agent workspace is the handoff; a pass with a reason (ticket closed) is not', () => {
    const body = fixture('webhook-switchboard-passControl.json') as { events: Array<{ payload: Record<string, unknown> }> };
    const conv = body.events[0]!.payload.conversation as Record<string, unknown>;
    conv.activeSwitchboardIntegration = { id: '62261ff6aa72f900ef123e1d', name: 'zd-agentWorkspace', integrationId: '62261ff41b74b670c3f64c2f', integrationType: 'zd:agentWorkspace' };
    const r = parseSunshineWebhook(body, note);
    expect(r.kind === 'events' && r.handoffs.length).toBe(1);
    body.events[0]!.payload.reason = 'ticketClosed';
    const closed = parseSunshineWebhook(body, note);
    expect(closed.kind === 'events' && closed.ignored[0]?.reason).toBe('passControl with reason ticketClosed ends an agent session');
  });

  it.each([
    ['webhook-switchboard-offerControl.json', 'switchboard:offerControl: Baton acts on switchboard:passControl only'],
    ['webhook-switchboard-acceptControl.json', 'switchboard:acceptControl: Baton acts on switchboard:passControl only'],
    ['webhook-switchboard-releaseControl.json', 'switchboard:releaseControl: Baton acts on switchboard:passControl only'],
    ['webhook-conversation-message.json', 'conversation:message is not a handoff'],
  ])('%s is acknowledged and ignored with the reason', (name, reason) => {
    const r = parseSunshineWebhook(fixture(name), relay);
    expect(r).toMatchObject({ kind: 'events', handoffs: [], ignored: [{ eventId: '5f74a0d52b5315fc007e798a', reason }] });
  });

  it('names each field it cannot read: another app, no events, an event without id, a passControl without conversation', () => {
    expect(parseSunshineWebhook({ app: { id: 'x' }, events: [] }, relay)).toMatchObject({
      kind: 'invalid',
      errors: [
        { field: 'app.id', problem: "is not this tenant's Sunshine app" },
        { field: 'events', problem: 'must be a non-empty array' },
      ],
    });
    const r = parseSunshineWebhook({ app: { id: APP }, events: [{ type: 'switchboard:passControl' }, { id: 'e2', type: 'switchboard:passControl', payload: {} }] }, relay);
    expect(r).toMatchObject({ kind: 'invalid', errors: [{ field: 'events[0].id' }, { field: 'events[1].payload.conversation.id' }] });
  });
});

describe('the Sunshine HandoffEvent', () => {
  const parsed = parseSunshineWebhook(fixture('webhook-switchboard-passControl.json'), relay);
  if (parsed.kind !== 'events') throw new Error('fixture unreadable');
  const h = parsed.handoffs[0]!;
  const stored = webhookHandoffEvent(h, APP, { mode: 'relay', ticketWaitMinutes: 30 }, 'acme', '2020-09-30T15:14:30.000Z');

  it('is stored without transcript, deduped by event id, waiting for the messaging ticket of its conversation', () => {
    expect(stored).toMatchObject({
      id: 'sunshine:5f74a0d52b5315fc007e798a',
      source: 'sunshine',
      transcriptComplete: false,
      messages: [],
      trigger: { kind: 'unknown', nativeType: 'switchboard:passControl', requestedAt: '2020-09-30T15:14:29.834Z' },
      conversation: { nativeId: 'f52b01137aa6c250bc7251fa' },
      target: { helpdesk: 'zendesk', awaitKey: 'conversation:f52b01137aa6c250bc7251fa', awaitUntil: '2020-09-30T15:44:30.000Z' },
    });
    // Relay analyses and passes control before the ticket exists; note mode waits first.
    expect(stored.target.awaitBeforeAnalysis).toBeUndefined();
    expect(webhookHandoffEvent(h, APP, { mode: 'note', ticketWaitMinutes: 30 }, 'acme', '2020-09-30T15:14:30.000Z').target.awaitBeforeAnalysis).toBe(true);
    expect(stored.target.id).toBeUndefined();
  });

  it('after the fetch: customer, bot, agent and system turns by author type and subtypes, up to the pass, with the user record', () => {
    const listed = fixture('api-list-messages-response.json').messages as unknown[];
    const at = (m: number) => `2020-09-30T15:${String(m).padStart(2, '0')}:00.000Z`;
    const messages = [
      { id: '5f74c7d84a146f3abd72a001', received: at(1), author: { type: 'user', userId: '67a11490f0305f4a391e9f8a', displayName: 'Steve Rogers' }, content: { type: 'text', text: 'My card was declined' } },
      { ...(listed[0] as object), received: at(2) },
      { id: '5f74c7d84a146f3abd72a003', received: at(3), author: { type: 'business', subtypes: ['bot'] }, content: { type: 'text', text: 'Try this:', actions: [{ type: 'link', text: 'Card declined?', uri: 'https://help.example.com/declined' }, { type: 'reply', text: 'No' }] } },
      { id: '5f74c7d84a146f3abd72a004', received: at(4), author: { type: 'business', subtypes: ['activity'] }, content: { type: 'text', text: 'Bot is typing' } },
      { id: '5f74c7d84a146f3abd72a005', received: at(5), author: { type: 'business', subtypes: ['agent'] }, content: { type: 'text', text: 'Agent from an earlier session' } },
      { id: '5f74c7d84a146f3abd72a006', received: at(6), author: { type: 'user', userId: '67a11490f0305f4a391e9f8a' }, content: { type: 'image', altText: 'screenshot' } },
      // After the passControl (15:14:29.834): not part of the handoff.
      { id: '5f74c7d84a146f3abd72a007', received: at(20), author: { type: 'business', subtypes: ['agent'] }, content: { type: 'text', text: 'Hi, I am Sam' } },
    ];
    const done = completedHandoffEvent(stored, messages, fixture('api-get-user-response.json'), 'telegram');
    expect(done.transcriptComplete).toBe(true);
    expect(done.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'My card was declined'],
      ['bot', 'Hello World'],
      ['bot', 'Try this:'],
      ['system', 'Bot is typing'],
      ['agent', 'Agent from an earlier session'],
      ['customer', '[image: screenshot]'],
    ]);
    expect(done.messages[2]!.bot).toEqual({ articles: [{ title: 'Card declined?', url: 'https://help.example.com/declined' }] });
    // The spec's user example has no name or email: the display name stays, ids come from the record.
    expect(done.customer).toEqual({ name: 'Steve Rogers', id: 'your-own-id', attributes: { sunshineUserId: '67a11490f0305f4a391e9f8a', zendeskUserId: '35436' } });
    expect(done.conversation).toMatchObject({ nativeId: 'f52b01137aa6c250bc7251fa', channel: 'telegram', locale: 'en', startedAt: at(1) });
    expect((done.raw as { firstMessageId?: string }).firstMessageId).toBe('5f74c7d84a146f3abd72a001');
    expect(done.target).toEqual(stored.target);
  });

  it('tells roles apart by author alone', () => {
    expect([roleOf({ type: 'user' }), roleOf({ type: 'business' }), roleOf({ type: 'business', subtypes: ['AI'] }), roleOf({ type: 'business', subtypes: ['agent'] }), roleOf(undefined)]).toEqual(['customer', 'bot', 'bot', 'agent', 'system']);
    expect(sunshineMessages([{ content: { type: 'carousel', items: [{ title: 'A' }, { title: 'B' }] }, author: { type: 'business' } }])[0]!.text).toBe('[carousel: A; B]');
  });
});

describe('X-API-Key', () => {
  it('accepts only the exact secret, and fails a missing header or an unconfigured tenant', () => {
    expect(verifyApiKey('sc_webhook_secret_1', 'sc_webhook_secret_1')).toEqual({ ok: true });
    expect(verifyApiKey('sc_webhook_secret_2', 'sc_webhook_secret_1')).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyApiKey('sc_webhook_secret_1x', 'sc_webhook_secret_1')).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyApiKey(undefined, 'sc_webhook_secret_1')).toEqual({ ok: false, reason: 'missing' });
    expect(verifyApiKey('decoy-secret-for-unknown-tenants', undefined)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('reads the issue config as written, with defaults', () => {
    expect(parseSunshineConfig({ appId: '5e4af71a81966cfff3ef6550', keyId: 'app_5e4af71a81966cfff3ef6551', keySecret: 'sc_key_secret_1', webhookSecret: 'sc_webhook_secret_1', baseUrl: 'http://127.0.0.1:9300/', mode: 'relay' }, 'tenants[0].bots.sunshine')).toEqual({
      appId: '5e4af71a81966cfff3ef6550',
      keyId: 'app_5e4af71a81966cfff3ef6551',
      keySecret: 'sc_key_secret_1',
      webhookSecret: 'sc_webhook_secret_1',
      baseUrl: 'http://127.0.0.1:9300',
      mode: 'relay',
      switchboardIntegration: 'baton',
      ticketWaitMinutes: 30,
    });
  });
});

describe('relay metadata', () => {
  const report = {
    primaryTrigger: 'customer_requested_human',
    sentiment: { label: 'negative' },
    topic: { id: 'billing_dispute' },
    priority: { score: 72, level: 'high' },
    context: { customerName: 'Dana Whitfield' },
  } as unknown as HandoffReport;
  const fields = { handoffId: 9001, sentiment: 9002, escalationReason: 9003, topic: 9004, priorityScore: 9005 };
  const event = (email: string) => ({ customer: { email } }) as never;

  it('is flat and fills the ticket fields, tags, requester and first message', () => {
    const m = passControlMetadata({ handoffId: 'ho_1', event: event('dana@example.com'), report, fields, firstMessageId: '5f74c7d84a146f3abd72a001' });
    expect(m).toEqual({
      'dataCapture.ticketField.9001': 'ho_1',
      'dataCapture.systemField.tags': 'baton_handoff,baton_reason_customer_requested_human,baton_sentiment_negative,baton_topic_billing_dispute',
      'dataCapture.systemField.requester.email': 'dana@example.com',
      'dataCapture.systemField.requester.name': 'Dana Whitfield',
      'dataCapture.ticketField.9002': 'baton_sentiment_negative',
      'dataCapture.ticketField.9003': 'baton_reason_customer_requested_human',
      'dataCapture.ticketField.9004': 'billing_dispute',
      'dataCapture.ticketField.9005': 72,
      first_message_id: '5f74c7d84a146f3abd72a001',
    });
    for (const v of Object.values(m)) expect(['string', 'number', 'boolean']).toContain(typeof v);
  });

  it('stays within the limit by dropping the lowest-value keys first, in a fixed order; the handoff id stays', () => {
    const input = { handoffId: 'ho_1', event: event('dana@example.com'), report, fields, firstMessageId: '5f74c7d84a146f3abd72a001' };
    const full = passControlMetadata(input);
    const keysLeft = (max: number) => Object.keys(passControlMetadata(input, max));
    // Each smaller budget loses the next kind in DROP_ORDER: priority score, topic, requester name, first message…
    const dropped = [bytesOf(full) - 1, 380, 250, 200].map((max) => Object.keys(full).filter((k) => !keysLeft(max).includes(k)));
    expect(dropped).toEqual([
      ['dataCapture.ticketField.9005'],
      ['dataCapture.systemField.requester.name', 'dataCapture.ticketField.9004', 'dataCapture.ticketField.9005', 'first_message_id'],
      ['dataCapture.systemField.requester.name', 'dataCapture.ticketField.9002', 'dataCapture.ticketField.9003', 'dataCapture.ticketField.9004', 'dataCapture.ticketField.9005', 'first_message_id'],
      ['dataCapture.systemField.requester.email', 'dataCapture.systemField.requester.name', 'dataCapture.ticketField.9002', 'dataCapture.ticketField.9003', 'dataCapture.ticketField.9004', 'dataCapture.ticketField.9005', 'first_message_id'],
    ]);
    for (const max of [bytesOf(full) - 1, 380, 340, 300, 200]) {
      const m = passControlMetadata(input, max);
      expect(m).toEqual(passControlMetadata(input, max));
      expect(m['dataCapture.ticketField.9001']).toBe('ho_1');
    }
    expect(DROP_ORDER.slice(0, 4)).toEqual(['priorityScore', 'topic', 'requesterName', 'firstMessage']);
    // Over-long values are clipped, so real metadata stays under Sunshine's 4 KB.
    const long = passControlMetadata({ ...input, report: { ...report, context: { customerName: 'N'.repeat(5000) } } as unknown as HandoffReport });
    expect(bytesOf(long)).toBeLessThanOrEqual(METADATA_MAX_BYTES);
  });
});
