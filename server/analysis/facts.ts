/**
 * Key facts an agent would otherwise scroll for: order ids, amounts, dates, error codes, emails, URLs,
 * phone and account numbers, each pointing to its message and saying what it is about in the customer's
 * words ("charged twice: $89.90 on 14 May", "cancelled by phone: last week", "order: A-77812"; issue 14).
 * Runs on redacted text only.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { FactKind, KeyFact } from '../types/handoff-report.ts';
import { normalizeQuotes } from './text.ts';

interface FactRule {
  kind: FactKind;
  re: RegExp;
  /** Capture group holding the value (0 = whole match). */
  group: number;
  /** Which roles it is read from; bot links are reported as attempted solutions instead. */
  roles?: readonly HandoffMessage['role'][];
  /** Set when every match contains a digit: such rules are skipped on text without one. */
  needsDigit?: boolean;
  /** A string every match contains (checked case-insensitively when the rule ignores case). */
  needs?: string;
  /**
   * A pattern every match contains a match of (one native scan of the text): worth it only when it spares a
   * costly pattern most text does not match.
   */
  hint?: RegExp;
  /** The match starts with the word that says what the value is ("order", "pedido", "account"): it is the fact's `about`. */
  keyword?: boolean;
}

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
/** es, de, fr, pt month names ("35,50 € el 3 de noviembre", "le 2 octobre", "am 3. März"). */
const MONTHS_INTL =
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|januar|februar|märz|mai|juni|juli|august|oktober|dezember|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro';

const RULES: FactRule[] = [
  // Starts only where a run of address characters starts (linear: no restart inside a long run), then skips
  // leading dots/dashes; the fact's span is the address itself (the 'd' flag gives the group's indices).
  { kind: 'email', re: /(?<![\w.+-])[.+-]*\b(\w[\w.+-]*@[\w-]+(?:\.[\w-]+)+)\b/dg, group: 1, needs: '@' },
  { kind: 'url', re: /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/gi, group: 0, roles: ['customer', 'agent'], needs: '://' },
  {
    kind: 'order_id',
    re: /\b(?:order|booking|reservation|invoice|shipment|tracking|confirmation|pedido|bestellung|commande|encomenda)(?:\s+(?:number|no\.?|nr\.?|id|#|n°|numero|nummer))?\s*(?:[:#]\s*)?#?((?=[A-Z0-9-]{0,63}\d)[A-Z0-9][A-Z0-9-]{3,63})\b/gi,
    group: 1,
    needsDigit: true,
    keyword: true,
  },
  { kind: 'order_id', re: /(?:^|\s)#((?=[A-Z0-9-]*\d)[A-Z0-9-]{4,})\b/gi, group: 1, needsDigit: true, needs: '#' },
  {
    kind: 'account_id',
    re: /\b(?:account|customer|member|user|client|workspace|tenant)(?:\s+(?:number|no\.?|id|#))\s*(?:[:#]\s*)?((?=[A-Z0-9-]{0,63}\d)[A-Z0-9][A-Z0-9-]{3,63})\b/gi,
    group: 1,
    needsDigit: true,
    keyword: true,
  },
  {
    kind: 'error_code',
    re: /\b(?:error|err|code|fehler|erreur|erro|codigo)(?:\s+code)?\s*(?:[:#]\s*)?((?=[A-Z0-9_-]{0,7}\d)[A-Z]{0,6}[-_]?\d{2,6}[A-Z]?)\b/gi,
    group: 1,
    needsDigit: true,
    keyword: true,
  },
  { kind: 'error_code', re: /\b((?:E|ERR|ERROR)[-_][A-Z0-9_]{2,}|ERR_[A-Z_]{4,}|0x[0-9A-F]{6,8}|HTTP\s?[45]\d\d)\b/g, group: 1 },
  {
    kind: 'amount',
    re: /(?:(?:US|R|A|C)?\$|€|£|¥)\s?\d{1,3}(?:[.,\s]\d{3}){0,6}(?:[.,]\d{1,2})?\b|\b\d{1,3}(?:[.,]\d{3}){0,6}(?:[.,]\d{1,2})?\s?(?:(?:usd|eur|gbp|brl|dollars?|euros?|pounds?|reais)\b|€)/gi,
    group: 0,
    needsDigit: true,
    // A currency sign, or a currency word ("eur" is in euro, "dollar" in dollars, "pound" in pounds).
    hint: /[$€£¥]|usd|eur|gbp|brl|dollar|pound|reais/i,
  },
  {
    kind: 'date',
    re: new RegExp(
      `\\b(?:\\d{4}-\\d{2}-\\d{2}|\\d{1,2}\\/\\d{1,2}\\/\\d{2,4}|(?:${MONTHS})\\.? \\d{1,2}(?:st|nd|rd|th)?(?:,? \\d{4})?|\\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:${MONTHS})(?:,? \\d{4})?|yesterday|last (?:week|month|night|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:on|since|by) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\\d+ (?:days|weeks|months) ago|(?:(?:le|el|am|em|o) )?\\d{1,2}\\.?(?: de)? (?:${MONTHS_INTL})(?: de)?(?:,? \\d{4})?)\\b`,
      'gi',
    ),
    group: 0,
  },
  { kind: 'phone', re: /(?<![\w-])\+?\(?\d{1,4}\)?[\s.-]?\(?\d{2,4}\)?[\s.-]\d{3,4}[\s.-]?\d{3,4}(?![\w-])/g, group: 0, needsDigit: true },
];

/** A `needs` string with no letter is the same lower-cased, so it is looked for in the text as it is. */
const HAS_LETTER_RE = /[a-z]/i;

/**
 * Index of the first span in `taken` that ends after `start`. The spans never overlap and are kept in order,
 * so [start, end) overlaps one of them exactly when that span starts before `end` (a binary search, not a
 * comparison with every earlier match: a message with thousands of matches stays linear), and inserting a
 * free span at that index keeps the order.
 */
function firstEndingAfter(taken: readonly [number, number][], start: number): number {
  let lo = 0;
  let hi = taken.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (taken[mid]![1] > start) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * What an amount or a date is about: the customer's verb phrase next to it in the same sentence (nearest
 * before, else first after: German puts the verb last). en, es, de, fr, pt; longer phrases first.
 */
const CUE_RE =
  /(?<!\p{L})(?:charged twice|double[- ]charged|charged|two charges|double charge|charges|charge|billed twice|billed|overcharged|paid|refunded|refund of|cancell?ed by (?:phone|email|chat)|cancell?ed|ordered|bought|purchased|renewed|subscribed|delivered|shipped|supposed to arrive|due to arrive|arrived|signed up|expired|returned|me cobraron dos veces|cobraron dos veces|cobraron|cobro doble|pagué|reembolso|cancelé|pedí|compré|devolví|doppelt abgebucht|abgebucht|bezahlt|gekündigt|bestellt|erstattung|zurückgeschickt|débité deux fois|débité|prélevé deux fois|prélevé|payé|résilié|commandé|remboursement|renvoyé|cobrado duas vezes|cobrado|cobraram duas vezes|cobraram|paguei|cancelei|comprei|devolvi)(?!\p{L})/giu;
/** Between an amount and the date right after it ("$89.90 on 14 May"): the two are one fact. */
const AMOUNT_DATE_GAP_RE = /^,? ?(?:again |twice |each )?(?:on|el|am|le|em|du|del|vom)? ?$/i;
/** Where a sentence ends: ". ", "! ", "? " or a line break (a dot inside "$89.90" does not). */
const SENTENCE_END_RE = /[.!?…。！？](?:\s|$)|\n/g;

interface Found {
  fact: KeyFact;
  start: number;
  end: number;
}

function sentenceAround(text: string, start: number, end: number): [number, number] {
  let from = 0;
  let to = text.length;
  SENTENCE_END_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SENTENCE_END_RE.exec(text)) !== null) {
    const stop = m.index + 1;
    if (stop <= start) from = stop;
    else if (m.index >= end) {
      to = m.index;
      break;
    }
  }
  return [from, to];
}

function cueAround(text: string, start: number, end: number): string | undefined {
  const [from, to] = sentenceAround(text, start, end);
  const before = text.slice(from, start);
  let last: string | undefined;
  CUE_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CUE_RE.exec(before)) !== null) last = m[0];
  if (last) return last.toLowerCase();
  CUE_RE.lastIndex = 0;
  const after = CUE_RE.exec(text.slice(end, to));
  return after ? after[0].toLowerCase() : undefined;
}

/** An amount with the date right after it becomes one fact; each amount and date gets its cue as `about`. */
function withMeaning(text: string, found: Found[]): KeyFact[] {
  found.sort((a, b) => a.start - b.start);
  const out: KeyFact[] = [];
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    const next = found[i + 1];
    if (f.fact.kind === 'amount' && next?.fact.kind === 'date' && next.start - f.end <= 12 && AMOUNT_DATE_GAP_RE.test(text.slice(f.end, next.start))) {
      f.fact.value = text.slice(f.start, next.end);
      f.end = next.end;
      i++;
    }
    if (!f.fact.about && (f.fact.kind === 'amount' || f.fact.kind === 'date')) {
      const cue = cueAround(text, f.start, f.end);
      if (cue) f.fact.about = cue;
    }
    out.push(f.fact);
  }
  return out;
}

export function extractFacts(messages: readonly HandoffMessage[]): KeyFact[] {
  const out: KeyFact[] = [];
  const seen = new Set<string>();
  messages.forEach((m, messageIndex) => {
    if (m.role === 'system') return;
    const text = normalizeQuotes(m.text ?? '');
    const taken: [number, number][] = [];
    const found: Found[] = [];
    const hasDigit = /\d/.test(text);
    let lower: string | undefined;
    for (const rule of RULES) {
      if (rule.roles && !rule.roles.includes(m.role)) continue;
      if (rule.needsDigit && !hasDigit) continue;
      // A needle without letters is the same in the lower-cased text ('://', '#', '@'): no need to lower-case.
      if (rule.needs && !(rule.re.ignoreCase && HAS_LETTER_RE.test(rule.needs) ? (lower ??= text.toLowerCase()) : text).includes(rule.needs)) continue;
      if (rule.hint && !rule.hint.test(text)) continue;
      rule.re.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = rule.re.exec(text)) !== null) {
        const value = (match[rule.group] ?? match[0]).trim();
        const span = rule.re.hasIndices ? match.indices?.[rule.group] : undefined;
        const start = span ? span[0] : match.index;
        const end = span ? span[1] : start + match[0].length;
        // One span, one fact: an order id inside a URL or a date inside a phone number is not a second fact.
        const at = firstEndingAfter(taken, start);
        if (at < taken.length && taken[at]![0] < end) continue;
        if (rule.kind === 'phone' && value.replace(/\D/g, '').length < 9) continue;
        taken.splice(at, 0, [start, end]);
        const fact: KeyFact = { kind: rule.kind, value, messageIndex };
        if (rule.keyword) fact.about = match[0].trimStart().split(/[\s:#]/, 1)[0]!.toLowerCase();
        const vs = span ? span[0] : match.index + Math.max(0, match[0].indexOf(value));
        found.push({ fact, start: vs, end: vs + value.length });
      }
    }
    for (const fact of withMeaning(text, found)) {
      // Deduplicated by what it is: the same order number or the same charge said twice is one fact.
      const key = `${fact.kind}|${fact.value.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(fact);
    }
  });
  return out.sort((a, b) => a.messageIndex - b.messageIndex);
}
