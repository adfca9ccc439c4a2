/**
 * Frustration signals in customer turns, each with its evidence. Phrase lists cover English and the
 * commonest es/de/fr/pt forms; matching runs on accent-folded lower-case text. Japanese (japanese.ts) is
 * matched on the text as written.
 */
import type { SentimentSignal, SentimentSignalId } from '../types/handoff-report.ts';
import type { WordIds } from './features.ts';
import { Interner } from './interner.ts';
import { hasJapanese, JA_PROFANITY_RE, JA_SIGNALS } from './japanese.ts';
import { excerptAround, foldAccents, normalizeQuotes, words } from './text.ts';

interface PhraseRule {
  id: SentimentSignalId;
  re: RegExp;
  target?: 'bot' | 'problem';
}

const PHRASES: PhraseRule[] = [
  {
    id: 'bot_frustration',
    target: 'bot',
    re: /\b(?:you(?:'re| are|r)? (?:so |totally |completely |absolutely )?(?:useless|stupid|dumb|worthless|pointless|not helping|not helpful|no help|not listening|a joke|an idiot)|(?:stupid|useless|dumb|dumbest|worthless|annoying) (?:bot|robot|machine|chatbot|assistant|ai)|you (?:don't|do not|clearly don't|never) (?:understand|listen|get it|read)|(?:talking|speaking|chatting) to a (?:machine|robot|bot|wall)|stop (?:sending|giving) me (?:the same|links|articles|this)|you keep (?:sending|giving|saying|repeating|asking)|not what i asked|that'?s not (?:what i|my) (?:asked|question)|(?:are you|is this) (?:even )?(?:a )?(?:real|human|bot)\??|eres inutil|no me entiendes|du bist nutzlos|verstehst (?:mich )?nicht|tu es nul|tu ne comprends pas|voce e inutil|nao entende)\b/i,
  },
  {
    id: 'giving_up',
    target: 'problem',
    re: /\b(?:i give up|i'?m giving up|forget it|never ?mind|don'?t bother|i'?m done(?: with this)?|whatever,|what ever\.|i quit|me rindo|olvidalo|ich gebe auf|vergiss es|j'abandonne|laisse tomber|desisto|esquece)\b/i,
  },
  {
    id: 'churn_threat',
    target: 'problem',
    re: /\b(?:(?:i'?ll|i will|i'?m going to|gonna|i am going to|about to|or i|otherwise i)(?:'ll| will)? (?:just )?(?:cancel|close|leave|switch|quit|delete|move|take my (?:business|money))|(?:switch|switching|move|moving|go|going) to (?:a |your )?(?:competitor|another (?:provider|company|bank|service))|take my (?:business|money) elsewhere|find (?:another|a different) (?:provider|company|bank|service|vendor)|(?:never|won'?t) (?:buy|order|shop|use \w+) (?:from you |here )?(?:again|anymore)|last chance|cancel(?:ling)? (?:my|our) (?:contract|subscription|account|plan) if|voy a cancelar|me voy a (?:ir|cambiar)|ich kundige|ich werde kundigen|je vais (?:resilier|annuler)|vou cancelar)\b/i,
  },
  {
    id: 'urgency',
    target: 'problem',
    re: /\b(?:urgent(?:ly)?|asap|a\.s\.a\.p|emergency|immediately|right now|right away|as soon as possible|time[- ]sensitive|critical|blocking (?:us|our|me|my|the)|blocker|(?:before|for) (?:our|the|my) (?:launch|release|go[- ]live|deadline|event|flight|demo)|launch(?:es|ing)? (?:tomorrow|today|tonight|on \w+)|deadline|production (?:is )?down|site is down|outage|can'?t wait|need (?:it|this) (?:today|now|fixed today)|urgente|inmediatamente|lo antes posible|dringend|sofort|so schnell wie moglich|urgent|immediatement|des que possible|imediatamente|o mais rapido possivel)\b/i,
  },
  {
    id: 'frustration_phrase',
    target: 'problem',
    re: /\b(?:this is (?:ridiculous|absurd|insane|unacceptable|a joke|crazy|a nightmare|beyond)|ridiculous|unacceptable|nothing (?:works|is working|worked|helps)|(?:still|again) (?:not working|doesn'?t work|broken)|fed up|sick (?:and tired )?of|tired of|waste of (?:my )?time|wasting my time|are you (?:kidding|serious|joking)|you'?ve got to be kidding|how many (?:more )?times|i (?:already|just) (?:told|said|explained|asked|did)|as i (?:said|mentioned|told you)|going (?:round|around) in circles|same (?:thing|answer|link|article) (?:again|over and over)|over and over|so frustrat\w*|very frustrat\w*|extremely frustrat\w*|this is frustrat\w*|frustrating|frustrated|not happy|very unhappy|disappointed|es ridiculo|es inaceptable|nada funciona|estoy harto|das ist lacherlich|unverschamt|nichts funktioniert|c'est ridicule|inadmissible|rien ne (?:marche|fonctionne)|j'en ai marre|isso e ridiculo|nada funciona|estou farto|que absurdo)\b/i,
  },
];

const PROFANITY_RE =
  /\b(?:fuck\w*|f\*+k\w*|f\*+|shit\w*|s\*+t|bullshit|crap(?:py)?|damn(?:ed|it)?|goddamn\w*|wtf|ffs|omfg|piss(?:ed)?(?: off)?|bloody hell|hell no|screw (?:you|this|it)|ass(?:hole)?s?|bastard\w*|sucks?|joder|mierda|carajo|scheisse|scheiss\w*|verdammt|merde|putain|bordel|porra|merda|caralho)\b/i;

/** Acronyms that are shouted by nobody: not "ALL CAPS" evidence. */
const ACRONYMS = new Set([
  'USA', 'URL', 'API', 'PIN', 'SMS', 'FAQ', 'CVV', 'CVC', 'PDF', 'VPN', 'SSO', 'SSN', 'IBAN', 'VAT', 'GDPR', 'ASAP', 'ETA',
  'USD', 'EUR', 'GBP', 'BRL', 'UPS', 'DHL', 'IOS', 'APP', 'ATM', 'OTP', 'MFA', 'TFA', 'HTTP', 'HTTPS', 'DNS', 'SAML', 'CSV',
  'UTC', 'EST', 'PST', 'CEO', 'CTO', 'IT', 'OK', 'ID', 'TV', 'UK', 'EU', 'US', 'NY', 'AM', 'PM', 'FYI', 'PS', 'AI', 'SLA',
]);

/** A label just before a capitalised token makes it a code ("station LHR", "SKU WIDGETX", "error ECONNRESET"). */
const CODE_LABELS = new Set(['code', 'sku', 'ref', 'reference', 'order', 'station', 'airport', 'gate', 'flight', 'booking', 'pnr', 'id', 'number', 'no', 'from', 'to', 'via', 'model', 'part', 'item', 'error', 'status', 'plan', 'tier', 'coupon', 'promo', 'voucher']);

/** The word before a token (skipping "is", "was", ":" or "#") is a code label. String work, no pattern. */
function afterCodeLabel(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 24), start).toLowerCase().split(/[\s:#=.]+/).filter((w) => w !== '');
  let last = before.pop();
  if (last === 'is' || last === 'was') last = before.pop();
  return last !== undefined && CODE_LABELS.has(last);
}
/** Three-letter words people shout ("NOT", "NOW", "WHY"); other three-letter capitals are mostly codes (LAX, AMS). */
const SHOUTED_SHORT = new Set(['NOT', 'ALL', 'NOW', 'WHY', 'HOW', 'YOU', 'ANY', 'YES', 'BAD', 'MAD', 'DID', 'CAN', 'OUT', 'THE', 'AND', 'BUT', 'ARE', 'WAS', 'HAS', 'GET', 'PAY', 'TOO', 'FIX', 'ASK']);
/** Characters that glue a capitalised token into a code: "TX-9000", "ABC_12", "A/B", "#XYZ", "E4012". */
const CODE_GLUE = new Set(['-', '_', '/', '#', '.', ':', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * Capitalised codes are not shouting: tokens glued to digits or code punctuation, tokens after a code label,
 * and words without a vowel (LHR, JFK, XKCD) are skipped. Three-letter tokens only count when the whole
 * message is in capitals.
 */
function shouting(text: string): { start: number; end: number } | undefined {
  const re = /\b[A-Z][A-Z']{2,}\b/g;
  const hits: { start: number; end: number }[] = [];
  let m: RegExpExecArray | null;
  let codeLetters = 0;
  while ((m = re.exec(text)) !== null) {
    const word = m[0].replace(/'/g, '');
    const start = m.index;
    const end = start + m[0].length;
    const code =
      ACRONYMS.has(word) ||
      CODE_GLUE.has(text[start - 1] ?? '') ||
      CODE_GLUE.has(text[end] ?? '') ||
      !/[AEIOUY]/.test(word) ||
      afterCodeLabel(text, start);
    if (code) codeLetters += word.length;
    else hits.push({ start, end });
  }
  if (hits.length === 0) return undefined;
  const letters = text.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length - codeLetters;
  const mostlyUpper = letters.length - codeLetters >= 8 && upper / (letters.length - codeLetters) > 0.7;
  if (mostlyUpper) return hits[0];
  const loud = hits.filter((h) => h.end - h.start >= 4 || SHOUTED_SHORT.has(text.slice(h.start, h.end).replace(/'/g, '')));
  if (loud.length >= 2 || loud.some((h) => h.end - h.start >= 5)) return loud[0];
  return undefined;
}

export interface CustomerTurn {
  messageIndex: number;
  text: string;
  /** Prepared once per analysis (memo.ts); computed here when absent. */
  prepared?: { folded: string; words: readonly string[]; wordIds?: WordIds };
}

/** Jaccard similarity at or above which a turn repeats an earlier one. */
const REPEAT_JACCARD = 0.6;

/**
 * Finds, for each turn in order, whether an earlier turn's token set has Jaccard >= REPEAT_JACCARD with its
 * own: the same answer as comparing with every earlier set, without the quadratic cost. Prefix filtering
 * (Bayardo et al., "Scaling up all pairs similarity search", 2007): with every set's tokens in one global
 * order (rarest first), two sets with Jaccard >= t share a token among the first |x| - ceil(t|x|) + 1 tokens
 * of each, so only earlier sets indexed under one of those tokens (and of a size that allows t) are compared.
 * A set is the distinct word ids of a turn (ids of one table, below `vocab`).
 */
class RepeatIndex {
  /** Word id -> its rank in the global order (rarest first, then first seen). */
  private readonly rank: Int32Array;
  /** Rank -> the sets (by id) holding that token in their prefix. */
  private readonly postings: (number[] | undefined)[] = [];
  private readonly sets: Int32Array[] = [];
  private readonly checked: Int32Array;
  /** Word id -> the stamp of the set being added when it holds that word (to count an intersection). */
  private readonly inSet: Int32Array;

  /** allSets: every set that will be added, to order tokens by how many sets hold them. */
  constructor(allSets: readonly Int32Array[], vocab: number) {
    const localOf = new Int32Array(vocab).fill(-1);
    const df: number[] = [];
    for (const s of allSets) {
      for (let i = 0; i < s.length; i++) {
        const w = s[i]!;
        const id = localOf[w]!;
        if (id < 0) {
          localOf[w] = df.length;
          df.push(1);
        } else df[id]!++;
      }
    }
    const v = df.length;
    const keys = new Float64Array(v);
    for (let id = 0; id < v; id++) keys[id] = df[id]! * v + id;
    keys.sort();
    const rankOf = new Int32Array(v);
    for (let r = 0; r < v; r++) rankOf[keys[r]! % v] = r;
    this.rank = new Int32Array(vocab);
    for (let w = 0; w < vocab; w++) if (localOf[w]! >= 0) this.rank[w] = rankOf[localOf[w]!]!;
    this.checked = new Int32Array(allSets.length);
    this.inSet = new Int32Array(vocab);
  }

  /** jaccard(a, set being added) >= REPEAT_JACCARD; sizes too far apart are ruled out without counting. */
  private similar(a: Int32Array, b: Int32Array, stamp: number): boolean {
    const lo = Math.min(a.length, b.length);
    const hi = Math.max(a.length, b.length);
    if (lo < REPEAT_JACCARD * hi - 1e-9) return false;
    let inter = 0;
    for (let i = 0; i < a.length; i++) if (this.inSet[a[i]!] === stamp) inter++;
    return inter / (a.length + b.length - inter) >= REPEAT_JACCARD;
  }

  /** True when an earlier added set is similar enough to `set`; then adds `set`. */
  add(set: Int32Array): boolean {
    const id = this.sets.length;
    const n = set.length;
    const ranks = new Int32Array(n);
    const stamp = id + 1;
    for (let i = 0; i < n; i++) {
      ranks[i] = this.rank[set[i]!]!;
      this.inSet[set[i]!] = stamp;
    }
    ranks.sort();
    // ceil(t * n), never over-estimated by rounding (a longer prefix only adds candidates, never loses one).
    const prefix = Math.min(n, Math.max(1, n - Math.ceil(REPEAT_JACCARD * n - 1e-9) + 1));
    let found = false;
    for (let p = 0; p < prefix && !found; p++) {
      const list = this.postings[ranks[p]!];
      if (!list) continue;
      for (let j = 0; j < list.length; j++) {
        const other = list[j]!;
        if (this.checked[other] === stamp) continue;
        this.checked[other] = stamp;
        if (this.similar(this.sets[other]!, set, stamp)) {
          found = true;
          break;
        }
      }
    }
    for (let p = 0; p < prefix; p++) {
      const r = ranks[p]!;
      const list = this.postings[r];
      if (list) list.push(id);
      else this.postings[r] = [id];
    }
    this.sets.push(set);
    return found;
  }
}

/**
 * Each turn's token set for the repetition check: its distinct words longer than two letters, as ids in
 * first-seen order, when it has at least three such words (repeats included). Ids come from the analysis's word table when every turn has
 * them, else from a table built here.
 */
function repeatSets(turns: readonly CustomerTurn[]): { sets: (Int32Array | undefined)[]; vocab: number } {
  const shared = turns.length > 0 && turns.every((t) => t.prepared?.wordIds?.table === turns[0]!.prepared?.wordIds?.table) ? turns[0]!.prepared?.wordIds?.table : undefined;
  const local = shared ? undefined : new Interner();
  const idsOf = (turn: CustomerTurn): Int32Array => {
    if (shared) return turn.prepared!.wordIds!.ids;
    const ws = turn.prepared?.words ?? words(turn.text);
    const out = new Int32Array(ws.length);
    for (let i = 0; i < ws.length; i++) out[i] = local!.idOf(ws[i]!, 0, ws[i]!.length);
    return out;
  };
  const all = turns.map(idsOf);
  const strings = shared ? shared.words : local!.strings;
  const vocab = strings.length;
  const seen = new Int32Array(vocab);
  const sets = all.map((ids, t): Int32Array | undefined => {
    const stamp = t + 1;
    const out: number[] = [];
    // Counted before removing repeats, as the set was made of the (repeating) tokens.
    let tokens = 0;
    for (let i = 0; i < ids.length; i++) {
      const w = ids[i]!;
      if (strings[w]!.length <= 2) continue;
      tokens++;
      if (seen[w] === stamp) continue;
      seen[w] = stamp;
      out.push(w);
    }
    return tokens >= 3 ? Int32Array.from(out) : undefined;
  });
  return { sets, vocab };
}

/** Signals for every customer turn, in order; at most one of each id per message. */
export function detectSignals(turns: readonly CustomerTurn[]): SentimentSignal[] {
  const out: SentimentSignal[] = [];
  // Token sets of the turns, built once per turn.
  const { sets: tokenSets, vocab } = repeatSets(turns);
  const repeats = new RepeatIndex(
    tokenSets.filter((s): s is Int32Array => s !== undefined),
    vocab,
  );
  turns.forEach((turn, t) => {
    const { text, messageIndex } = turn;
    const folded = turn.prepared?.folded ?? foldAccents(normalizeQuotes(text));
    const ev = (start: number, end: number): string => excerptAround(text, start, end);
    const caps = shouting(text);
    if (caps) out.push({ id: 'all_caps', messageIndex, excerpt: ev(caps.start, caps.end), target: 'problem' });
    // Full-width marks too (ja writes ！ and ？).
    const punct = /[!！]{2,}|[?？]{2,}|[!?！？]{3,}/.exec(text);
    if (punct) out.push({ id: 'repeated_punctuation', messageIndex, excerpt: ev(punct.index, punct.index + punct[0].length), target: 'problem' });
    const prof = PROFANITY_RE.exec(folded);
    if (prof) {
      const aimedAtBot = /\b(?:you|bot|robot|machine)\b/i.test(folded);
      out.push({ id: 'profanity', messageIndex, excerpt: ev(prof.index, prof.index + prof[0].length), target: aimedAtBot ? 'bot' : 'problem' });
    }
    for (const rule of PHRASES) {
      const m = rule.re.exec(folded);
      if (!m) continue;
      const sig: SentimentSignal = { id: rule.id, messageIndex, excerpt: ev(m.index, m.index + m[0].length) };
      // Frustration aimed at "you" (the bot) rather than at the problem.
      if (rule.id === 'frustration_phrase' && /\b(?:you|your answers?|this bot|the bot)\b/i.test(m[0])) sig.target = 'bot';
      else if (rule.target) sig.target = rule.target;
      out.push(sig);
    }
    if (hasJapanese(text)) japaneseSignals(text, messageIndex, out, ev);
    // Asking the same thing again: near-identical token sets with an earlier customer turn.
    const set = tokenSets[t];
    if (set && repeats.add(set)) out.push({ id: 'repetition', messageIndex, excerpt: ev(0, Math.min(text.length, 120)), target: 'problem' });
  });
  return out;
}

/** The ja phrase signals of one turn, on the text as written; an id already found in the turn is not added twice. */
function japaneseSignals(text: string, messageIndex: number, out: SentimentSignal[], ev: (start: number, end: number) => string): void {
  const has = (id: SentimentSignalId): boolean => out.some((s) => s.messageIndex === messageIndex && s.id === id);
  const prof = JA_PROFANITY_RE.exec(text);
  if (prof && !has('profanity')) out.push({ id: 'profanity', messageIndex, excerpt: ev(prof.index, prof.index + prof[0].length), target: /ボット|ロボット|あなた|お前/.test(text) ? 'bot' : 'problem' });
  for (const rule of JA_SIGNALS) {
    const m = rule.re.exec(text);
    if (m && !has(rule.id)) out.push({ id: rule.id, messageIndex, excerpt: ev(m.index, m.index + m[0].length), target: rule.target });
  }
}

/** How much each signal adds to the 0..1 frustration level. */
export const SIGNAL_WEIGHTS: Readonly<Record<SentimentSignalId, number>> = {
  all_caps: 0.15,
  repeated_punctuation: 0.1,
  profanity: 0.2,
  repetition: 0.15,
  frustration_phrase: 0.2,
  bot_frustration: 0.2,
  giving_up: 0.25,
  urgency: 0.1,
  churn_threat: 0.25,
};
