import { describe, expect, it } from 'vitest';
import { buildBriefing, briefingLink, handoffMarker } from '../../../server/briefing/build-briefing.ts';
import { BRIEFING_LOCALES, briefingLocaleChain, wordingFor } from '../../../server/briefing/briefing-locale.ts';
import { WORDING_EN, type BriefingWording } from '../../../server/briefing/wording.ts';
import { LOCALE_WORDING } from '../../../server/briefing/wording-locales.ts';
import { FACT_KINDS, PRIORITY_LEVELS, SENTIMENT_LABELS, SENTIMENT_SIGNALS, SENTIMENT_TRENDS, SOLUTION_KINDS, SOLUTION_OUTCOMES, TRIGGER_IDS } from '../../../server/types/handoff-report.ts';
import { MESSAGE_ROLES } from '../../../server/types/handoff-event.ts';
import { SAMPLE_HANDOFF_ID, mapStrings, sampleReport } from '../../fixtures/sample-report.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every string in the model (labels and values), with its path. */
function strings(value: unknown, path = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'words') strings(v, path ? `${path}.${k}` : k, out);
  return out;
}

describe('buildBriefing', () => {
  const b = buildBriefing(sampleReport(), SAMPLE_HANDOFF_ID);

  it('has every section, with English headings by default', () => {
    expect(b.locale).toBe('en');
    expect(b.marker).toBe(handoffMarker(SAMPLE_HANDOFF_ID));
    expect(b.title).toBe('Baton handoff briefing');
    expect(b.summary).toEqual({ heading: 'Summary', text: sampleReport().summary.text });
    expect(b.whyEscalated.heading).toBe('Why the bot handed over');
    expect(b.sentiment.heading).toBe('Sentiment');
    expect(b.tried.heading).toBe('What the bot already tried');
    expect(b.keyFacts.heading).toBe('Key facts');
    expect(b.customer.heading).toBe('Customer');
    expect(b.priority.heading).toBe('Priority');
    expect(b.opener.heading).toBe('Suggested opener');
    expect(b.nextSteps.heading).toBe('Next steps');
    expect(b.transcript.heading).toBe('Transcript');
    expect(b.cuts).toEqual([]);
    expect(b.redactions).toBeUndefined();
  });

  it('why escalated: the primary trigger with the customer’s words, the others with theirs or the bot’s', () => {
    expect(b.whyEscalated.primary).toEqual({ id: 'customer_requested_human', label: 'Customer asked for a human', detail: 'customer_request', evidence: 'Let me talk to a person' });
    expect(b.whyEscalated.others.map((t) => t.id)).toEqual(['negative_sentiment', 'vip_account', 'low_bot_confidence']);
    expect(b.whyEscalated.others[2]).toMatchObject({ label: 'Low bot confidence', evidence: 'Here is how to cancel an order' });
  });

  it('sentiment: label, score, frustration, trend, trajectory and signals with evidence', () => {
    expect(b.sentiment).toMatchObject({
      label: 'negative',
      labelText: 'negative',
      score: '-0.71',
      frustration: '82%',
      trend: 'worsening',
      trendText: 'worsening',
      trajectory: 'neutral → very negative',
    });
    expect(b.sentiment.signals).toEqual([
      { id: 'all_caps', label: 'all caps', evidence: 'I CALLED' },
      { id: 'frustration_phrase', label: 'frustration', evidence: 'This is ridiculous' },
    ]);
  });

  it('tried: outcome, kind, the link as data, and the customer’s reaction', () => {
    expect(b.tried.items).toEqual([
      {
        kind: 'article',
        kindLabel: 'Article',
        outcome: 'rejected',
        outcomeLabel: 'REJECTED',
        what: { text: 'Cancel an order', url: 'https://help.example.com/cancel', live: false, titled: true },
        reaction: 'I CALLED and cancelled last week',
      },
    ]);
  });

  it('key facts, customer context (topic last), priority with factors, routing, opener, next steps, transcript', () => {
    expect(b.keyFacts.items[0]).toEqual({ kind: 'order_id', label: 'Order', value: '#A-10293' });
    expect(b.customer.rows.map((r) => [r.key, r.text])).toEqual([
      ['name', 'Sarah Johnson'],
      ['email', 'sarah@example.com'],
      ['tier', 'premium'],
      ['page', 'https://app.example.com/settings/billing'],
      ['channel', 'web_chat'],
      ['locale', 'en-US'],
      ['bot', 'Halo'],
      ['started', '2026-11-20 10:32 UTC'],
      ['requested', '2026-11-20 10:35 UTC'],
      ['topic', 'Cancellation (86%)'],
    ]);
    expect(b.priority).toMatchObject({ level: 'high', levelText: 'High', score: '72/100' });
    expect(b.priority.factors[0]).toBe('+25 tier: premium customer');
    expect(b.routing.rows.map((r) => r.key)).toEqual(['group', 'skills', 'language', 'rule']);
    expect(b.opener.text).toMatch(/^Hi Sarah/);
    expect(b.nextSteps.items).toHaveLength(3);
    expect(b.transcript.lines[0]).toEqual({ role: 'customer', roleLabel: 'Customer', time: '2026-11-20 10:32 UTC', text: 'I need to check on my cancellation' });
  });

  it('cuts and redactions, when there are some', () => {
    const r = sampleReport();
    r.cuts = { messagesTruncated: 1, charactersCut: 500, messagesDropped: 1501, degraded: { reason: 'time_budget', skipped: ['facts'] } };
    r.redactions = { total: 3, byKind: { password: 1, card_number: 2 } };
    const c = buildBriefing(r, SAMPLE_HANDOFF_ID);
    expect(c.cuts).toEqual([
      { key: 'cut', label: 'Long conversation', text: '1,501 messages and 500 characters were cut; the first 50 and last 450 messages are shown.' },
      { key: 'degraded', label: 'Analysed in a reduced form', text: 'the conversation was too long to analyse in full in time (skipped: facts).' },
    ]);
    expect(c.redactions).toEqual({ key: 'redactions', label: 'Redacted before analysis', text: '3 (card number ×2, password ×1)' });
  });

  it('contains no helpdesk markup: the report’s text is carried as it is, not escaped or linked', () => {
    const hostile = mapStrings(sampleReport(), (s) => `${s}<b>&amp;</b>{{x}} https://evil.example/`);
    const model = buildBriefing(hostile, SAMPLE_HANDOFF_ID);
    for (const [path, s] of strings(model)) {
      expect(s, path).not.toMatch(/&lt;|&amp;amp;|<a |\u200B|\{\u200B/);
    }
    expect(model.summary.text).toBe(hostile.summary.text);
    expect(model.transcript.lines[0]?.text).toBe(hostile.transcript[0]?.text);
    // The headings and labels are plain words from the table, no tags or Markdown.
    for (const [path, s] of strings(buildBriefing(sampleReport(), SAMPLE_HANDOFF_ID))) expect(s, path).not.toMatch(/<[a-z/]|\*\*|\]\(/i);
  });

  it('is pure: the same input gives an equal model and the report is not changed', () => {
    const r = sampleReport();
    const copy = structuredClone(r);
    const one = buildBriefing(r, SAMPLE_HANDOFF_ID, { locale: 'de' });
    expect(r).toEqual(copy);
    expect(strings(buildBriefing(r, SAMPLE_HANDOFF_ID, { locale: 'de' }))).toEqual(strings(one));
  });

  it('labels unknown ids readably', () => {
    const r = sampleReport() as unknown as { primaryTrigger: string; triggers: unknown[] };
    r.primaryTrigger = 'brand_new_trigger';
    r.triggers = [];
    expect(buildBriefing(r as never, 'x').whyEscalated.primary).toEqual({ id: 'brand_new_trigger', label: 'Brand new trigger' });
  });
});

describe('briefingLink', () => {
  it('is live only for an allow-listed, absolute http(s) URL without credentials', () => {
    expect(briefingLink({ text: 'Refunds', url: 'https://help.example.com/r', linkAllowed: true })).toEqual({
      text: 'Refunds',
      url: 'https://help.example.com/r',
      live: true,
      href: 'https://help.example.com/r',
      host: 'help.example.com',
      titled: true,
    });
    expect(briefingLink({ text: 'x', url: 'https://help.example.com/r' }).live).toBe(false);
    for (const url of ['javascript:alert(1)', '//evil.example/x', 'https://u:p@help.example.com/', 'data:text/html,x'])
      expect(briefingLink({ text: 'x', url, linkAllowed: true }).live, url).toBe(false);
    expect(briefingLink({ text: 'no url' })).toEqual({ text: 'no url', live: false, titled: false });
  });
});

describe('locales', () => {
  it('ships en, es, de, fr, pt-BR and ja', () => {
    expect([...BRIEFING_LOCALES].sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'pt-BR']);
  });

  it('falls back pt-BR → pt → en, and anything unknown to en', () => {
    expect(briefingLocaleChain('pt-BR')).toEqual(['pt-BR', 'en']);
    expect(briefingLocaleChain('pt-BR', ['en', 'pt', 'pt-BR'])).toEqual(['pt-BR', 'pt', 'en']);
    expect(briefingLocaleChain('pt')).toEqual(['pt-BR', 'en']);
    expect(briefingLocaleChain('pt_PT')).toEqual(['pt-BR', 'en']);
    expect(briefingLocaleChain('de-AT')).toEqual(['de', 'en']);
    expect(briefingLocaleChain('zz')).toEqual(['en']);
    expect(briefingLocaleChain(undefined)).toEqual(['en']);
    expect(buildBriefing(sampleReport(), 'x', { locale: 'pt-PT' }).summary.heading).toBe('Resumo');
    expect(buildBriefing(sampleReport(), 'x', { locale: 'ja-JP' }).summary.heading).toBe('要約');
    expect(buildBriefing(sampleReport(), 'x', { locale: 'xx-YY' }).summary.heading).toBe('Summary');
  });

  it('fills a key a locale leaves out from the next one in the chain, per nested key too', () => {
    const { wording } = wordingFor('ja');
    expect(wording.card.textCut).toBe(WORDING_EN.card.textCut);
    expect(wording.card.yes).toBe('はい、正確です');
  });

  it('words every enum value of the report in every locale, and formats numbers for the locale', () => {
    const enumTables: Array<[keyof BriefingWording, readonly string[]]> = [
      ['triggers', TRIGGER_IDS],
      ['sentimentLabels', SENTIMENT_LABELS],
      ['trends', SENTIMENT_TRENDS],
      ['signalLabels', SENTIMENT_SIGNALS],
      ['solutionKinds', SOLUTION_KINDS],
      ['outcomes', SOLUTION_OUTCOMES],
      ['factKinds', FACT_KINDS],
      ['priorityLevels', PRIORITY_LEVELS],
      ['roles', MESSAGE_ROLES],
    ];
    for (const locale of Object.keys(LOCALE_WORDING)) {
      const table = LOCALE_WORDING[locale] as Record<string, Record<string, string> | undefined>;
      for (const [key, ids] of enumTables) for (const id of ids) expect(table[key]?.[id], `${locale} ${key}.${id}`).toBeTruthy();
    }
    const r = sampleReport();
    r.cuts = { messagesTruncated: 0, charactersCut: 12_000, messagesDropped: 1_501 };
    const de = buildBriefing(r, 'x', { locale: 'de' });
    expect(de.sentiment.score).toBe('-0,71');
    expect(de.cuts[0]?.text).toBe('1.501 Nachrichten und 12.000 Zeichen wurden gekürzt; die ersten 50 und letzten 450 Nachrichten werden angezeigt.');
    expect(de.whyEscalated.primary.label).toBe('Kunde wollte einen Menschen sprechen');
  });

  it('uses the sidebar’s words for triggers, solution kinds, fact kinds, trends and roles in every other locale (no drift)', () => {
    const pairs: Array<[keyof BriefingWording, string]> = [
      ['triggers', 'trigger'],
      ['solutionKinds', 'solution.kind'],
      ['factKinds', 'facts.kind'],
      ['trends', 'sentiment.trend'],
      ['roles', 'transcript.role'],
    ];
    for (const locale of Object.keys(LOCALE_WORDING)) {
      const sidebar = JSON.parse(readFileSync(join(import.meta.dirname, '../../../translations', `${locale}.json`), 'utf8')) as { sidebar: Record<string, unknown> };
      for (const [ours, theirs] of pairs) {
        const table = theirs.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], sidebar.sidebar);
        expect((LOCALE_WORDING[locale] as Record<string, unknown>)[ours], `${locale} ${ours}`).toEqual(table);
      }
    }
  });
});
