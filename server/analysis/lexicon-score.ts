/**
 * Rule-based valence scorer in the style of VADER (Hutto & Gilbert, 2014): a word lexicon plus rules for
 * negation, intensifiers, "but", ALL CAPS emphasis and "!"/"?". Its output feeds the trained sentiment model
 * as dense features and gives per-word evidence. The lexicon (models/sentiment-lexicon.json) is VADER's,
 * exported by scripts/train-models.ts, with support-domain overrides from support-lexicon.ts.
 */
import lexiconJson from './models/sentiment-lexicon.json' with { type: 'json' };
import { SUPPORT_LEXICON_OVERRIDES } from './support-lexicon.ts';
import { normalizeQuotes } from './text.ts';

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

/** An ASCII a-z anywhere means toUpperCase() changes the token: cheaper than building the upper-case copy. */
function hasAsciiLower(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** Keep short punctuation tokens intact so emoticons like ":(" still hit the lexicon. */
function cleanToken(raw: string): string {
  // Starts and ends with an ASCII letter or digit: nothing to strip (the common case).
  if (isAsciiAlnum(raw.charCodeAt(0)) && isAsciiAlnum(raw.charCodeAt(raw.length - 1))) return raw;
  const stripped = raw.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, '');
  return stripped.length <= 2 && raw.length <= 3 ? raw : stripped;
}

export function lexiconScore(text: string): LexiconScore {
  const lex = getLexicon();
  const raw = normalizeQuotes(text).split(/\s+/).filter((t) => t.length > 0);
  const toks = raw.map(cleanToken);
  const lower = toks.map((t) => t.toLowerCase());
  const upperCount = toks.filter((t) => t.length > 1 && !hasAsciiLower(t) && t === t.toUpperCase() && /\p{Lu}/u.test(t)).length;
  const capDiff = upperCount > 0 && upperCount < toks.length;

  const vals: number[] = new Array<number>(toks.length).fill(0);
  const hits: LexiconHit[] = [];
  for (let i = 0; i < toks.length; i++) {
    const w = lower[i]!;
    if (BOOSTERS.has(w)) continue;
    // The raw token only differs from the cleaned one when punctuation was stripped ("great!!").
    let v = lex.get(w) ?? (raw[i] === toks[i] ? undefined : lex.get(raw[i]!.toLowerCase()));
    if (v === undefined || v === 0) continue;
    const tok = toks[i]!;
    if (capDiff && tok.length > 1 && tok === tok.toUpperCase() && /\p{Lu}/u.test(tok)) v += Math.sign(v) * 0.733;
    // Intensifiers/dampeners in the three preceding words, decaying with distance.
    for (let d = 1; d <= 3 && i - d >= 0; d++) {
      const b = BOOSTERS.get(lower[i - d]!);
      if (b !== undefined) v += Math.sign(v) * b * (d === 1 ? 1 : d === 2 ? 0.95 : 0.9);
    }
    // Negation in the three preceding words flips and dampens ("not good" is mildly negative).
    for (let d = 1; d <= 3 && i - d >= 0; d++) {
      if (isNegator(lower[i - d]!)) {
        v *= -0.74;
        break;
      }
    }
    vals[i] = v;
  }
  // "but" shifts weight to the clause after it.
  const butAt = lower.findIndex((w) => w === 'but' || w === 'however' || w === 'although');
  if (butAt >= 0) {
    for (let i = 0; i < vals.length; i++) vals[i] = vals[i]! * (i < butAt ? 0.5 : i > butAt ? 1.5 : 1);
  }
  let sum = 0;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i]!;
    if (v === 0) continue;
    sum += v;
    if (v > 0) pos += v;
    else neg += v;
    hits.push({ index: i, word: toks[i]!, valence: v });
  }
  if (sum !== 0) {
    const bangs = Math.min(4, (text.match(/!/g) ?? []).length);
    const qs = (text.match(/\?/g) ?? []).length;
    const emph = bangs * 0.292 + (qs > 1 ? Math.min(qs, 4) * 0.18 : 0);
    sum += Math.sign(sum) * emph;
  }
  const compound = sum === 0 ? 0 : Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + 15)));
  return { compound, pos, neg, hits };
}
