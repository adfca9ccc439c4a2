/**
 * Which wording a briefing uses. The note's default is English (BRIEFING_DEFAULT_LOCALE); a caller picks
 * another by passing `{ locale }` to buildBriefing (later a tenant option). Unknown or partial locales fall
 * back key by key along the chain `pt-BR → pt → en` (the same rule as the sidebar's i18n).
 */
import { WORDING_EN, type BriefingWording, type PartialWording } from './wording.ts';
import { LOCALE_WORDING } from './wording-locales.ts';

export const BRIEFING_DEFAULT_LOCALE = 'en';

/** Locales with a wording table (English first). */
export const BRIEFING_LOCALES: readonly string[] = ['en', ...Object.keys(LOCALE_WORDING)];

/** `pt-BR` → [`pt-BR`, `en`] (no `pt` table is shipped); `pt` or `pt-PT` → [`pt-BR`, `en`]; unknown → [`en`]. */
export function briefingLocaleChain(requested: string | undefined, available: readonly string[] = BRIEFING_LOCALES): string[] {
  const out: string[] = [];
  const add = (l: string | undefined): void => {
    if (!l) return;
    const hit = available.find((a) => a.toLowerCase() === l.toLowerCase());
    if (hit && !out.includes(hit)) out.push(hit);
  };
  const req = String(requested ?? '').replace('_', '-').trim();
  if (req) {
    add(req);
    const lang = req.split('-')[0] ?? '';
    add(lang);
    // A bare language, or another region of it, falls back to the region we ship (pt-PT → pt-BR).
    for (const a of available) if (lang && a.toLowerCase().startsWith(`${lang.toLowerCase()}-`)) add(a);
  }
  add(BRIEFING_DEFAULT_LOCALE);
  return out;
}

const cache = new Map<string, BriefingWording>();

/** The complete wording for a locale: each key from the first table of the chain that has it. */
export function wordingFor(requested: string | undefined): { locale: string; wording: BriefingWording } {
  const chain = briefingLocaleChain(requested);
  const locale = chain[0] ?? BRIEFING_DEFAULT_LOCALE;
  const key = chain.join('>');
  let wording = cache.get(key);
  if (!wording) {
    const tables: PartialWording[] = chain.map((l) => (l === 'en' ? WORDING_EN : (LOCALE_WORDING[l] ?? {})));
    wording = mergeWording(tables);
    cache.set(key, wording);
  }
  return { locale, wording };
}

function mergeWording(tables: PartialWording[]): BriefingWording {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(WORDING_EN) as Array<keyof BriefingWording>) {
    const en = WORDING_EN[k];
    if (typeof en === 'object' && en !== null) {
      const merged: Record<string, unknown> = {};
      for (const sub of Object.keys(en)) {
        for (const t of tables) {
          const v = (t[k] as Record<string, unknown> | undefined)?.[sub];
          if (v !== undefined) {
            merged[sub] = v;
            break;
          }
        }
      }
      out[k] = merged;
    } else {
      out[k] = tables.find((t) => t[k] !== undefined)?.[k];
    }
  }
  return out as unknown as BriefingWording;
}
