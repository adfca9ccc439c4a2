/**
 * Feature extraction shared by the trainer (scripts/train-models.ts) and the runtime, so both see the
 * exact same features. Words and bigrams; for sentiment also negation-scoped words and lexicon scores.
 */
import type { Features, LinearModel } from './linear-model.ts';
import { lexiconScore, type LexiconScore } from './lexicon-score.ts';
import { Interner } from './interner.ts';
import { wordIds, words } from './text.ts';

const NEGATION_WORDS = new Set(['not', 'no', 'never', 'nothing', 'cannot', 'cant', 'dont', 'without', 'nobody', 'none']);

function isNeg(w: string): boolean {
  return NEGATION_WORDS.has(w) || w.endsWith("n't");
}

/** Unigrams and bigrams with sentence start/end markers; what the topic and human-request models read. */
export function intentFeatures(text: string): Features {
  const f: Features = new Map();
  for (const k of intentKeys(words(text))) f.set(k, 1);
  return f;
}

/**
 * The names of intentFeatures() (all valued 1), each once, in first-seen order, from words() tokens. The
 * runtime scores these directly (linear-model.ts logitsOfKeys), so one message's features serve both the
 * topic and the human-request model.
 */
export function intentKeys(ws: readonly string[]): string[] {
  const seen = new Set<string>();
  let prev = '<s>';
  for (const w of ws) {
    seen.add(`w:${w}`);
    seen.add(`b:${prev}_${w}`);
    prev = w;
  }
  if (ws.length > 0) seen.add(`b:${prev}_</s>`);
  return [...seen];
}

/** Character n-grams are hashed into this many buckets (feature names "h:<bucket>"). */
export const CHAR_BUCKETS = 1 << 18;

/**
 * Character 3- to 5-grams of each word with boundary marks ("<car", "ard>"), which carry the evidence
 * across inflections and typos ("charged"/"charges", "recieve"), hashed (FNV-1a) into CHAR_BUCKETS
 * buckets: no string is built per n-gram. Distinct buckets, in first-seen order.
 */
export function charGramBuckets(ws: readonly string[]): number[] {
  // Dedupe with a generation stamp per bucket instead of a Set: no allocation per n-gram.
  const stamp = nextStamp();
  const out: number[] = [];
  for (const w of ws) {
    const len = w.length + 2;
    for (let i = 0; i + 3 <= len; i++) {
      let h = 0x811c9dc5;
      for (let j = i; j < len && j - i < 5; j++) {
        h ^= j === 0 ? 60 : j === len - 1 ? 62 : w.charCodeAt(j - 1);
        h = Math.imul(h, 0x01000193);
        if (j - i >= 2) {
          const b = (h >>> 0) & (CHAR_BUCKETS - 1);
          if (seenAt[b] !== stamp) {
            seenAt[b] = stamp;
            out.push(b);
          }
        }
      }
    }
  }
  return out;
}

/** Scratch space for charGramBuckets (which bucket was seen in the current call); holds no results. */
let seenAt: Int32Array = new Int32Array(0);
let stampCounter = 0;
function nextStamp(): number {
  if (seenAt.length === 0 || stampCounter >= 0x7fffffff) {
    seenAt = new Int32Array(CHAR_BUCKETS);
    stampCounter = 0;
  }
  return ++stampCounter;
}

/**
 * Value of each character n-gram feature (the word features are 1): at half weight they refine rather
 * than outvote the words. Chosen by 4-fold CV inside the tune split among 0.3, 0.5 and 1.
 */
export const CHAR_GRAM_VALUE = 0.5;

/** Topic features: intentFeatures() plus the hashed character n-grams ("h:<bucket>", CHAR_GRAM_VALUE). */
export function topicFeatures(text: string): Features {
  const ws = words(text);
  const f: Features = new Map();
  for (const k of intentKeys(ws)) f.set(k, 1);
  for (const b of charGramBuckets(ws)) f.set(`h:${b}`, CHAR_GRAM_VALUE);
  return f;
}

/**
 * Sentiment features: words (marked "neg:" inside a three-word negation scope), bigrams, and the
 * rule-based lexicon scores as dense values so the model can lean on them for unseen words.
 */
export function sentimentFeatures(text: string, ws: readonly string[] = words(text)): Features {
  const f: Features = new Map();
  let scope = 0;
  let prev = '<s>';
  for (const w of ws) {
    f.set(scope > 0 ? `neg:${w}` : `w:${w}`, 1);
    f.set(`b:${prev}_${w}`, 1);
    prev = w;
    if (isNeg(w)) scope = 3;
    else if (scope > 0) scope--;
  }
  const lex = lexiconScore(text);
  f.set('lex:compound', lex.compound * 2);
  f.set('lex:pos', Math.min(lex.pos, 8) / 2);
  f.set('lex:neg', Math.max(lex.neg, -8) / 2);
  let maxPos = 0;
  let minNeg = 0;
  for (const h of lex.hits) {
    maxPos = Math.max(maxPos, h.valence);
    minNeg = Math.min(minNeg, h.valence);
    // Lexicon polarity of each hit, so unseen words still carry their lexicon sign.
    f.set(h.valence > 0 ? 'lex:hit_pos' : 'lex:hit_neg', (f.get(h.valence > 0 ? 'lex:hit_pos' : 'lex:hit_neg') ?? 0) + 1);
  }
  f.set('lex:max_pos', maxPos / 2);
  f.set('lex:min_neg', minNeg / 2);
  if (lex.compound >= 0.05) f.set('lex:is_pos', 1);
  else if (lex.compound <= -0.05) f.set('lex:is_neg', 1);
  else f.set('lex:is_zero', 1);
  const bangs = (text.match(/!/g) ?? []).length;
  if (bangs > 0) f.set('x:bang', Math.min(bangs, 3));
  if (/\?/.test(text)) f.set('x:question', 1);
  if (/\b[A-Z]{3,}\b/.test(text)) f.set('x:caps', 1);
  return f;
}

/**
 * The runtime reads the word features above without building a feature name per token: each model's word
 * features are indexed by word ("w:", "neg:") and by word pair ("b:"), and the rows are summed in the order
 * the feature map would list them (first occurrence), each row once, so the logits are bit-identical to
 * logits(model, intentFeatures(text)) and logits(model, sentimentFeatures(text)) (test/unit/analysis).
 * Tokens never contain "_" (words() keeps letters, digits and apostrophes), so "b:<prev>_<word>" splits at its
 * first "_" after the prefix.
 */
interface WordEntry {
  /** Row of "w:<word>", -1 when absent. */
  word: number;
  /** Row of "neg:<word>", -1 when absent. */
  neg: number;
  /** Rows of "b:<word>_<next>" by next word. */
  next: Map<string, number> | undefined;
  isNeg: boolean;
}
interface WordRows {
  entries: Map<string, WordEntry>;
  /** Which rows the current sum has added (generation stamp per row): scratch, holds no results. */
  seen: Int32Array;
  stamp: number;
}
const wordRowsCache = new WeakMap<LinearModel, WordRows>();
function wordRows(m: LinearModel): WordRows {
  let r = wordRowsCache.get(m);
  if (r) return r;
  const entries = new Map<string, WordEntry>();
  const entry = (w: string): WordEntry => {
    let e = entries.get(w);
    if (!e) entries.set(w, (e = { word: -1, neg: -1, next: undefined, isNeg: isNeg(w) }));
    return e;
  };
  for (const [name, row] of m.index) {
    if (name.startsWith('w:')) entry(name.slice(2)).word = row;
    else if (name.startsWith('neg:')) entry(name.slice(4)).neg = row;
    else if (name.startsWith('b:')) {
      const cut = name.indexOf('_', 2);
      if (cut < 0) continue;
      const e = entry(name.slice(2, cut));
      (e.next ??= new Map()).set(name.slice(cut + 1), row);
    }
  }
  r = { entries, seen: new Int32Array(m.index.size), stamp: 0 };
  wordRowsCache.set(m, r);
  return r;
}

function nextWordStamp(r: WordRows): number {
  if (r.stamp >= 0x7fffffff) {
    r.seen.fill(0);
    r.stamp = 0;
  }
  return ++r.stamp;
}

/** z += the weights of `row`, unless this sum (stamp) already added it. */
function addRow(z: Float64Array, weights: Float64Array, k: number, seen: Int32Array, stamp: number, row: number | undefined): void {
  if (row === undefined || row < 0 || seen[row] === stamp) return;
  seen[row] = stamp;
  const off = row * k;
  for (let c = 0; c < k; c++) z[c]! += weights[off + c]!;
}

/**
 * Per-analysis word ids (memo.ts): each distinct word gets a small integer, and the scorers below find a
 * word's entry in a model once per analysis (by id, in an array) instead of once per occurrence (by string).
 */
export class WordTable {
  readonly interner = new Interner();
  /** Word by id. */
  readonly words: readonly string[] = this.interner.strings;
  /** Per model: what is known of its rows by word id. */
  private readonly byModel = new Map<LinearModel, ModelIds>();

  /** The ids of words(text), in order. */
  idsOf(text: string): Int32Array {
    return wordIds(text, this.interner);
  }

  /** m's rows by word id, filled as words and word pairs are met. */
  entriesFor(m: LinearModel): ModelIds {
    let e = this.byModel.get(m);
    if (!e) this.byModel.set(m, (e = { entries: [], next: [] }));
    return e;
  }
}

/** One model's rows by word id, for one analysis. */
interface ModelIds {
  /** WordEntry by word id (an entry without rows when the model has none); undefined until looked up. */
  entries: (WordEntry | undefined)[];
  /** Row of "b:<word>_<next>" (-1: none) by the word's id, then the next word's id; filled as pairs are met. */
  next: (Map<number, number> | undefined)[];
}

/** The row of the pair (prev, id) in the model (-1: none); prev's entry has bigram rows. */
function pairRow(cache: ModelIds, prev: number, prevEntry: WordEntry, id: number, words: readonly string[]): number {
  // Before the first word ("<s>"), once per text: looked up by name.
  if (prev < 0) return prevEntry.next!.get(words[id]!) ?? -1;
  let byNext = cache.next[prev];
  if (!byNext) cache.next[prev] = byNext = new Map();
  let row = byNext.get(id);
  if (row === undefined) {
    row = prevEntry.next!.get(words[id]!) ?? -1;
    byNext.set(id, row);
  }
  return row;
}

/** The entry of word id `id` in r (rowless when r has none), cached in `cache`. */
function entryById(cache: ModelIds, r: WordRows, table: WordTable, id: number): WordEntry {
  let e = cache.entries[id];
  if (e === undefined) {
    const w = table.words[id]!;
    e = r.entries.get(w) ?? { word: -1, neg: -1, next: undefined, isNeg: isNeg(w) };
    cache.entries[id] = e;
  }
  return e;
}

/** Word ids of ws in a WordTable, for the scorers' id path. */
export interface WordIds {
  table: WordTable;
  ids: Int32Array;
}

/** intentLogits over word ids: same rows, same order, so the same logits. */
function intentLogitsById(m: LinearModel, r: WordRows, { table, ids }: WordIds): Float64Array {
  const stamp = nextWordStamp(r);
  const { seen } = r;
  const cache = table.entriesFor(m);
  const words = table.words;
  const k = m.classes.length;
  const weights = m.weights;
  const z = Float64Array.from(m.bias);
  // Ids are >= 0: -1 stands for "<s>", -2 for the empty "before".
  let prev = -1;
  let prevEntry = r.entries.get('<s>');
  let before = -2;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === prev && prev === before) continue;
    const e = id === prev ? prevEntry! : entryById(cache, r, table, id);
    addRow(z, weights, k, seen, stamp, e.word);
    if (prevEntry?.next) addRow(z, weights, k, seen, stamp, pairRow(cache, prev, prevEntry, id, words));
    before = prev;
    prev = id;
    prevEntry = e;
  }
  if (ids.length > 0) addRow(z, weights, k, seen, stamp, prevEntry?.next?.get('</s>'));
  return z;
}

/** logits(m, intentFeatures(text)) from ws = words(text); `byId` (the ids of ws) when the caller has them. */
export function intentLogits(m: LinearModel, ws: readonly string[], byId?: WordIds): Float64Array {
  return byId ? intentLogitsOfIds(m, byId) : intentLogitsOfWords(m, ws);
}

/** intentLogits from the word ids alone (no word list needed). */
export function intentLogitsOfIds(m: LinearModel, byId: WordIds): Float64Array {
  return intentLogitsById(m, wordRows(m), byId);
}

function intentLogitsOfWords(m: LinearModel, ws: readonly string[]): Float64Array {
  const r = wordRows(m);
  const stamp = nextWordStamp(r);
  const { seen, entries } = r;
  const k = m.classes.length;
  const weights = m.weights;
  const z = Float64Array.from(m.bias);
  let prev = '<s>';
  let prevEntry = entries.get(prev);
  let before = '';
  for (const w of ws) {
    // The same word after the same word adds the same two features again: nothing new.
    if (w === prev && prev === before) continue;
    const e = w === prev ? prevEntry : entries.get(w);
    if (e) addRow(z, weights, k, seen, stamp, e.word);
    addRow(z, weights, k, seen, stamp, prevEntry?.next?.get(w));
    before = prev;
    prev = w;
    prevEntry = e;
  }
  if (ws.length > 0) addRow(z, weights, k, seen, stamp, prevEntry?.next?.get('</s>'));
  return z;
}

/**
 * logits(m, sentimentFeatures(text, ws)). `ws` (words(text)) and `lex` (lexiconScore(text)) when the caller has
 * them; with `byId` (the ids of words(text)) the word list is not read.
 */
export function sentimentLogits(
  m: LinearModel,
  text: string,
  ws?: readonly string[],
  lex?: LexiconScore,
  byId?: WordIds,
): Float64Array {
  const r = wordRows(m);
  // With word ids, the word list is not read (callers need not build it).
  const z = byId ? sentimentWordLogitsById(m, r, byId) : sentimentWordLogits(m, r, ws ?? words(text));
  addSentimentDense(m, z, text, lex ?? lexiconScore(text));
  return z;
}

/** The bias plus the word and bigram rows of sentimentFeatures(), over word ids (same rows, same order). */
function sentimentWordLogitsById(m: LinearModel, r: WordRows, { table, ids }: WordIds): Float64Array {
  const stamp = nextWordStamp(r);
  const { seen } = r;
  const cache = table.entriesFor(m);
  const words = table.words;
  const k = m.classes.length;
  const weights = m.weights;
  const z = Float64Array.from(m.bias);
  let scope = 0;
  // Ids are >= 0: -1 stands for "<s>", -2 for the empty "before".
  let prev = -1;
  let prevEntry = r.entries.get('<s>');
  let before = -2;
  let beforeScoped = false;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const scoped = scope > 0;
    const same = id === prev;
    const e = same ? prevEntry! : entryById(cache, r, table, id);
    // The same word after the same word, in the same negation state, adds the same two features again.
    if (!(same && prev === before && scoped === beforeScoped)) {
      addRow(z, weights, k, seen, stamp, scoped ? e.neg : e.word);
      if (prevEntry?.next) addRow(z, weights, k, seen, stamp, pairRow(cache, prev, prevEntry, id, words));
    }
    before = prev;
    beforeScoped = scoped;
    prev = id;
    prevEntry = e;
    if (e.isNeg) scope = 3;
    else if (scope > 0) scope--;
  }
  return z;
}

/** The bias plus the word and bigram rows of sentimentFeatures(), in the order it lists them. */
function sentimentWordLogits(m: LinearModel, r: WordRows, ws: readonly string[]): Float64Array {
  const stamp = nextWordStamp(r);
  const { seen, entries } = r;
  const k = m.classes.length;
  const weights = m.weights;
  const z = Float64Array.from(m.bias);
  let scope = 0;
  let prev = '<s>';
  let prevEntry = entries.get(prev);
  let before = '';
  let beforeScoped = false;
  for (const w of ws) {
    const scoped = scope > 0;
    const same = w === prev;
    const e = same ? prevEntry : entries.get(w);
    const neg = e ? e.isNeg : isNeg(w);
    // The same word after the same word, in the same negation state, adds the same two features again.
    if (!(same && prev === before && scoped === beforeScoped)) {
      if (e) addRow(z, weights, k, seen, stamp, scoped ? e.neg : e.word);
      addRow(z, weights, k, seen, stamp, prevEntry?.next?.get(w));
    }
    before = prev;
    beforeScoped = scoped;
    prev = w;
    prevEntry = e;
    if (neg) scope = 3;
    else if (scope > 0) scope--;
  }
  return z;
}

/** z += the weights of dense feature `name` times value. */
function dense(m: LinearModel, z: Float64Array, name: string, value: number): void {
  const row = m.index.get(name);
  if (row === undefined) return;
  const k = m.classes.length;
  const weights = m.weights;
  const off = row * k;
  for (let c = 0; c < k; c++) z[c]! += weights[off + c]! * value;
}

/** The dense features, valued and ordered as sentimentFeatures() sets them. */
function addSentimentDense(m: LinearModel, z: Float64Array, text: string, lex: LexiconScore): void {
  dense(m, z, 'lex:compound', lex.compound * 2);
  dense(m, z, 'lex:pos', Math.min(lex.pos, 8) / 2);
  dense(m, z, 'lex:neg', Math.max(lex.neg, -8) / 2);
  let maxPos = 0;
  let minNeg = 0;
  let hitPos = 0;
  let hitNeg = 0;
  for (const h of lex.hits) {
    maxPos = Math.max(maxPos, h.valence);
    minNeg = Math.min(minNeg, h.valence);
    if (h.valence > 0) hitPos++;
    else hitNeg++;
  }
  // Each of the two counts sits where its first hit put it.
  const first = lex.hits[0];
  if (first && first.valence > 0) {
    dense(m, z, 'lex:hit_pos', hitPos);
    if (hitNeg > 0) dense(m, z, 'lex:hit_neg', hitNeg);
  } else if (first) {
    dense(m, z, 'lex:hit_neg', hitNeg);
    if (hitPos > 0) dense(m, z, 'lex:hit_pos', hitPos);
  }
  dense(m, z, 'lex:max_pos', maxPos / 2);
  dense(m, z, 'lex:min_neg', minNeg / 2);
  if (lex.compound >= 0.05) dense(m, z, 'lex:is_pos', 1);
  else if (lex.compound <= -0.05) dense(m, z, 'lex:is_neg', 1);
  else dense(m, z, 'lex:is_zero', 1);
  let bangs = 0;
  for (let i = text.indexOf('!'); i >= 0; i = text.indexOf('!', i + 1)) bangs++;
  if (bangs > 0) dense(m, z, 'x:bang', Math.min(bangs, 3));
  if (text.includes('?')) dense(m, z, 'x:question', 1);
  if (/\b[A-Z]{3,}\b/.test(text)) dense(m, z, 'x:caps', 1);
}
