/**
 * The Sunshine transcript fetch against the sandbox Sunshine (each call validated against the official spec):
 * the newest page first, then backwards with `page[before]` while `meta.hasMore`, 100 messages a page, oldest first
 * in the result; the customer from the user record; a missing user does not stop the briefing; Basic auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { fetchSunshineTranscript, listMessages, createSunshineClient } from '../../../server/bots/sunshine/client.ts';
import { webhookHandoffEvent } from '../../../server/bots/sunshine/handoff-event.ts';
import type { ContextFor } from '../../../server/bots/bot-adapter.ts';
import type { TenantConfig } from '../../../server/config.ts';
import type { HelpdeskContext } from '../../../server/helpdesks/helpdesk-module.ts';
import { startSunshineSandbox, DEFAULT_SUNSHINE_KEY, SEED_APP_ID, type RunningSunshineSandbox } from '../../../sandbox/sunshine/index.ts';

let sc: RunningSunshineSandbox;
beforeAll(async () => {
  sc = await startSunshineSandbox();
});
afterAll(() => sc?.close());

const settings = () => ({ appId: SEED_APP_ID, keyId: DEFAULT_SUNSHINE_KEY.keyId, keySecret: DEFAULT_SUNSHINE_KEY.secret, webhookSecret: 'sc_webhook_secret_1', baseUrl: sc.url, mode: 'note' as const, switchboardIntegration: 'baton', ticketWaitMinutes: 30 });
const tenant = (): TenantConfig => ({ id: 'acme', helpdesks: {}, bots: { sunshine: settings() } }) as unknown as TenantConfig;
const contextFor: ContextFor = () => ({ acquire: async () => {}, observe: () => {}, timeoutMs: 2000, tenantId: 'acme', accountKey: 'sunshine:acme', logger: pino({ level: 'silent' }) }) as HelpdeskContext;

describe('the Sunshine transcript fetch', () => {
  it('reads every page backwards (100 a page) and returns the messages oldest first', async () => {
    const c = sc.addConversation({
      user: { givenName: 'Paging', surname: 'Test', email: 'paging@example.com' },
      messages: Array.from({ length: 250 }, (_, i) => ({ from: i % 2 ? ('bot' as const) : ('user' as const), text: `message ${i}` })),
    });
    const before = sc.calls.length;
    const client = createSunshineClient(settings(), sc.url, contextFor('sunshine', tenant()));
    const all = (await listMessages({ client, appId: SEED_APP_ID }, c.id)) as Array<{ content: { text: string } }>;
    expect(all.map((m) => m.content.text)).toEqual(Array.from({ length: 250 }, (_, i) => `message ${i}`));
    const calls = sc.calls.slice(before);
    expect(calls.map((x) => x.operation)).toEqual(['ListMessages', 'ListMessages', 'ListMessages']);
    expect(calls.map((x) => x.query['page[before]'])).toEqual([undefined, c.messages[150]!.id, c.messages[50]!.id]);
    expect(calls.every((x) => x.valid && x.status === 200)).toBe(true);
  });

  it('completes the stored event: transcript up to the pass, customer from the user record', async () => {
    const c = sc.addConversation({
      user: { givenName: 'Ada', surname: 'Lovelace', email: 'ada@example.com', externalId: 'cust-1815', locale: 'en-GB' },
      messages: [
        { from: 'user', text: 'My invoice is wrong' },
        { from: 'bot', text: 'Here is how to read it', links: [{ text: 'Invoices', uri: 'https://help.example.com/invoices' }] },
        { from: 'user', text: 'Human please' },
      ],
    });
    const stored = webhookHandoffEvent({ eventId: 'e1', conversationId: c.id, active: {}, metadata: {}, createdAt: new Date().toISOString() }, SEED_APP_ID, settings(), 'acme', new Date().toISOString());
    const done = await fetchSunshineTranscript(stored, tenant(), contextFor);
    expect(done.messages.map((m) => m.role)).toEqual(['customer', 'bot', 'customer']);
    expect(done.messages[1]!.bot?.articles).toEqual([{ title: 'Invoices', url: 'https://help.example.com/invoices' }]);
    expect(done.customer).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', id: 'cust-1815' });
    expect(done.conversation).toMatchObject({ locale: 'en-GB', channel: 'web' });
  });

  it('goes on without the profile when the user is gone, and is refused with 401 without the right key', async () => {
    const c = sc.addConversation({ user: { givenName: 'Gone' }, messages: [{ from: 'user', text: 'hello?' }] });
    sc.state.users.delete(c.userId);
    const stored = webhookHandoffEvent({ eventId: 'e2', conversationId: c.id, active: {}, metadata: {} }, SEED_APP_ID, settings(), 'acme', new Date().toISOString());
    const done = await fetchSunshineTranscript(stored, tenant(), contextFor);
    expect(done.customer.email).toBeUndefined();
    expect(done.messages).toHaveLength(1);
    const wrong = { ...tenant(), bots: { sunshine: { ...settings(), keySecret: 'not_the_secret' } } } as unknown as TenantConfig;
    await expect(fetchSunshineTranscript(stored, wrong, contextFor)).rejects.toMatchObject({ response: { status: 401 } });
  });
});
