import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createI18n, flattenKeys, localeChain, MissingTranslationError, SUPPORTED_LOCALES, TRANSLATIONS, type TranslationTree } from '../../../app/src/i18n/i18n.ts';

const dir = join(import.meta.dirname, '../../../translations');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TranslationTree;
const enKeys = flattenKeys(load('en.json')).sort();
const placeholders = (s: string) => (s.match(/\{\{\s*\w+\s*\}\}/g) ?? []).sort();
const valueOf = (tree: TranslationTree, key: string) => key.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)?.[k], tree) as string;

describe('translations', () => {
  it('ships en, es, de, fr, pt-BR and ja, and the app bundles each of them', () => {
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'pt-BR']);
    expect([...SUPPORTED_LOCALES].sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'pt-BR']);
  });

  it.each(files)('%s has exactly the keys of en.json, non-empty, with the same placeholders', (file) => {
    const tree = load(file);
    expect(flattenKeys(tree).sort()).toEqual(enKeys);
    const en = load('en.json');
    for (const key of enKeys) {
      const v = valueOf(tree, key);
      expect(typeof v === 'string' && v.trim().length > 0, `${file}: ${key}`).toBe(true);
      expect(placeholders(v), `${file}: ${key}`).toEqual(placeholders(valueOf(en, key)));
    }
  });

  it('has the marketplace keys a public app needs, and a label for every manifest parameter', () => {
    const manifest = JSON.parse(readFileSync(join(dir, '../manifest.json'), 'utf8')) as { parameters: Array<{ name: string }> };
    for (const file of files) {
      const i18n = createI18n(file.replace('.json', ''), { strict: true, translations: { [file.replace('.json', '')]: load(file) } });
      for (const k of ['app.name', 'app.short_description', 'app.long_description', 'app.installation_instructions']) expect(i18n.has(k), `${file} ${k}`).toBe(true);
      for (const p of manifest.parameters) {
        expect(i18n.has(`app.parameters.${p.name}.label`), `${file} ${p.name}.label`).toBe(true);
        expect(i18n.has(`app.parameters.${p.name}.helpText`), `${file} ${p.name}.helpText`).toBe(true);
      }
    }
  });

  it('translates every key the app uses for every enum value of the report', async () => {
    const { TRIGGER_IDS, SOLUTION_OUTCOMES, SOLUTION_KINDS, FACT_KINDS, SENTIMENT_LABELS, SENTIMENT_TRENDS, PRIORITY_LEVELS } = await import('../../../server/types/handoff-report.ts');
    const { MESSAGE_ROLES } = await import('../../../server/types/handoff-event.ts');
    const i18n = createI18n('en', { strict: true });
    const keys = [
      ...TRIGGER_IDS.map((x) => `sidebar.trigger.${x}`),
      ...SOLUTION_OUTCOMES.map((x) => `sidebar.solution.outcome.${x}`),
      ...SOLUTION_KINDS.map((x) => `sidebar.solution.kind.${x}`),
      ...FACT_KINDS.map((x) => `sidebar.facts.kind.${x}`),
      ...SENTIMENT_LABELS.map((x) => `sidebar.sentiment.label.${x}`),
      ...SENTIMENT_TRENDS.map((x) => `sidebar.sentiment.trend.${x}`),
      ...PRIORITY_LEVELS.map((x) => `sidebar.priority.level.${x}`),
      ...MESSAGE_ROLES.map((x) => `sidebar.transcript.role.${x}`),
    ];
    for (const k of keys) expect(i18n.has(k), k).toBe(true);
  });
});

describe('t()', () => {
  it('throws on a missing key in tests (strict mode is on under vitest)', () => {
    const i18n = createI18n('en');
    expect(() => i18n.t('sidebar.nope')).toThrow(MissingTranslationError);
    expect(createI18n('en', { strict: false }).t('sidebar.nope')).toBe('sidebar.nope');
  });

  it('interpolates {{params}}', () => {
    expect(createI18n('en').t('sidebar.facts.copy', { value: 'A-1' })).toBe('Copy A-1');
    expect(createI18n('de').t('sidebar.facts.copy', { value: 'A-1' })).toBe('A-1 kopieren');
  });

  it('falls back pt-BR → pt → en, per key', () => {
    expect(localeChain('pt-BR')).toEqual(['pt-BR', 'en']);
    expect(localeChain('pt-BR', ['en', 'pt', 'pt-BR'])).toEqual(['pt-BR', 'pt', 'en']);
    expect(localeChain('pt', ['en', 'pt-BR'])).toEqual(['pt-BR', 'en']);
    expect(localeChain('pt-PT')).toEqual(['pt-BR', 'en']);
    expect(localeChain('en-US')).toEqual(['en']);
    expect(localeChain('zz')).toEqual(['en']);
    expect(localeChain(undefined)).toEqual(['en']);
    const i18n = createI18n('pt-BR', {
      translations: { en: { a: 'en-a', b: 'en-b', c: 'en-c' }, pt: { a: 'pt-a', b: 'pt-b' }, 'pt-BR': { a: 'br-a' } },
    });
    expect([i18n.t('a'), i18n.t('b'), i18n.t('c')]).toEqual(['br-a', 'pt-b', 'en-c']);
    expect(createI18n('es-419').t('sidebar.retry')).toBe('Reintentar');
    expect(createI18n('ja').locale).toBe('ja');
    expect(Object.keys(TRANSLATIONS)).toContain('pt-BR');
  });
});
