/**
 * Small text helpers shared by every part of the engine. Pure, locale-agnostic, browser-safe.
 */

/** Curly quotes and odd apostrophes break contraction matching ("don’t"), so fold them first. */
const QUOTES_RE = /[\u2018\u2019\u201B\u2032`´\u201C\u201D\u201E\u2033]/;
export function normalizeQuotes(text: string): string {
  // Most text has no odd quotes: one scan instead of two replaces.
  if (!QUOTES_RE.test(text)) return text;
  return text.replace(/[\u2018\u2019\u201B\u2032`´]/g, "'").replace(/[\u201C\u201D\u201E\u2033]/g, '"');
}

/** Lower-cased word tokens (letters, digits, inner apostrophes), Unicode-aware so es/de/fr/pt work too. */
const WORD_RE = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
export function words(text: string): string[] {
  const out: string[] = [];
  const re = WORD_RE;
  re.lastIndex = 0;
  const src = normalizeQuotes(text).toLowerCase();
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) out.push(m[0]);
  return out;
}

/** Strip accents so "qué"/"que" and "échanger"/"echanger" match the same patterns. */
const NON_ASCII_RE = /[\u0080-\uffff]/;
export function foldAccents(text: string): string {
  // NFD leaves ASCII unchanged, so plain ASCII text (most of it) skips the normalisation.
  if (!NON_ASCII_RE.test(text)) return text;
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Sentences, keeping their terminal punctuation; good enough for chat turns. */
export function sentences(text: string): string[] {
  // Split only where punctuation is followed by a space, so "$49.99" and "v2.1" stay whole.
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?…])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Shorten for display, cutting on a word boundary. */
export function clip(text: string, max = 140): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/(?<![\s,;:.-])[\s,;:.-]+$/, '')}…`;
}

/** An excerpt centred on a match inside `text` (evidence shown to agents). */
export function excerptAround(text: string, start: number, end: number, max = 120): string {
  const t = text;
  if (t.length <= max) return t.replace(/\s+/g, ' ').trim();
  const room = Math.max(0, max - (end - start));
  let from = Math.max(0, start - Math.floor(room / 2));
  const to = Math.min(t.length, from + max);
  from = Math.max(0, to - max);
  const pre = from > 0 ? '…' : '';
  const post = to < t.length ? '…' : '';
  return `${pre}${t.slice(from, to).replace(/\s+/g, ' ').trim()}${post}`;
}

/** Jaccard similarity of two token sets; used to notice a customer repeating or rephrasing. */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return jaccardSets(new Set(a), new Set(b));
}

/** jaccard() on token sets built once (callers comparing one turn against many keep the sets). */
export function jaccardSets(sa: ReadonlySet<string>, sb: ReadonlySet<string>): number {
  if (sa.size === 0 || sb.size === 0) return 0;
  let inter = 0;
  for (const w of sa) if (sb.has(w)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/** Primary language subtag of a BCP-47 tag ("pt-BR" -> "pt"), lower-cased; "en" when absent. */
export function languageOf(locale: string | undefined): string {
  const lang = (locale ?? '').split(/[-_]/)[0]?.toLowerCase();
  return lang && /^[a-z]{2,3}$/.test(lang) ? lang : 'en';
}

/** Milliseconds between two ISO times, or undefined when either is missing/invalid. */
export function msBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isFinite(a) && Number.isFinite(b) ? b - a : undefined;
}

/** Stable 32-bit FNV-1a hash; used for the held-out split and anywhere we need determinism without crypto. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
