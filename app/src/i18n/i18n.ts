/**
 * Translations live in /translations/<locale>.json (the ZAF package's own translation files: the
 * marketplace keys under "app", the sidebar's strings under "sidebar"). `t()` looks a key up along the
 * locale chain (pt-BR → pt → en); in strict mode (tests) a key missing from en throws.
 */
import en from '../../../translations/en.json';
import es from '../../../translations/es.json';
import de from '../../../translations/de.json';
import fr from '../../../translations/fr.json';
import ptBR from '../../../translations/pt-BR.json';
import ja from '../../../translations/ja.json';

export type TranslationTree = { [key: string]: string | TranslationTree };

export const TRANSLATIONS: Readonly<Record<string, TranslationTree>> = {
  en,
  es,
  de,
  fr,
  'pt-BR': ptBR,
  ja,
};

export const DEFAULT_LOCALE = 'en';
export const SUPPORTED_LOCALES = Object.keys(TRANSLATIONS);

export class MissingTranslationError extends Error {
  override name = 'MissingTranslationError';
}

/** `pt-BR` → [`pt-BR`, `pt`, `en`]; `pt` → [`pt`, `pt-BR`, `en`] (the region we ship); unknown → [`en`]. */
export function localeChain(requested: string | undefined, available: readonly string[] = SUPPORTED_LOCALES): string[] {
  const out: string[] = [];
  const add = (l: string | undefined) => {
    if (!l) return;
    const hit = available.find((a) => a.toLowerCase() === l.toLowerCase());
    if (hit && !out.includes(hit)) out.push(hit);
  };
  const req = (requested ?? '').replace('_', '-').trim();
  if (req) {
    add(req);
    const lang = req.split('-')[0];
    add(lang);
    // A bare language (or another region of it) falls back to the region we ship, e.g. pt-PT → pt-BR.
    for (const a of available) if (lang && a.toLowerCase().startsWith(`${lang.toLowerCase()}-`)) add(a);
  }
  add(DEFAULT_LOCALE);
  return out;
}

function lookup(tree: TranslationTree | undefined, key: string): string | undefined {
  let node: string | TranslationTree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export type Params = Record<string, string | number>;

export interface I18n {
  locale: string;
  /** BCP-47 tag for Intl formatting (the requested locale when we have its language). */
  intlLocale: string;
  t(key: string, params?: Params): string;
  has(key: string): boolean;
}

function isTestEnv(): boolean {
  try {
    return (import.meta as { env?: { MODE?: string } }).env?.MODE === 'test';
  } catch {
    return false;
  }
}

export function createI18n(requested: string | undefined, opts: { strict?: boolean; translations?: Record<string, TranslationTree> } = {}): I18n {
  const translations = opts.translations ?? TRANSLATIONS;
  const chain = localeChain(requested, Object.keys(translations));
  const strict = opts.strict ?? isTestEnv();
  const locale = chain[0] ?? DEFAULT_LOCALE;
  const find = (key: string) => {
    for (const l of chain) {
      const v = lookup(translations[l], key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  return {
    locale,
    intlLocale: requested && requested.split('-')[0]?.toLowerCase() === locale.split('-')[0]?.toLowerCase() ? requested : locale,
    has: (key) => find(key) !== undefined,
    t(key, params) {
      const raw = find(key);
      if (raw === undefined) {
        if (strict) throw new MissingTranslationError(`Missing translation key "${key}" (locales tried: ${chain.join(', ')})`);
        return key;
      }
      if (!params) return raw;
      return raw.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
    },
  };
}

/** Every leaf key of a translation tree, dotted. */
export function flattenKeys(tree: TranslationTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : flattenKeys(v, `${prefix}${k}.`)));
}
