/**
 * Small text helpers shared by every part of the engine. Pure, locale-agnostic, browser-safe.
 */
import type { Interner } from './interner.ts';

/** Curly quotes and odd apostrophes break contraction matching ("don’t"), so fold them first. */
const QUOTES_RE = /[\u2018\u2019\u201B\u2032`´\u201C\u201D\u201E\u2033]/;
export function normalizeQuotes(text: string): string {
  // Most text has no odd quotes: one scan instead of two replaces.
  if (!QUOTES_RE.test(text)) return text;
  return text.replace(/[\u2018\u2019\u201B\u2032`´]/g, "'").replace(/[\u201C\u201D\u201E\u2033]/g, '"');
}

/**
 * Lower-cased word tokens (letters, digits, inner apostrophes), Unicode-aware so es/de/fr/pt work too: the
 * matches of WORD_RE in the lower-cased text. words() finds exactly these with a character scan (no match
 * object per token; every analysis step reads its tokens); wordsByRegex() is the reference it is tested against.
 */
const WORD_RE = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
export function wordsByRegex(text: string): string[] {
  return normalizeQuotes(text).toLowerCase().match(WORD_RE) ?? [];
}

/** Character classes for the scan: 1 letter (\p{L}), 2 number (\p{N}), 3 neither; 0 not yet known. */
const LETTER_RE = /^\p{L}$/u;
const NUMBER_RE = /^\p{N}$/u;
const BMP_CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) BMP_CLASS[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : c >= 48 && c <= 57 ? 2 : 3;
function classOf(cp: number): number {
  if (cp < 0x10000) {
    const k = BMP_CLASS[cp]!;
    if (k !== 0) return k;
  }
  const s = String.fromCodePoint(cp);
  const k = LETTER_RE.test(s) ? 1 : NUMBER_RE.test(s) ? 2 : 3;
  if (cp < 0x10000) BMP_CLASS[cp] = k;
  return k;
}

/** The code point at i (a surrogate pair read as one, as the u flag does). */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** Token bounds found by scanWords: start and end of token k at 2k and 2k + 1. Scratch; holds no text. */
let bounds = new Int32Array(512);

/** The words() tokens of src (normalised and lower-cased) into bounds; returns how many. */
function scanWords(src: string): number {
  const n = src.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    let cp = codePointAt(src, i);
    let k = classOf(cp);
    if (k === 3) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    // [\p{L}\p{N}]+
    do {
      i += cp > 0xffff ? 2 : 1;
      if (i >= n) break;
      cp = codePointAt(src, i);
      k = classOf(cp);
    } while (k !== 3);
    // (?:'[\p{L}]+)*: an apostrophe counts only when a letter follows it.
    while (i + 1 < n && src.charCodeAt(i) === 39) {
      let j = i + 1;
      cp = codePointAt(src, j);
      if (classOf(cp) !== 1) break;
      do {
        j += cp > 0xffff ? 2 : 1;
        if (j >= n) break;
        cp = codePointAt(src, j);
      } while (classOf(cp) === 1);
      i = j;
    }
    if (2 * count + 2 > bounds.length) {
      const grown = new Int32Array(bounds.length * 2);
      grown.set(bounds);
      bounds = grown;
    }
    bounds[2 * count] = start;
    bounds[2 * count + 1] = i;
    count++;
  }
  return count;
}

export function words(text: string): string[] {
  const src = normalizeQuotes(text).toLowerCase();
  const n = scanWords(src);
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(src.slice(bounds[2 * k]!, bounds[2 * k + 1]!));
  return out;
}

/** The words() tokens of text as ids in `interner` (a token already seen is not built again). */
export function wordIds(text: string, interner: Interner): Int32Array {
  const src = normalizeQuotes(text).toLowerCase();
  const n = scanWords(src);
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = interner.idOf(src, bounds[2 * k]!, bounds[2 * k + 1]!);
  return out;
}

/** Strip accents so "qué"/"que" and "échanger"/"echanger" match the same patterns. */
const NON_ASCII_RE = /[\u0080-\uffff]/;
export function foldAccents(text: string): string {
  // NFD leaves ASCII unchanged, so plain ASCII text (most of it) skips the normalisation.
  if (!NON_ASCII_RE.test(text)) return text;
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** What /\s/ matches (ECMAScript WhiteSpace and LineTerminator, which is also what trim() removes). */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * text.replace(/\s+/g, ' ').trim(). Most text is already so inside (single spaces between words) and at
 * most has white space at its ends: one scan proves it and returns the text, or the slice between its
 * ends, with no replace.
 */
export function collapseSpaces(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && isSpaceCode(text.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(text.charCodeAt(b - 1))) b--;
  // Inside [a, b): every white space must be a lone ' ' (the ends are not white space).
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (text.charCodeAt(i + 1) === 32 || isSpaceCode(text.charCodeAt(i + 1))) return text.replace(/\s+/g, ' ').trim();
    } else if ((c <= 32 || c >= 0xa0) && isSpaceCode(c)) return text.replace(/\s+/g, ' ').trim();
  }
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

/** Sentences, keeping their terminal punctuation; good enough for chat turns. */
export function sentences(text: string): string[] {
  // Split only where punctuation is followed by a space, so "$49.99" and "v2.1" stay whole. The same as
  // collapseSpaces(text).split(/(?<=[.!?…])\s+/) without empty pieces: after collapsing, every white space
  // is one ' ' between two other characters, so no piece needs trimming and only an empty text gives "".
  const t = collapseSpaces(text);
  const out: string[] = [];
  if (t.length === 0) return out;
  let start = 0;
  for (let i = t.indexOf(' '); i >= 0; i = t.indexOf(' ', i + 1)) {
    const p = t.charCodeAt(i - 1);
    if (p === 46 || p === 33 || p === 63 || p === 0x2026) {
      out.push(t.slice(start, i));
      start = i + 1;
    }
  }
  out.push(t.slice(start));
  return out;
}

/** Shorten for display, cutting on a word boundary. */
export function clip(text: string, max = 140): string {
  const t = collapseSpaces(text);
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/(?<![\s,;:.-])[\s,;:.-]+$/, '')}…`;
}

/** An excerpt centred on a match inside `text` (evidence shown to agents). */
export function excerptAround(text: string, start: number, end: number, max = 120): string {
  const t = text;
  if (t.length <= max) return collapseSpaces(t);
  const room = Math.max(0, max - (end - start));
  let from = Math.max(0, start - Math.floor(room / 2));
  const to = Math.min(t.length, from + max);
  from = Math.max(0, to - max);
  const pre = from > 0 ? '…' : '';
  const post = to < t.length ? '…' : '';
  return `${pre}${collapseSpaces(t.slice(from, to))}${post}`;
}

/** Jaccard similarity of two token sets; used to notice a customer repeating or rephrasing. */
export function jaccard<T>(a: ArrayLike<T> & Iterable<T>, b: ArrayLike<T> & Iterable<T>): number {
  if (a.length === 0 || b.length === 0) return 0;
  return jaccardSets(new Set(a), new Set(b));
}

/** jaccard() on token sets built once (callers comparing one turn against many keep the sets). */
export function jaccardSets<T>(sa: ReadonlySet<T>, sb: ReadonlySet<T>): number {
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
