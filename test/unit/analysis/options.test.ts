import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_OPTIONS, parseAnalysisOptions } from '../../../server/analysis/options.ts';

const P = 'tenants[0].analysis';

describe('parseAnalysisOptions', () => {
  it('accepts a full valid config', () => {
    const raw = {
      topics: [{ id: 'refund', keywords: ['money back'] }, { id: 'other' }],
      sensitiveTopics: ['refund'],
      vipTiers: ['gold'],
      lowConfidenceThreshold: 0.4,
      longConversationTurns: 6,
      openerTemplates: { 'pt-BR': { greetingNamed: 'Oi {name}!', topics: { refund: 'o reembolso' } } },
      routing: { byTopic: { refund: 12 }, byLanguage: { es: 13 }, byTier: { gold: 14 }, fallbackGroupId: 1 },
      redaction: { passwords: false },
    };
    expect(parseAnalysisOptions(raw, P)).toEqual(raw);
    expect(parseAnalysisOptions(undefined, P)).toEqual({});
  });

  it.each([
    [{ vipTiers: 'gold' }, `${P}.vipTiers must be an array of strings`],
    [{ lowConfidenceThreshold: 2 }, `${P}.lowConfidenceThreshold must be a number between 0 and 1`],
    [{ routing: { byTopic: { refund: 'x' } } }, `${P}.routing.byTopic.refund must be a positive integer group id`],
    [{ routing: { fallbackGroupId: -1 } }, `${P}.routing.fallbackGroupId must be a positive integer group id`],
    [{ topics: [{ id: 'Bad Id' }] }, `${P}.topics[0].id must be a snake_case string`],
    [{ redaction: { cardNumbers: 'yes' } }, `${P}.redaction.cardNumbers must be true or false`],
    [{ openerTemplates: { en: { greting: 'x' } } }, `${P}.openerTemplates.en.greting is not a known option`],
    [{ vipTeirs: [] }, `${P}.vipTeirs is not a known option`],
    ['nope', `${P} must be an object`],
  ])('rejects %j', (raw, message) => {
    expect(() => parseAnalysisOptions(raw, P)).toThrow(message);
  });

  it('has defaults for the sensitive topics of the spec', () => {
    expect(DEFAULT_ANALYSIS_OPTIONS.sensitiveTopics).toEqual(['billing_dispute', 'legal', 'account_security', 'cancellation']);
  });
});
