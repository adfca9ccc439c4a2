import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_REASON_TRIGGERS, normalizeBotReason, triggerForBotReason } from '../../../server/analysis/bot-reasons.ts';
import { analyze } from '../../../server/analysis/index.ts';
import { parseAnalysisOptions, resolveAnalysisOptions, type AnalysisOptions } from '../../../server/analysis/options.ts';
import type { HandoffEvent, HandoffMessage, HandoffTrigger } from '../../../server/types/handoff-event.ts';
import { eventOf } from './helpers.ts';

const table = resolveAnalysisOptions().botReasonTriggers;

/** A calm exchange: nothing in the words raises a trigger, so only the bot's reason can. */
const calm: HandoffMessage[] = [
  { role: 'customer', text: 'Hello, I have a question about the invoice I received last week.' },
  { role: 'bot', text: 'Sure, which invoice number is it?', bot: { confidence: 0.93 } },
  { role: 'customer', text: 'It is number 4471.' },
];

function run(trigger: Partial<HandoffTrigger>, messages: HandoffMessage[] = calm, options?: AnalysisOptions, extra: Partial<HandoffEvent> = {}) {
  const ev = eventOf(messages, { trigger: { kind: 'unknown', nativeType: trigger.reason ?? 'unknown', ...trigger }, ...extra });
  return analyze(ev, options);
}

describe('bot reason table', () => {
  it('maps the documented reasons onto triggers', () => {
    const expected: Record<string, string> = {
      low_confidence: 'low_bot_confidence',
      bot_loop: 'repeated_failure',
      security_concern: 'sensitive_topic',
      legal_request: 'sensitive_topic',
      billing_dispute: 'sensitive_topic',
      priority_customer: 'vip_account',
      customer_frustrated: 'negative_sentiment',
      customer_request: 'customer_requested_human',
    };
    for (const [reason, id] of Object.entries(expected)) expect(triggerForBotReason(reason, table), reason).toBe(id);
  });

  it('normalises case, spaces, dashes and a namespace prefix, and refuses free text', () => {
    expect(normalizeBotReason('Low Confidence')).toBe('low_confidence');
    expect(normalizeBotReason('  BOT-LOOP ')).toBe('bot_loop');
    expect(normalizeBotReason('handoff.security_concern')).toBe('security_concern');
    expect(normalizeBotReason('escalation:priority_customer')).toBe('priority_customer');
    expect(normalizeBotReason('The customer seems upset, please help!')).toBeUndefined();
    expect(normalizeBotReason('x'.repeat(65))).toBeUndefined();
    expect(triggerForBotReason('Customer Frustrated', table)).toBe('negative_sentiment');
    expect(triggerForBotReason('something_we_never_heard_of', table)).toBeUndefined();
    expect(triggerForBotReason(undefined, table)).toBeUndefined();
  });

  it('every built-in value is a real trigger id', () => {
    const ids = new Set(Object.values(DEFAULT_BOT_REASON_TRIGGERS));
    for (const id of ids) expect(['customer_requested_human', 'repeated_failure', 'negative_sentiment', 'sensitive_topic', 'vip_account', 'low_bot_confidence', 'long_conversation', 'repeat_contact']).toContain(id);
  });
});

describe('bot reason in the report', () => {
  it('a mapped reason becomes that trigger, with the bot words kept, and no bot_reported', () => {
    const r = run({ kind: 'policy', reason: 'security_concern' });
    expect(r.primaryTrigger).toBe('sensitive_topic');
    const hit = r.triggers.find((t) => t.id === 'sensitive_topic');
    expect(hit?.botReason).toBe('security_concern');
    expect(r.triggers.map((t) => t.id)).not.toContain('bot_reported');
  });

  it('an unknown reason stays bot_reported with the bot words', () => {
    const r = run({ kind: 'bot_failure', reason: 'warehouse system offline' });
    expect(r.primaryTrigger).toBe('bot_reported');
    expect(r.triggers.find((t) => t.id === 'bot_reported')?.detail).toBe('warehouse system offline');
  });

  it('the stated reason wins over the platform event type; without a reason the event type is looked up', () => {
    const withReason = run({ kind: 'bot_failure', nativeType: 'no_match', reason: 'cart service down' });
    expect(withReason.primaryTrigger).toBe('bot_reported');
    const typeOnly = run({ kind: 'bot_failure', nativeType: 'no_match' });
    expect(typeOnly.primaryTrigger).toBe('low_bot_confidence');
  });

  it('merges into a trigger Baton found itself instead of listing it twice', () => {
    const angry: HandoffMessage[] = [
      { role: 'customer', text: 'This is absolutely ridiculous, three weeks and my parcel is still missing. Worst service ever.' },
      { role: 'bot', text: 'I am sorry to hear that. Can I have the tracking number?' },
      { role: 'customer', text: 'I gave it to you already, this is useless and I am furious.' },
    ];
    const r = run({ kind: 'policy', reason: 'customer_frustrated' }, angry);
    const neg = r.triggers.filter((t) => t.id === 'negative_sentiment');
    expect(neg).toHaveLength(1);
    expect(neg[0]?.botReason).toBe('customer_frustrated');
    expect(neg[0]?.evidence).toBeDefined();
    expect(r.primaryTrigger).toBe('negative_sentiment');
  });
});

describe('primary trigger precedence', () => {
  it('1. the customer asking in their own words beats any reason the bot gives', () => {
    const msgs: HandoffMessage[] = [...calm, { role: 'customer', text: 'Could you put me through to one of your staff please?' }];
    const r = run({ kind: 'policy', reason: 'priority_customer' }, msgs);
    expect(r.primaryTrigger).toBe('customer_requested_human');
    expect(r.triggers.map((t) => t.id)).toContain('vip_account');
    expect(r.triggers[0]?.id).toBe('customer_requested_human');
  });

  it('2. a specific bot reason beats what Baton inferred', () => {
    // Baton infers repeated failure (two rejected answers) and sees a VIP tier; the bot says low confidence.
    const msgs: HandoffMessage[] = [
      { role: 'customer', text: 'My export to spreadsheet keeps producing an empty file.' },
      { role: 'bot', text: 'Try the export guide: https://help.example.com/export', bot: { articles: [{ url: 'https://help.example.com/export', title: 'Export' }] } },
      { role: 'customer', text: 'That did not help, I already followed it.' },
      { role: 'bot', text: 'Please clear your browser cache and try again.' },
      { role: 'customer', text: 'That did not help either.' },
    ];
    const r = run({ kind: 'bot_failure', reason: 'low_confidence' }, msgs, undefined, { customer: { tier: 'Platinum' } });
    expect(r.triggers.map((t) => t.id)).toEqual(expect.arrayContaining(['low_bot_confidence', 'vip_account']));
    expect(r.primaryTrigger).toBe('low_bot_confidence');
    expect(r.triggers[0]?.id).toBe('low_bot_confidence');
  });

  it('3. without an ask or a mapped reason, Baton inference decides', () => {
    const r = run({ kind: 'unknown', nativeType: 'unknown' }, calm, undefined, { customer: { tier: 'vip' } });
    expect(r.primaryTrigger).toBe('vip_account');
  });
});

describe('tenant overrides', () => {
  it('adds a reason, re-maps a built-in one, and switches one off with bot_reported', () => {
    const options = parseAnalysisOptions(
      { botReasonTriggers: { 'Needs Manager': 'vip_account', low_confidence: 'repeated_failure', customer_frustrated: 'bot_reported' } },
      'tenants[0].analysis',
    );
    expect(run({ reason: 'needs_manager' }, calm, options).primaryTrigger).toBe('vip_account');
    expect(run({ reason: 'low_confidence' }, calm, options).primaryTrigger).toBe('repeated_failure');
    const off = run({ kind: 'policy', reason: 'customer_frustrated' }, calm, options);
    expect(off.primaryTrigger).toBe('bot_reported');
    expect(off.triggers.find((t) => t.id === 'bot_reported')?.detail).toBe('customer_frustrated');
    // Built-ins the tenant did not touch still apply.
    expect(run({ reason: 'bot_loop' }, calm, options).primaryTrigger).toBe('repeated_failure');
  });

  it('rejects an unknown trigger id or a non-code key, naming the path', () => {
    expect(() => parseAnalysisOptions({ botReasonTriggers: { fallback: 'panic' } }, 'tenants[0].analysis')).toThrow(
      /tenants\[0\]\.analysis\.botReasonTriggers\.fallback must be one of/,
    );
    expect(() => parseAnalysisOptions({ botReasonTriggers: { 'why? because!': 'vip_account' } }, 'tenants[0].analysis')).toThrow(/is not a reason code/);
    expect(() => parseAnalysisOptions({ botReasonTriggers: ['x'] }, 'tenants[0].analysis')).toThrow(/must be an object/);
  });
});
