/**
 * A realistic HandoffReport used by the component tests, the e2e tests, the screenshots and the bench.
 * Never imported by the production bundle.
 */
import type { HandoffReport } from '../../../server/types/handoff-report.ts';

export const SAMPLE_TICKET_ID = 35436;

export function sampleReport(overrides: Partial<HandoffReport> = {}): HandoffReport {
  return {
    version: 1,
    eventId: 'generic:conv_8f2a91',
    summary: {
      text:
        'Maya was charged twice for order #A-10482 ($129.00) and wants the duplicate refunded. The bot sent the refund-policy article and the "check your bank statement" steps; she rejected both. She asked for a person after the third attempt.',
    },
    keyFacts: [
      { kind: 'order_id', value: 'A-10482', messageIndex: 0 },
      { kind: 'amount', value: '$129.00', messageIndex: 0 },
      { kind: 'date', value: '2024-05-02', messageIndex: 2 },
      { kind: 'email', value: 'maya.r@example.com', messageIndex: 4 },
    ],
    sentiment: {
      label: 'negative',
      score: -0.62,
      frustration: 0.74,
      trend: 'worsening',
      trajectory: [
        { messageIndex: 0, label: 'neutral', score: -0.1 },
        { messageIndex: 2, label: 'negative', score: -0.35 },
        { messageIndex: 4, label: 'negative', score: -0.6 },
        { messageIndex: 6, label: 'negative', score: -0.82 },
      ],
      signals: [
        { id: 'repeated_punctuation', messageIndex: 6, excerpt: 'a real person!!!', target: 'bot' },
        { id: 'bot_frustration', messageIndex: 6, excerpt: 'you keep sending me the same article', target: 'bot' },
      ],
    },
    topic: { id: 'billing_dispute', confidence: 0.91, runnerUp: { id: 'refund', confidence: 0.72 } },
    triggers: [
      { id: 'customer_requested_human', evidence: { messageIndex: 6, excerpt: 'I want to talk to a real person!!!' } },
      { id: 'repeated_failure', detail: '2 answers rejected' },
      { id: 'negative_sentiment' },
    ],
    primaryTrigger: 'customer_requested_human',
    attemptedSolutions: [
      {
        kind: 'article',
        text: 'Refund policy: how long refunds take',
        url: 'https://help.example.com/hc/articles/360001234',
        // The demo tenant lists help.example.com in knowledgeBaseHosts (server/config.ts), so the link is live.
        linkAllowed: true,
        messageIndex: 1,
        outcome: 'rejected',
        reaction: { messageIndex: 2, excerpt: "That's not my question, I was charged TWICE" },
      },
      {
        kind: 'steps',
        text: 'Check your bank statement for a pending authorization',
        messageIndex: 3,
        outcome: 'rejected',
        reaction: { messageIndex: 4, excerpt: 'Both charges are posted, not pending' },
      },
      { kind: 'action', text: 'Looked up order A-10482', messageIndex: 5, outcome: 'accepted' },
    ],
    priority: {
      level: 'high',
      score: 72,
      factors: [
        { id: 'sentiment', points: 25, detail: 'negative, worsening' },
        { id: 'topic', points: 20, detail: 'billing_dispute' },
        { id: 'tier', points: 15, detail: 'gold' },
      ],
    },
    routing: { groupId: 360001, skills: ['billing'], language: 'en', rule: 'topic:billing_dispute' },
    opener: {
      text:
        "Hi Maya, I'm sorry you were charged twice for order A-10482 — I can see the bot's suggestions didn't help. I'm looking at both $129.00 charges now and will get the duplicate refunded.",
      locale: 'en',
      tone: 'apologetic',
    },
    nextSteps: ['Confirm the duplicate charge in the payment provider', 'Refund the duplicate $129.00', 'Reply with the refund reference'],
    redactions: { total: 1, byKind: { card_number: 1 } },
    context: {
      customerName: 'Maya Rodriguez',
      customerEmail: 'maya.r@example.com',
      tier: 'gold',
      pageUrl: 'https://shop.example.com/account/orders/A-10482',
      channel: 'web_chat',
      locale: 'en-US',
      botName: 'Ada',
      startedAt: '2024-05-03T09:12:00Z',
      requestedAt: '2024-05-03T09:19:30Z',
    },
    transcript: [
      { role: 'customer', text: 'Hi, I was charged twice for order A-10482, $129.00 each. Card [REDACTED:card_number].', at: '2024-05-03T09:12:00Z' },
      { role: 'bot', text: 'I can help with refunds! Here is our refund policy: https://help.example.com/hc/articles/360001234', at: '2024-05-03T09:12:05Z' },
      { role: 'customer', text: "That's not my question, I was charged TWICE on 2024-05-02.", at: '2024-05-03T09:13:10Z' },
      { role: 'bot', text: 'Sometimes a charge is only a pending authorization. Please check your bank statement.', at: '2024-05-03T09:13:15Z' },
      { role: 'customer', text: 'Both charges are posted, not pending. My email is maya.r@example.com', at: '2024-05-03T09:15:40Z' },
      { role: 'bot', text: 'Thanks! I found order A-10482.', at: '2024-05-03T09:15:45Z' },
      { role: 'customer', text: 'You keep sending me the same article. I want to talk to a real person!!!', at: '2024-05-03T09:19:30Z' },
    ],
    ...overrides,
  };
}
