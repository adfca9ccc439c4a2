/**
 * Topic from a configurable taxonomy. The trained model (models/topic.json) scores the default ids it has
 * data for; keywords (built-in for `legal`/`how_to`/disputes, plus tenant keywords) add evidence and are the
 * only signal for custom topics. Earlier, longer customer turns weigh more: that is where the issue is stated.
 */
import type { TopicResult } from '../types/handoff-report.ts';
import topicJson from './models/topic.json' with { type: 'json' };
import { CHAR_BUCKETS, CHAR_GRAM_VALUE, charGramBuckets, intentLogits } from './features.ts';
import { loadLinearModel, softmax, type LinearModel, type LinearModelJson } from './linear-model.ts';
import type { ResolvedAnalysisOptions } from './options.ts';
import { JA_HOW_TO_RE, JA_TOPIC_KEYWORDS } from './japanese.ts';
import { foldAccents, normalizeQuotes, words } from './text.ts';

let model: LinearModel | undefined;
function getModel(): LinearModel {
  model ??= loadLinearModel(topicJson as LinearModelJson);
  return model;
}

/** Swaps in another trained model (scripts/eval.ts, leave-one-dataset-out); no argument restores the shipped one. */
export function useTopicModel(json?: LinearModelJson): void {
  model = json ? loadLinearModel(json) : undefined;
  modelClassSet = undefined;
  bucketRows = undefined;
}


/** Built-in keywords: topics without training data, and multilingual hints the English model cannot read. */
export const DEFAULT_TOPIC_KEYWORDS: Readonly<Record<string, string[]>> = {
  legal: ['lawyer', 'attorney', 'lawsuit', 'sue you', 'legal action', 'court', 'gdpr', 'subpoena', 'small claims', 'data protection', 'abogado', 'demanda', 'anwalt', 'klage', 'avocat', 'poursuite', 'advogado', 'processo judicial'],
  billing_dispute: ['chargeback', 'charged twice', 'double charged', 'double charge', 'dispute', 'unauthorized charge', 'did not authorize', "didn't authorize", 'cobrado dos veces', 'cobro doble', 'doppelt abgebucht', 'doppelt belastet', 'debite deux fois', 'preleve deux fois', 'cobrado duas vezes', 'cobranca em dobro'],
  refund: ['refund', 'money back', 'reimburs', 'pay me back', 'paid back', 'return my money', 'get my money', 'reembolso', 'devolucion', 'ruckerstattung', 'erstattung', 'remboursement', 'reembolso'],
  // Synonyms the training corpora rarely use (issue 12, section 2; STRONG_SYNONYMS): statements and bills,
  // reviews and ratings, event tickets, profiles. Prefix-bounded, so "invoice" also finds "invoices".
  billing_payment: ['invoice', 'bill for', 'my bill', 'the bill', 'copy of my statement', 'statement', 'receipt', 'billing', 'payment failed', 'payment declined', 'payment did not go through', "payment didn't go through", 'money left my account', 'charged but', 'debited'],
  feedback: ['feedback', 'leave a review', 'write a review', 'a review', 'my opinion', 'leave a comment', 'a comment', 'rate your', 'rate the', 'rating', 'suggestion', 'compliment', 'opinion'],
  account_management: ['profile', 'username', 'user name', 'my details', 'personal details', 'personal information', 'change my email', 'update my email', 'change my address', 'update my address', 'perfil', 'profil'],
  cancellation: ['cancel', 'cancellation', 'unsubscribe', 'terminate', 'cancelar', 'cancelacion', 'kundigen', 'kundigung', 'stornieren', 'annuler', 'resilier', 'resiliation', 'desabonner', 'cancelamento', 'dar de baja'],
  account_security: ['password', 'hacked', 'locked out', '2fa', 'two-factor', 'verification code', 'contrasena', 'passwort', 'mot de passe', 'senha'],
  technical_issue: ['error', 'bug', 'crash', 'not loading', 'error code', 'fehler', 'erreur', 'erro'],
  shipping_order: ['tracking', 'package', 'delivery', 'shipment', 'tickets for', 'my tickets', 'the tickets', 'e-ticket', 'paquete', 'envio', 'pedido', 'no ha llegado', 'paket', 'lieferung', 'bestellung', 'nicht angekommen', 'colis', 'livraison', 'commande', 'pacote', 'entrega', 'encomenda', 'nao chegou'],
  complaint: ['complaint', 'queja', 'reclamacion', 'beschwerde', 'plainte', 'reclamacao'],
};

/** DEFAULT_TOPIC_KEYWORDS with the ja keywords (japanese.ts) appended: what classifyTopic reads. */
const BUILTIN_KEYWORDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  [...new Set([...Object.keys(DEFAULT_TOPIC_KEYWORDS), ...Object.keys(JA_TOPIC_KEYWORDS)])].map((id) => [
    id,
    [...(DEFAULT_TOPIC_KEYWORDS[id] ?? []), ...(JA_TOPIC_KEYWORDS[id] ?? [])],
  ]),
);

/**
 * Synonyms the models never saw in training: each counts as two keyword hits (the maximum), because the
 * model has no evidence for them at all and otherwise outvotes them with whatever else the words suggest
 * ("reimbursed for the broken lamp" is a refund, not a technical issue).
 */
const STRONG_SYNONYMS: ReadonlySet<string> = new Set([
  'reimburs', 'pay me back', 'paid back', 'return my money', 'invoice', 'copy of my statement', 'receipt',
  'leave a review', 'write a review', 'my opinion', 'leave a comment', 'rate your', 'rate the', 'tickets for', 'my tickets', 'e-ticket', 'profile',
]);

const HOW_TO_RE = /^\W*(?:how (?:do|can|should|would) (?:i|we|you)|how to|where (?:can|do) (?:i|we) (?:find|see|change|set|get)|is it possible to|can i (?:change|set|add|export|use|turn)|como (?:puedo|hago|se)|wie kann ich|comment (?:puis-je|faire)|como (?:posso|faco))\b/i;
const HUMAN_ONLY_RE = /^\W*(?:(?:can|could|may) i |i (?:want|need|would like) to |let me |please )?(?:talk|speak|chat)\s+(?:to|with)\s+(?:a |an )?(?:real )?(?:human|person|agent|someone|representative)\W*$/i;

/** Money taken although the payment failed: a billing matter (a plain decline stays technical, as the corpora label it). */
const CHARGED_BUT_FAILED_RE =
  /\b(?:charged|debited|billed|money (?:left|taken from|came out of|was taken from) my account|paid)\b.{0,60}\b(?:fail(?:ed|s)?|declined|did ?n[o']?t go through|was rejected|bounced)\b|\b(?:fail(?:ed|s)?|declined|did ?n[o']?t go through)\b.{0,60}\b(?:still (?:charged|debited|billed)|charged (?:me )?anyway|money (?:left|was taken from|came out of) my account|took the money)\b/;

const MAX_TOPIC_TURNS = 8;

export interface TopicInput {
  texts: readonly string[];
  /** Customer's language; the model only reads English, so elsewhere keywords carry more weight. */
  language?: string;
  /** Shared per-message preparation (memo.ts); without it each text is tokenised here. */
  prepare?: (text: string) => PreparedTopicText;
}

interface PreparedTopicText {
  words: readonly string[];
  charBuckets: readonly number[];
}

function prepareText(text: string): PreparedTopicText {
  const ws = words(text);
  return { words: ws, charBuckets: charGramBuckets(ws) };
}

let modelClassSet: Set<string> | undefined;
function getModelClasses(m: LinearModel): Set<string> {
  return (modelClassSet ??= new Set(m.classes));
}

/** Model row of each character n-gram bucket (-1: no weight), built once. */
let bucketRows: Int32Array | undefined;
function getBucketRows(m: LinearModel): Int32Array {
  if (bucketRows) return bucketRows;
  const rows = new Int32Array(CHAR_BUCKETS).fill(-1);
  for (const [name, row] of m.index) if (name.startsWith('h:')) rows[Number(name.slice(2))] = row;
  bucketRows = rows;
  return rows;
}

/** Class probabilities of one text (features.ts topicFeatures, read without building the n-gram names). */
function topicProbs(m: LinearModel, t: PreparedTopicText): number[] {
  const z = intentLogits(m, t.words);
  const rows = getBucketRows(m);
  const k = m.classes.length;
  const weights = m.weights;
  const value = CHAR_GRAM_VALUE; // a local: imported bindings can be getters in transpiled code
  const buckets = t.charBuckets;
  for (let i = 0; i < buckets.length; i++) {
    const row = rows[buckets[i]!]!;
    if (row < 0) continue;
    const off = row * k;
    for (let c = 0; c < k; c++) z[c]! += weights[off + c]! * value;
  }
  return softmax(z);
}

/** Compiled keyword patterns, cached: tenants reuse the same keywords on every handoff. */
interface KeywordPattern {
  /** The folded keyword: a match contains it, so a substring test rules most keywords out cheaply. */
  literal: string;
  /** The keyword at the start of a word. */
  re: RegExp;
  /** Japanese is written without spaces: the substring alone decides. */
  substring: boolean;
}
const JA_CHARS_RE = /[\u3040-\u30ff\u3400-\u9fff]/;
const keywordCache = new Map<string, KeywordPattern>();
export function keywordPattern(kw: string): KeywordPattern {
  let p = keywordCache.get(kw);
  if (!p) {
    const literal = foldAccents(kw.toLowerCase());
    const k = literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    p = { literal, re: new RegExp(`(?:^|[^\\p{L}\\p{N}])${k}`, 'u'), substring: JA_CHARS_RE.test(literal) };
    keywordCache.set(kw, p);
  }
  return p;
}

/** Keyword hits, counted up to `cap` (the score only distinguishes 0, 1 and 2+ hits). */
function keywordHits(text: string, kws: readonly string[], cap = Infinity): number {
  let n = 0;
  for (const kw of kws) {
    const p = keywordPattern(kw);
    if (text.includes(p.literal) && (p.substring || p.re.test(text)) && (n += STRONG_SYNONYMS.has(kw) ? 2 : 1) >= cap) break;
  }
  return Math.min(n, cap);
}

export function classifyTopic(input: TopicInput, options: ResolvedAnalysisOptions): TopicResult {
  const m = getModel();
  const taxonomy = options.topics.map((t) => t.id);
  const inTax = new Set(taxonomy);
  const scores = new Map<string, number>(taxonomy.map((id) => [id, 0]));
  const modelWeight = input.language && input.language !== 'en' ? 0.3 : 1;
  // The issue is stated early; past the first turns the weights are tiny, so later turns are not scored.
  const texts = input.texts.filter((t) => t.trim() !== '' && !HUMAN_ONLY_RE.test(t)).slice(0, MAX_TOPIC_TURNS);
  let wsum = 0;
  const prepare = input.prepare ?? prepareText;
  texts.forEach((text, k) => {
    const prepared = prepare(text);
    const n = prepared.words.length;
    const w = (1 / (1 + 0.4 * k)) * (Math.min(1, n / 6) + 0.1) * modelWeight;
    wsum += w;
    const p = topicProbs(m, prepared);
    m.classes.forEach((c, ci) => {
      if (inTax.has(c)) scores.set(c, scores.get(c)! + w * p[ci]!);
    });
  });
  if (wsum > 0) for (const [k, v] of scores) scores.set(k, (v / wsum) * modelWeight);

  // Keyword evidence from the whole customer side.
  let keywordTopic = false;
  let unknownKeywordTopic = false;
  const modelClasses = getModelClasses(m);
  const all = foldAccents(normalizeQuotes(texts.join(' \n ')).toLowerCase());
  for (const t of options.topics) {
    // Two hits already give the maximum keyword score, so counting stops there.
    let hits = 0;
    for (const kws of [BUILTIN_KEYWORDS[t.id], t.keywords, options.topicKeywords[t.id]]) {
      if (kws && hits < 2) hits += keywordHits(all, kws, 2 - hits);
    }
    if (hits > 0) {
      scores.set(t.id, scores.get(t.id)! + Math.min(0.7, 0.35 * hits));
      keywordTopic = true;
      if (!modelClasses.has(t.id)) unknownKeywordTopic = true;
    }
  }
  // A payment that failed is a billing matter, not a technical issue, even when the words say "failed".
  if (scores.has('billing_payment') && CHARGED_BUT_FAILED_RE.test(all)) scores.set('billing_payment', scores.get('billing_payment')! + 1);
  // "other" is the model's catch-all; a named topic's own keywords outweigh it.
  // A topic the model was never trained on (a custom one, legal, how_to) would be filed under "other" by
  // the model, so there its "other" is no evidence against the keywords at all.
  if (keywordTopic && scores.has('other')) scores.set('other', unknownKeywordTopic ? 0 : scores.get('other')! * 0.3);

  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || taxonomy.indexOf(a[0]) - taxonomy.indexOf(b[0]));
  const total = ranked.reduce((a, [, v]) => a + v, 0);
  const fallback = inTax.has('other') ? 'other' : taxonomy[taxonomy.length - 1]!;
  if (ranked.length === 0 || total <= 0) return { id: fallback, confidence: 0 };
  const [topId, topScore] = ranked[0]!;
  let bestId = topId;
  // "How do I ..." questions the model files under other are how-to questions in the default taxonomy.
  if (bestId === 'other' && inTax.has('how_to') && texts.some((t) => HOW_TO_RE.test(foldAccents(t)) || JA_HOW_TO_RE.test(t))) bestId = 'how_to';
  const conf = (v: number): number => Math.round((v / total) * 1000) / 1000;
  const result: TopicResult = { id: bestId, confidence: conf(bestId === topId ? topScore : scores.get(bestId)! + topScore) };
  const runner = ranked.find(([id]) => id !== bestId);
  if (runner && runner[1] > 0) result.runnerUp = { id: runner[0], confidence: conf(runner[1]) };
  return result;
}
