import { describe, expect, it } from 'vitest';
import { conversationMessages, contactCustomer, partMessage } from '../../../server/bots/intercom/normalize.ts';
import { htmlToText } from '../../../server/bots/intercom/html-to-text.ts';
import { completedHandoffEvent, webhookHandoffEvent } from '../../../server/bots/intercom/handoff-event.ts';
import { parseIntercomWebhook } from '../../../server/bots/intercom/parse.ts';
import { finHandoff, specConversation } from './fixtures.ts';

describe('htmlToText', () => {
  it('strips tags, breaks blocks into lines, decodes entities and keeps links aside', () => {
    const r = htmlToText('<p>Hi &amp; welcome&nbsp;back</p><ul><li>one</li><li>two &#8364; &#x1F600;</li></ul><p>See <a href="https://help.example.com/a?x=1&amp;y=2">the guide</a>.</p>');
    expect(r.text).toBe('Hi & welcome back\none\ntwo € 😀\nSee the guide.');
    expect(r.links).toEqual([{ url: 'https://help.example.com/a?x=1&y=2', text: 'the guide' }]);
  });

  it('leaves plain text (2.15+ webhooks) and a lone < alone, drops scripts and comments', () => {
    expect(htmlToText('a < b and c > d').text).toBe('a < b and c > d');
    expect(htmlToText('x<script>alert(1)</script><!-- hidden -->y<br/>z').text).toBe('xy\nz');
    expect(htmlToText('&bogus; &#0; &#xD800;').text).toBe('&bogus; &#0; &#xD800;');
  });
});

describe('Intercom conversation → messages', () => {
  it("reads the spec's example conversation: admin source and comment are agent turns; events without text are skipped", () => {
    const messages = conversationMessages(specConversation());
    expect(messages).toEqual([
      { role: 'agent', text: 'this is the message body', at: new Date(1734537511 * 1000).toISOString() },
      { role: 'agent', text: 'Okay!', at: new Date(1663597223 * 1000).toISOString() },
    ]);
  });

  it('gives roles by author type, strips HTML, and turns Fin links and content sources into articles', () => {
    const item = finHandoff().data.item;
    const messages = conversationMessages(item, { untilPartId: '9004' });
    expect(messages.map((m) => m.role)).toEqual(['customer', 'bot', 'customer', 'bot']);
    expect(messages[0]?.text).toBe('I was charged twice for order #A-10422 & I want a refund');
    expect(messages[1]?.text).toBe('Sorry about that! Duplicate charges are usually refunded automatically within 5 days. See Refunds for duplicate charges.');
    expect(messages[1]?.bot?.articles).toEqual([{ title: 'Refunds for duplicate charges', url: 'https://help.example.com/articles/duplicate-charges' }]);
    expect(messages[3]?.text).toBe("I'll pass you to our billing team — they’ll take it from here.");
    // Fin's content source (a path on the Intercom app) goes with its last answer.
    expect(messages[3]?.bot?.articles).toEqual([{ title: 'Refunds for duplicate charges', url: 'https://app.intercom.com/fin-ai-agent/content?content=article&id=3234924' }]);
    expect(messages.every((m) => !/[<>]/.test(m.text))).toBe(true);
  });

  it('lists an article Fin both linked and reported as a source once, on the turn that linked it', () => {
    const item = finHandoff().data.item;
    item.ai_agent.content_sources.content_sources[0].url = 'https://help.example.com/articles/duplicate-charges';
    const messages = conversationMessages(item, { untilPartId: '9004' });
    const offered = messages.flatMap((m) => m.bot?.articles ?? []);
    expect(offered).toEqual([{ title: 'Refunds for duplicate charges', url: 'https://help.example.com/articles/duplicate-charges' }]);
    expect(messages[1]?.bot?.articles).toHaveLength(1);
  });

  it('skips notes (Baton’s own briefing among them) and stops at the handing-over assignment', () => {
    const item = finHandoff().data.item;
    const parts = item.conversation_parts.conversation_parts;
    parts.splice(1, 0, { type: 'conversation_part', id: '9050', part_type: 'note', body: '<p>baton-handoff:ho_1 internal</p>', author: { type: 'admin', id: '1' } });
    parts.push({ type: 'conversation_part', id: '9200', part_type: 'comment', body: '<p>Hi Dana, Sam here</p>', author: { type: 'admin', id: '814860' } });
    const upTo = conversationMessages(item, { untilPartId: '9004' });
    expect(upTo.some((m) => m.text.includes('baton-handoff'))).toBe(false);
    expect(upTo.some((m) => m.text.includes('Sam here'))).toBe(false);
    const all = conversationMessages(item);
    expect(all[all.length - 1]).toMatchObject({ role: 'agent', text: 'Hi Dana, Sam here' });
    expect(partMessage({ part_type: 'comment', body: '<p>x</p>', author: { type: 'lead' } })?.role).toBe('customer');
    expect(partMessage({ part_type: 'comment', body: '<p>x</p>', author: { type: 'admin', from_ai_agent: true } })?.role).toBe('bot');
    expect(partMessage({ part_type: 'comment', body: '<p>x</p>', author: { type: 'campaign' } })).toBeUndefined();
  });

  it('builds the stored event from the webhook, then completes it from the conversation and the contact', () => {
    const w = parseIntercomWebhook(finHandoff(), { workflowHandoffs: false });
    if (w.kind !== 'handoff') throw new Error('not a handoff');
    const event = webhookHandoffEvent(w, 'globex', '2026-11-29T18:00:00.000Z');
    expect(event).toMatchObject({
      id: 'intercom:215468352873095:9004',
      source: 'intercom',
      transcriptComplete: false,
      target: { helpdesk: 'intercom', id: '215468352873095' },
      customer: { id: '6762f1261bb69f9f2193bba7', name: 'Dana Whitfield', email: 'dana@example.com' },
      trigger: { kind: 'bot_failure', reason: 'routed_to_team', botName: 'Fin', nativeType: 'conversation.admin.assigned' },
      conversation: { nativeId: '215468352873095', pageUrl: 'https://shop.example.com/orders/A-10422' },
    });
    expect(event.messages).toHaveLength(4);
    const contact = { type: 'contact', id: '6762f1261bb69f9f2193bba7', name: 'Dana W.', email: 'dana.w@example.com', custom_attributes: { plan: 'Pro', seats: 12, nested: { no: 1 } } };
    const done = completedHandoffEvent(event, w.conversation, contact);
    expect(done.transcriptComplete).toBe(true);
    expect(done.id).toBe(event.id);
    expect(done.customer).toEqual({ id: '6762f1261bb69f9f2193bba7', name: 'Dana W.', email: 'dana.w@example.com', attributes: { plan: 'Pro', seats: 12 } });
    expect(done.messages).toHaveLength(4);
    expect(contactCustomer(undefined, { id: 'x' })).toEqual({ id: 'x' });
  });
});
