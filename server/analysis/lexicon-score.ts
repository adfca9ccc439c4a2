/**
 * Rule-based valence scorer in the style of VADER (Hutto & Gilbert, 2014): a word lexicon plus rules for
 * negation, intensifiers, "but", ALL CAPS emphasis and "!"/"?". Its output feeds the trained sentiment model
 * as dense features and gives per-word evidence. The lexicon (models/sentiment-lexicon.json) is VADER's,
 * exported by scripts/train-models.ts, with support-domain overrides from support-lexicon.ts.
 */
import lexiconJson from './models/sentiment-lexicon.json' with { type: 'json' };
import { SUPPORT_LEXICON_OVERRIDES } from './support-lexicon.ts';
import { Interner, INTERNER_HASH_PRIME, INTERNER_HASH_SEED } from './interner.ts';
import { isSpaceCode as isSpace, normalizeQuotes } from './text.ts';

interface LexiconJson {
  words: string[];
  values: number[];
}

let lexicon: Map<string, number> | undefined;
function getLexicon(): Map<string, number> {
  if (lexicon) return lexicon;
  const json = lexiconJson as LexiconJson;
  const m = new Map<string, number>();
  json.words.forEach((w, i) => m.set(w, json.values[i] ?? 0));
  for (const [w, v] of Object.entries(SUPPORT_LEXICON_OVERRIDES)) m.set(w, v);
  lexicon = m;
  return m;
}

const NEGATORS = new Set([
  'not', 'no', 'never', 'nothing', 'nowhere', 'none', 'nobody', 'neither', 'nor', 'cannot', 'without', 'hardly',
  'aint', "ain't", 'cant', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'wont', 'wouldnt', 'shouldnt', 'couldnt',
  'havent', 'hasnt', 'hadnt', 'arent', 'werent', 'rarely', 'seldom', 'despite',
]);

const BOOST = 0.293;
const BOOSTERS = new Map<string, number>();
for (const w of [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerably', 'decidedly', 'deeply', 'effing', 'enormously',
  'entirely', 'especially', 'exceptionally', 'extremely', 'fabulously', 'flipping', 'freaking', 'fricking', 'frigging',
  'fully', 'fucking', 'greatly', 'hella', 'highly', 'hugely', 'incredibly', 'intensely', 'majorly', 'more', 'most',
  'particularly', 'purely', 'quite', 'really', 'remarkably', 'so', 'substantially', 'thoroughly', 'totally',
  'tremendously', 'uber', 'unbelievably', 'unusually', 'utterly', 'very', 'super', 'seriously',
]) BOOSTERS.set(w, BOOST);
for (const w of [
  'almost', 'barely', 'kinda', 'less', 'little', 'marginally', 'occasionally', 'partly', 'scarcely', 'slightly',
  'somewhat', 'sorta', 'bit',
]) BOOSTERS.set(w, -BOOST);

export interface LexiconHit {
  /** Token position in the whitespace tokenization. */
  index: number;
  word: string;
  valence: number;
}

export interface LexiconScore {
  /** Normalised -1..1 like VADER's compound. */
  compound: number;
  /** Sums of positive / negative valences after rules. */
  pos: number;
  neg: number;
  hits: LexiconHit[];
}

function isNegator(w: string): boolean {
  return NEGATORS.has(w) || w.endsWith("n't");
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** Keep short punctuation tokens intact so emoticons like ":(" still hit the lexicon. */
function cleanToken(raw: string): string {
  // Starts and ends with an ASCII letter or digit: nothing to strip (the common case).
  if (isAsciiAlnum(raw.charCodeAt(0)) && isAsciiAlnum(raw.charCodeAt(raw.length - 1))) return raw;
  const stripped = stripEnds(raw);
  return stripped.length <= 2 && raw.length <= 3 ? raw : stripped;
}

/**
 * raw.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, ''): the text from the first to the
 * last letter or digit ("" when there is none). ASCII tokens ("word," "(sure)") are cut by index.
 */
function stripEnds(raw: string): string {
  let first = -1;
  let last = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c > 127) return raw.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, '');
    if (isAsciiAlnum(c)) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? '' : raw.slice(first, last + 1);
}

/** Shouted: more than one character, no a-z, unchanged by toUpperCase, and at least one upper-case letter. */
function isShouted(t: string): boolean {
  if (t.length <= 1) return false;
  // ASCII only (most tokens): toUpperCase changes exactly a-z, and \p{Lu} is exactly A-Z.
  let upper = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c > 127) return t === t.toUpperCase() && /\p{Lu}/u.test(t);
    if (c >= 65 && c <= 90) upper = true;
  }
  return upper;
}

/** What the scorer reads of one white-space token: the same for every occurrence of the same raw token. */
interface TokenInfo {
  /** cleanToken(raw). */
  tok: string;
  /** A booster's value (BOOSTERS.get(lower)), else 0. */
  boost: number;
  /** isNegator(lower). */
  negator: boolean;
  /** isShouted(tok) (also the ALL CAPS emphasis test). */
  shouted: boolean;
  /** "but", "however" or "although". */
  but: boolean;
  /** Lexicon valence before rules; 0 for boosters and words not in the lexicon. */
  value: number;
}

/**
 * Per-analysis cache of TokenInfo by raw token (memo.ts): each distinct token is cleaned, case-folded and
 * looked up once per analysis instead of once per occurrence.
 */
export interface LexiconTokenCache {
  tokens: Interner;
  /** TokenInfo by token id. */
  infos: TokenInfo[];
}

export function newLexiconTokenCache(): LexiconTokenCache {
  return { tokens: new Interner(), infos: [] };
}

/** Only ASCII characters and no letter (numbers, "(12)", ":-)"): lower-casing changes nothing. */
function asciiWithoutLetters(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i) | 32;
    if (t.charCodeAt(i) > 127 || (c >= 97 && c <= 122)) return false;
  }
  return true;
}

function tokenInfo(raw: string, lex: Map<string, number>): TokenInfo {
  const tok = cleanToken(raw);
  // No booster, negator, "but" or shouted word is made of these: only the lexicon can know the token.
  if (asciiWithoutLetters(raw)) {
    return { tok, boost: 0, negator: false, shouted: false, but: false, value: lex.get(tok) ?? (raw === tok ? undefined : lex.get(raw)) ?? 0 };
  }
  const lower = tok.toLowerCase();
  const boost = BOOSTERS.get(lower);
  // The raw token only differs from the cleaned one when punctuation was stripped ("great!!").
  const value = boost !== undefined ? 0 : (lex.get(lower) ?? (raw === tok ? undefined : lex.get(raw.toLowerCase())) ?? 0);
  return {
    tok,
    boost: boost ?? 0,
    negator: isNegator(lower),
    shouted: isShouted(tok),
    but: lower === 'but' || lower === 'however' || lower === 'although',
    value,
  };
}

/**
 * The tokens' TokenInfo for the call in progress, reused by every call (entries past the current token count
 * are stale and never read): one array instead of one grown from empty per message. Reading it is synchronous,
 * so no other call can interleave; TokenInfo objects are never mutated, so stale entries change nothing.
 */
const INFOS: TokenInfo[] = [];

export function lexiconScore(text: string, cache?: LexiconTokenCache): LexiconScore {
  const lex = getLexicon();
  const src = normalizeQuotes(text);
  // The tokens of src.split(/\s+/) (no empty strings), each as its TokenInfo.
  const infos = INFOS;
  let n = 0;
  let upperCount = 0;
  // "but" shifts weight to the clause after it.
  let butAt = -1;
  let scored = 0;
  let start = -1;
  // The token's hash for the cache, taken during the scan (one pass over its characters).
  let h = 0;
  for (let i = 0; i <= src.length; i++) {
    const c = i < src.length ? src.charCodeAt(i) : 32;
    if (!isSpace(c)) {
      if (start < 0) {
        start = i;
        h = INTERNER_HASH_SEED;
      }
      h = Math.imul(h ^ c, INTERNER_HASH_PRIME);
      continue;
    }
    if (start < 0) continue;
    let info: TokenInfo | undefined;
    if (cache) {
      const id = cache.tokens.idOfHashed(src, start, i, h);
      info = cache.infos[id];
      if (!info) cache.infos[id] = info = tokenInfo(cache.tokens.strings[id]!, lex);
    } else info = tokenInfo(src.slice(start, i), lex);
    start = -1;
    if (info.shouted) upperCount++;
    if (butAt < 0 && info.but) butAt = n;
    if (info.value !== 0) scored++;
    infos[n++] = info;
  }
  const capDiff = upperCount > 0 && upperCount < n;

  const hits: LexiconHit[] = [];
  let sum = 0;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n && scored > 0; i++) {
    const info = infos[i]!;
    let v = info.value;
    if (v === 0) continue;
    scored--;
    if (capDiff && info.shouted) v += Math.sign(v) * 0.733;
    // Intensifiers/dampeners in the three preceding words, decaying with distance.
    for (let d = 1; d <= 3 && i - d >= 0; d++) {
      const b = infos[i - d]!.boost;
      if (b !== 0) v += Math.sign(v) * b * (d === 1 ? 1 : d === 2 ? 0.95 : 0.9);
    }
    // Negation in the three preceding words flips and dampens ("not good" is mildly negative).
    for (let d = 1; d <= 3 && i - d >= 0; d++) {
      if (infos[i - d]!.negator) {
        v *= -0.74;
        break;
      }
    }
    // "but" weighting, in token order (the sum is taken in the same order as before).
    if (butAt >= 0) v = v * (i < butAt ? 0.5 : i > butAt ? 1.5 : 1);
    if (v === 0) continue;
    sum += v;
    if (v > 0) pos += v;
    else neg += v;
    hits.push({ index: i, word: info.tok, valence: v });
  }
  // Not kept alive at the size of one huge text (the usual chat turn needs a few dozen entries).
  if (n > 4096) infos.length = 0;
  if (sum !== 0) {
    let bangs = 0;
    for (let i = text.indexOf('!'); i >= 0 && bangs < 4; i = text.indexOf('!', i + 1)) bangs++;
    let qs = 0;
    for (let i = text.indexOf('?'); i >= 0 && qs < 4; i = text.indexOf('?', i + 1)) qs++;
    const emph = bangs * 0.292 + (qs > 1 ? Math.min(qs, 4) * 0.18 : 0);
    sum += Math.sign(sum) * emph;
  }
  const compound = sum === 0 ? 0 : Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + 15)));
  return { compound, pos, neg, hits };
}
