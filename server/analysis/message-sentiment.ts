/**
 * Sentiment of one message: the trained model (models/sentiment.json, logistic regression over words,
 * negation scope and lexicon scores) corrected by support-domain rules. A polite complaint ("it still
 * doesn't work, thanks") is negative however courteous the wording.
 */
import type { SentimentLabel } from '../types/handoff-report.ts';
import sentimentJson from './models/sentiment.json' with { type: 'json' };
import { sentimentLogits, type WordIds } from './features.ts';
import { lexiconScore, type LexiconTokenCache } from './lexicon-score.ts';
import { loadLinearModel, softmax, type LinearModel, type LinearModelJson } from './linear-model.ts';
import { foldAccents, normalizeQuotes, words } from './text.ts';

let model: LinearModel | undefined;
function getModel(): LinearModel {
  model ??= loadLinearModel(sentimentJson as LinearModelJson);
  return model;
}

/** Swaps in another trained model (scripts/eval.ts, leave-one-dataset-out); no argument restores the shipped one. */
export function useSentimentModel(json?: LinearModelJson): void {
  model = json ? loadLinearModel(json) : undefined;
}

/**
 * Problem statements that are negative in a support chat even when the words are neutral or polite.
 * English plus the most common es/de/fr/pt forms, matched on accent-folded lower-case text.
 */
const COMPLAINT_RE = new RegExp(
  [
    "\\b(?:does ?n[o']?t|did ?n[o']?t|do ?n[o']?t|is ?n[o']?t|was ?n[o']?t|wo ?n[o']?t|ca ?n[o']?t|cannot|not|never|still ?n[o']?t|still not|has ?n[o']?t|have ?n[o']?t|had ?n[o']?t)\\s+(?:\\w+\\s+){0,2}(?:work|working|worked|help|helped|helping|arrive|arrived|received|receive|load|loading|log ?in|login|sign ?in|access|open|fix|fixed|resolve|resolved|refunded|showing|show|go through|went through|come|came|get|got|respond|responded|answer|answered)",
    '\\b(?:charged|billed)\\s+(?:me\\s+)?(?:twice|two times|double|2x|again)',
    '\\bdouble[- ]?charged?\\b',
    '\\b(?:still|again)\\s+(?:broken|failing|down|waiting|stuck|charged|getting|the same|nothing)',
    '\\b(?:unable to|impossible to|keeps? (?:failing|crashing|saying|asking|sending|telling|loading|giving)|stopped working|went missing|is missing|are missing|got lost|was lost|lost my|wrong (?:item|order|size|amount|charge)|overcharged|never (?:got|arrived|received|came)|been waiting|waiting for (?:weeks|days|hours|\\d+)|no one|nobody (?:has|is|will)|no response|no reply|locked out|hacked|fraud|scam|unauthori[sz]ed|not acceptable|unacceptable|disappointed|frustrat\\w*|annoy\\w*|ridiculous|useless|terrible|awful|horrible|worst)',
    '\\berror(?: code)?\\b',
    '\\b(?:no funciona|no sirve|no me (?:llego|llega|deja)|todavia no|sigue sin|cobrado dos veces|cobro doble|inaceptable|ridiculo|molest\\w*|harto)',
    '\\b(?:funktioniert (?:immer noch )?nicht|geht nicht|klappt nicht|nicht angekommen|doppelt (?:abgebucht|belastet)|unverschamt|inakzeptabel|lacherlich|nervt|argerlich)',
    "\\b(?:ne (?:marche|fonctionne) (?:toujours )?pas|ca ne marche pas|pas (?:recu|arrive)|debite deux fois|inacceptable|ridicule|agace|en ai marre)",
    '\\b(?:nao (?:funciona|chegou|consigo)|ainda nao|cobrado (?:duas vezes|em dobro)|inaceitavel|ridiculo|absurdo)',
  ].join('|'),
  'i',
);

/**
 * Sarcastic or dismissive thanks: never positive. Two patterns (one alternation before): each is cleared by
 * recheck's exact automaton checker, the union was too big for it to decide.
 */
const SARCASM_RE = /\b(?:thanks? for nothing|great,? (?:just|another|now)|oh great|yeah right|wow,? (?:just|thanks)|so helpful(?:\s*(?:not|\/s))|very helpful,? not)\b/i;
const THANKS_A_LOT_NOT_RE = /\bthanks? a lot\b.{0,300}(?:not|nothing)\b/i;

export interface MessageSentiment {
  label: SentimentLabel;
  /** -1..1 (P(positive) - P(negative), after support corrections). */
  score: number;
  /** True when a support problem statement was recognised. */
  complaint: boolean;
}

/** Only the model (the eval reports it separately from the support corrections). */
export function modelSentiment(
  text: string,
  ws?: readonly string[],
  shared?: SharedTables,
): { label: SentimentLabel; probs: number[] } {
  const m = getModel();
  // predictProba(m, sentimentFeatures(text, ws)), bit for bit, without a feature name per token.
  const p = softmax(sentimentLogits(m, text, ws, lexiconScore(text, shared?.lexicon), shared?.wordIds));
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return { label: m.classes[best] as SentimentLabel, probs: p };
}

/** What messageSentiment reads of a message, prepared once per analysis (memo.ts PreparedText). */
export interface SentimentInputText {
  text: string;
  /** foldAccents(normalizeQuotes(text)), case kept. */
  folded: string;
  /** words(text). */
  words: readonly string[];
  /** Per-analysis lookup tables (memo.ts), when the caller has them. */
  shared?: SharedTables;
}

/** Per-analysis tables the scorers share (memo.ts): words by id and lexicon tokens, each looked up once. */
export interface SharedTables {
  lexicon: LexiconTokenCache;
  /** The ids of the text's words in the analysis's word table. */
  wordIds: WordIds;
}

export function messageSentiment(text: string): MessageSentiment {
  return messageSentimentPrepared({ text, folded: foldAccents(normalizeQuotes(text)), words: words(text) });
}

export function messageSentimentPrepared(input: SentimentInputText): MessageSentiment {
  const { text } = input;
  // With the shared tables the model reads word ids, not the word list.
  const { label: modelLabel, probs } = modelSentiment(text, input.shared ? undefined : input.words, input.shared);
  const neg = probs[0] ?? 0;
  const pos = probs[2] ?? 0;
  let score = pos - neg;
  let label = modelLabel;
  const folded = input.folded.toLowerCase();
  const complaint = COMPLAINT_RE.test(folded) || SARCASM_RE.test(folded) || THANKS_A_LOT_NOT_RE.test(folded);
  if (complaint && label !== 'negative') {
    label = 'negative';
    score = Math.min(score, -0.35);
  }
  return { label, score: Math.max(-1, Math.min(1, score)), complaint };
}
