import { describe, expect, it } from 'vitest';
import { handoffTags, sanitizeTagPart } from '../../../server/helpdesks/zendesk/tags.ts';
import { sampleReport } from '../../fixtures/sample-report.ts';

describe('handoffTags', () => {
  it('gives the four Baton tags for a report', () => {
    expect(handoffTags(sampleReport())).toEqual([
      'baton_handoff',
      'baton_reason_customer_requested_human',
      'baton_sentiment_negative',
      'baton_topic_cancellation',
    ]);
  });

  it('sanitizes custom taxonomy topic ids to [a-z0-9_]', () => {
    const report = { ...sampleReport(), topic: { id: 'Billing / Invoices — Ärger!', confidence: 0.5 } };
    expect(handoffTags(report)).toContain('baton_topic_billing_invoices_arger');
  });

  it('never produces an empty suffix, spaces, or upper case', () => {
    const report = { ...sampleReport(), topic: { id: '  <script>  ', confidence: 0.5 } };
    for (const t of handoffTags(report)) expect(t).toMatch(/^[a-z0-9_]+$/);
    expect(handoffTags({ ...sampleReport(), topic: { id: '!!!', confidence: 0 } })).toContain('baton_topic_unknown');
  });

  it('is deterministic and has no duplicates', () => {
    const a = handoffTags(sampleReport());
    expect(handoffTags(sampleReport())).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });
});

describe('sanitizeTagPart', () => {
  it.each([
    ['customer_requested_human', 'customer_requested_human'],
    ['VIP Account', 'vip_account'],
    ['a--b__c', 'a_b_c'],
    ['_x_', 'x'],
    ['Café', 'cafe'],
    ['', 'unknown'],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeTagPart(input)).toBe(expected);
  });

  it('caps very long tags', () => {
    const tags = handoffTags({ ...sampleReport(), topic: { id: 'x'.repeat(500), confidence: 1 } });
    expect(Math.max(...tags.map((t) => t.length))).toBeLessThanOrEqual(80);
  });
});
