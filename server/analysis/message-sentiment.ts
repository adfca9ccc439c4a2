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
import { hasJapanese, jaComplaint, jaPraise } from './japanese.ts';
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

/**
 * Sarcastic praise around a service failure: "thanks for keeping me on hold", "great job losing my bag",
 * "wonderful, another cancelled train". The praise word is there; the failure carries the meaning.
 */
const SARCASTIC_THANKS_RE =
  /\b(?:thanks?|thank you|thx)(?: (?:so much|very much|a lot))? for (?:making|keeping|leaving|losing|breaking|ruining|wasting|cancell?ing|delaying|charging|ignoring|overcharging|stranding|forgetting|messing|sending (?:me )?the wrong|the (?:delay|wait|runaround|hold music))\b/i;
const SARCASTIC_PRAISE_RE =
  /\b(?:great|nice|good|fantastic|brilliant|wonderful|amazing|awesome|excellent|superb|well) (?:job|work|going|done|service)\b,?(?: \w+){0,3} (?:los(?:e|es|ing|t)|break(?:ing)?|broke|ruin(?:ing|ed)?|cancel(?:l?ing|l?ed)?|delay(?:ing|ed)?|miss(?:ing|ed)|forg[eo]t(?:ting)?|damag(?:ing|ed)|wast(?:ing|ed)|overcharg(?:ing|ed)|ignor(?:ing|ed))\b/i;
const SARCASTIC_ANOTHER_RE =
  /^\W*(?:oh,? )?(?:great|wonderful|fantastic|brilliant|perfect|lovely|awesome|marvell?ous|super)\W+(?:another|yet another|more|again|just what i needed)\b/i;

/**
 * Service failures stated as facts, with no emotional word at all: delays and cancellations, time on
 * hold, lost or damaged goods or luggage, missed deliveries and appointments, silence, and the customer
 * leaving. Negative in a support chat whatever the model reads in the words.
 */
const FAILURE_FACT_RE = new RegExp(
  [
    '\\b(?:delayed|delays?|cancell?ed|rescheduled|overbooked|stranded|diverted)\\b(?: \\w+){0,3} (?:again|for|by|(?:\\d+|one|two|three|four|five|six|several|many) (?:hours?|hrs?|days?|weeks?|times))\\b',
    '\\b(?:my|our|the|your) (?:flight|train|bus|connection|delivery|appointment|booking|reservation|order|parcel|package|shipment|bag|luggage|suitcase) (?:(?:was|has been|got|is|keeps? getting) )?(?:delayed|cancell?ed|lost|damaged|broken|missing|late|stolen|smashed|crushed|misplaced)\\b',
    '\\b(?:lost|damaged|broken|missing|late|smashed|crushed) (?:parcel|package|shipment|delivery|luggage|bag|bags|suitcase|order|item|items)\\b',
    '\\b(?:on hold|waiting|queued?|in the queue) (?:for )?(?:over |more than |almost |nearly )?(?:\\d+|an?|one|two|three|four|five|several) (?:hours?|hrs?|minutes?|mins?|days?|weeks?)\\b',
    '\\b(?:hours?|minutes?) on hold\\b',
    '\\b(?:missed|miss) (?:my |our |the )?(?:delivery|appointment|connection|flight|meeting|interview|slot)\\b',
    '\\b(?:never|didn\'?t|did not) (?:showed?|turn(?:ed)? up|call(?:ed)? back|get back to (?:me|us))\\b',
    '\\b(?:nobody|no one|no-one) (?:tells?|told|informs?|informed|answers?|answered|explains?|updates?|cares?|bothered)\\b',
    '\\blast time (?:i|we) (?:use|fly|flew|order|shop|book|travel|buy|deal)\\w*',
    '\\bnever (?:again|(?:using|flying|ordering|shopping|booking|buying) (?:with |from )?(?:you|this|them))\\b',
  ].join('|'),
  'i',
);

/**
 * Spans where a problem word is denied or past ("never been delayed before", "not frustrating at all",
 * "found the bag I thought I lost"): removed before the complaint rules look, so praise is not a complaint.
 */
const DENIED_PROBLEM_RE =
  /\b(?:not|never|no|nothing|isn'?t|wasn'?t|without(?: any)?|zero)\s+(?:(?:been|had|a|an|any|one|once|single|at all)\s+){0,3}(?:frustrat\w*|annoy\w*|disappoint\w*|terrible|awful|horrible|problems?|issues?|delays?|delayed|late|lost|broken|damaged|hassle|complaints?)\b|\b(?:found|recovered|got back|located|returned)\b(?: \w+){0,4} (?:i )?(?:thought i |had )?lost\b/gi;

/**
 * Politeness and small talk the general-purpose model reads as positive ("hi", "please", "thanks", "quick
 * question when you have time"). In a plain question or request they carry no sentiment.
 */
const POLITE_RE =
  /\b(?:hi|hello|hey|hiya|thanks?|thank you|thank u|ty|thx|please|pls|plz|kindly|cheers|dear|good (?:morning|afternoon|evening|day)|(?:when|whenever) you (?:get|have) (?:a )?(?:moment|minute|sec|second|chance|time)|(?:a )?quick question|yes|yeah|yep|sure|ok|okay|appreciate(?:d)?(?: it)?|great|nice)\b/gi;
const REQUEST_RE =
  /\?|\b(?:can|could|would|will|may) (?:you|i|we|u)\b|^\W*(?:(?:hi|hello|hey)\W+)?(?:please |pls )?(?:when|where|what|which|how|who|why|is|are|do|does|did|send|tell|show|give|help|check|let me|i need|i want|i'?d like|i would like|i have a|i do|i am looking|yes|yeah|yep|sure|ok|okay|my \w+ (?:is|number))\b|\bquestion\b/i;

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
  let folded = input.folded.toLowerCase();
  const ja = hasJapanese(text);
  // Denied or past problems are not complaints: drop their spans before the complaint rules look.
  if (DENIED_PROBLEM_RE.test(folded)) folded = folded.replace(DENIED_PROBLEM_RE, ' ');
  DENIED_PROBLEM_RE.lastIndex = 0;
  const complaint =
    COMPLAINT_RE.test(folded) ||
    SARCASM_RE.test(folded) ||
    THANKS_A_LOT_NOT_RE.test(folded) ||
    FAILURE_FACT_RE.test(folded) ||
    SARCASTIC_THANKS_RE.test(folded) ||
    SARCASTIC_PRAISE_RE.test(folded) ||
    SARCASTIC_ANOTHER_RE.test(folded) ||
    (ja && jaComplaint(text));
  if (complaint && label !== 'negative') {
    label = 'negative';
    score = Math.min(score, -0.35);
  } else if (label === 'positive' && politeRequestOnly(folded)) {
    label = 'neutral';
    score = Math.min(score, 0.1);
  } else if (ja && !complaint && label === 'neutral' && jaPraise(text)) {
    // The model reads no Japanese words: strong praise in ja is the evidence.
    label = 'positive';
    score = Math.max(score, 0.5);
  }
  return { label, score: Math.max(-1, Math.min(1, score)), complaint };
}

/**
 * A question or request whose only positive words are courtesies: without them the model no longer reads
 * it as positive. Costs a lexicon pass, only on positive-looking polite requests.
 */
function politeRequestOnly(folded: string): boolean {
  if (!REQUEST_RE.test(folded)) return false;
  POLITE_RE.lastIndex = 0;
  if (!POLITE_RE.test(folded)) return false;
  POLITE_RE.lastIndex = 0;
  const rest = folded.replace(POLITE_RE, ' ').replace(/[!]+/g, ' ');
  POLITE_RE.lastIndex = 0;
  if (rest.trim().replace(/\W+/g, '') === '') return true;
  // Without the courtesies, a positive word must remain ("you are amazing" keeps it); the model's lean on
  // neutral words (tweets read "my account number is …" as positive) is not enough.
  // (VADER gives a few neutral words a trace of valence, e.g. "number" 0.3, hence the floor of 1.)
  return !lexiconScore(rest).hits.some((h) => h.valence >= 1);
}
