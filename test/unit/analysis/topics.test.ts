import { describe, expect, it } from 'vitest';
import { classifyTopic } from '../../../server/analysis/topics.ts';
import { DEFAULT_ANALYSIS_OPTIONS, resolveAnalysisOptions } from '../../../server/analysis/options.ts';

const topic = (texts: string[], opts = DEFAULT_ANALYSIS_OPTIONS) => classifyTopic({ texts }, opts);

describe('topics', () => {
  it.each([
    ['I was charged twice for the same purchase', 'billing_dispute'],
    ['I want my money back for the broken headphones', 'refund'],
    ['Please cancel my subscription', 'cancellation'],
    ["I can't remember my password and I'm locked out", 'account_security'],
    ['Where is my package? Tracking has not updated in a week', 'shipping_order'],
    ['The app shows an error and crashes when I open it', 'technical_issue'],
    ['My lawyer will contact you about this under GDPR', 'legal'],
  ])('%j -> %s', (text, id) => {
    expect(topic([text]).id).toBe(id);
  });

  it('gives a confidence and a runner-up', () => {
    const r = topic(['I was charged twice and want a refund']);
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.runnerUp?.id).toBeDefined();
    expect(r.runnerUp!.confidence).toBeLessThanOrEqual(r.confidence);
  });

  it('supports a custom taxonomy with keywords', () => {
    const opts = resolveAnalysisOptions({ topics: [{ id: 'cancellation' }, { id: 'warranty', keywords: ['warranty', 'guarantee'] }, { id: 'other' }] });
    expect(topic(['Is my blender still under warranty?'], opts).id).toBe('warranty');
    expect(topic(['Please cancel my subscription'], opts).id).toBe('cancellation');
  });

  it('ignores a bare request for a person when choosing the topic', () => {
    expect(topic(['I was double charged on my card', 'let me talk to a human']).id).toBe('billing_dispute');
  });
});
