/**
 * "Let me talk to a person": multilingual patterns (en, es, de, fr, pt) plus a trained English classifier
 * (models/human-request.json) for the phrasings patterns miss. Negated requests ("no need for an agent")
 * are not requests.
 */
import humanJson from './models/human-request.json' with { type: 'json' };
import { intentLogits, intentLogitsOfIds, type WordIds } from './features.ts';
import { loadLinearModel, softmax, type LinearModel, type LinearModelJson } from './linear-model.ts';
import { excerptAround, foldAccents, normalizeQuotes, words } from './text.ts';

let model: LinearModel | undefined;
function getModel(): LinearModel {
  model ??= loadLinearModel(humanJson as LinearModelJson);
  return model;
}

/**
 * Model probability above which a message counts as a request: chosen by the trainer by cross-validation
 * inside the tune split (model meta.threshold), 0.5 for a model without one.
 */
const trainedThreshold = (humanJson as LinearModelJson).meta?.threshold;
export const HUMAN_MODEL_THRESHOLD = typeof trainedThreshold === 'number' ? trainedThreshold : 0.5;
let threshold = HUMAN_MODEL_THRESHOLD;

/**
 * Swaps in another trained model (scripts/eval.ts scores leave-one-dataset-out models through the same
 * engine code); no argument restores the shipped one. Not for runtime use.
 */
export function useHumanRequestModel(json?: LinearModelJson): void {
  model = json ? loadLinearModel(json) : undefined;
  const t = (json ?? (humanJson as LinearModelJson)).meta?.threshold;
  threshold = typeof t === 'number' ? t : 0.5;
}

const WHO_EN =
  "(?:(?:a|an|the|your|some|one of your|real|actual|live|human|other|someone from|somebody from)\\s+)*(?:human(?:s| being)?|person|people|agent|rep|representative|operator|staff(?: member)?|employee|manager|supervisor|advisor|adviser|associate|specialist|someone|somebody|anyone|anybody|team member|customer service (?:agent|rep|representative)|support (?:agent|person|staff)|bank worker|worker|man|woman|guy)";
const VERB_EN =
  "(?:talk(?:ing)?|speak(?:ing)?|chat(?:ting)?|connect(?:ed)?|transfer(?:red)?|put|pass|get|switch|escalate|forward|hand(?:ed)?(?: me)? over|route|redirect|reach|contact)";

const DEPT_EN =
  '(?:reception(?:ist)?|front desk|concierge|room service|housekeeping|(?:[a-z]+ )?(?:department|team|desk))';

/** Exported for the ReDoS test, which checks each one (ANY_PATTERN_RE is linear when each alternative is). */
export const PATTERNS: readonly RegExp[] = [
  // English
  new RegExp(`\\b${VERB_EN}\\s+(?:me\\s+)?(?:(?:to|with|through(?: to| with)?|over to|on the line with|in touch with)\\s+)?${WHO_EN}\\b`, 'i'),
  // A department or desk rather than a person ("transfer me to room service", "speak to the reception").
  new RegExp(`\\b(?:talk(?:ing)?|speak(?:ing)?|chat(?:ting)?|connect(?:ed)?|transfer(?:red)?|put|pass|forward|redirect|route)\\s+(?:me\\s+)?(?:to|with|through(?: to| with)?|over to)\\s+(?:the\\s+|your\\s+|a\\s+|an\\s+)?${DEPT_EN}\\b`, 'i'),
  new RegExp(`^\\W*(?:the\\s+)?${DEPT_EN}\\s*(?:please|pls|plz)\\b`, 'i'),
  /\b(?:real|actual|live|human) (?:person|human|agent|being|people|support|operator|representative|rep)\b/i,
  /\b(?:human|agent|operator|representative|person|someone|somebody|manager|supervisor)\s*(?:please|pls|plz|now|asap|!+|\?)/i,
  /^\W*(?:human|agent|operator|representative|a person|real person|person|rep|live agent|live chat|someone|supervisor|manager)\W*$/i,
  /\b(?:i|we) (?:want|need|would like|'d like|demand|prefer|require) (?:to (?:have|get) )?(?:a|an|some|to see a|the)?\s*(?:human|person|agent|operator|representative|manager|supervisor|real person|someone real)\b/i,
  /\b(?:is there|are there|isn'?t there) (?:a |any )?(?:human|person|real person|agent|anyone|anybody|someone) (?:there|i can|who|available|real)/i,
  /\bget me (?:a |an |the )?(?:human|person|agent|operator|manager|supervisor|someone)\b/i,
  /\b(?:stop|quit) (?:talking to|chatting with) (?:a |this )?(?:bot|robot|machine)s?\b/i,
  /\b(?:with|to) (?:a|this) (?:machine|bot|robot)\b.{0,300}\b(?:person|human|someone)\b/i,
  // Spanish
  /\b(?:hablar|comunicar(?:me)?|conversar|contactar|chatear|pasar(?:me)?|pasame|transferir(?:me)?|comunicarme) (?:con |a )?(?:un |una |algun |alguna )?(?:humano|persona(?: real)?|agente|asesor(?:a)?|representante|operador(?:a)?|alguien(?: real)?|ejecutivo|empleado|encargado|supervisor)\b/i,
  /\b(?:quiero|necesito|prefiero) (?:un |una )?(?:humano|persona real|agente|asesor|operador|representante)\b/i,
  // German
  /\b(?:mit )?(?:einem |einer |einen |jemandem |jemand )?(?:echten |richtigen |menschlichen )?(?:menschen|mensch|mitarbeiter(?:in)?|berater(?:in)?|person|kundenberater(?:in)?|agenten|sachbearbeiter(?:in)?|jemandem|jemand)\s+(?:sprechen|reden|verbunden|verbinden|chatten)\b/i,
  /\b(?:verbinden sie mich|verbinde mich|stellen sie mich durch)\b/i,
  /\b(?:ich (?:will|mochte|brauche)) (?:einen |eine )?(?:menschen|mitarbeiter(?:in)?|berater(?:in)?|echte person)\b/i,
  /\b(?:mensch|mitarbeiter) bitte\b/i,
  // French
  /\b(?:parler|discuter|echanger|etre mis en relation|me mettre en relation|me passer|passez-moi|passe-moi|mettez-moi en relation|joindre|contacter) (?:a |avec |en relation avec )?(?:un |une |quelqu'un|quelqu un)?\s*(?:vrai |vraie |real )?(?:humain|personne(?: reelle)?|agent|conseiller(?:e)?|operateur|operatrice|employe|quelqu'un|quelqu un|interlocuteur|responsable)\b/i,
  /\b(?:je veux|je voudrais|j'aimerais) (?:un |une )?(?:humain|vraie personne|conseiller|agent|operateur)\b/i,
  // Portuguese
  /\b(?:falar|conversar|ser transferid[oa]|me transfere|me transferir|me passa|me passar|atendimento) (?:com |para )?(?:um |uma |algum |alguma |alguem )?(?:humano|pessoa(?: real)?|atendente|agente|representante|operador(?:a)?|alguem|consultor(?:a)?|funcionario)\b/i,
  /\b(?:quero|preciso de|prefiro) (?:um |uma )?(?:humano|atendente|pessoa real|agente|operador)\b/i,
];

/** Matches where any of PATTERNS matches (all are case-insensitive, none has flags beyond 'i'). */
export const ANY_PATTERN_RE = new RegExp(PATTERNS.map((re) => `(?:${re.source})`).join('|'), 'i');

/** Declining a person cancels the request ("I don't need to speak to an agent"); "I don't know how to reach an agent" does not. */
const NEGATED_RE =
  /\b(?:(?:don'?t|do not|doesn'?t|does not|didn'?t|never|no longer)\s+(?:\w+\s+)?(?:want|need|wish|have)|no need|not necessary|there'?s no need)\b(?:\s+\w+){0,4}\s*$|\b(?:no (?:quiero|necesito)|(?:will|mochte|muss) (?:nicht|keinen?)|pas besoin|ne veux pas|nao (?:quero|preciso))\b(?:\s+\w+){0,4}\s*$/i;

export interface HumanRequestHit {
  excerpt: string;
  /** 'pattern' when a rule matched, 'model' when only the classifier fired. */
  via: 'pattern' | 'model';
  probability: number;
}

/**
 * The first pattern match that the customer did not negate; 'negated' when every match was negated
 * (a request the customer explicitly declined is not one, whatever the model thinks of the words).
 */
export function matchPatterns(folded: string): { index: number; length: number } | 'negated' | undefined {
  // One scan with the union of all patterns: most messages match none, and then nothing else runs.
  if (!ANY_PATTERN_RE.test(folded)) return undefined;
  let negated = false;
  for (const re of PATTERNS) {
    const m = re.exec(folded);
    if (!m) continue;
    if (NEGATED_RE.test(folded.slice(Math.max(0, m.index - 40), m.index))) {
      negated = true;
      continue;
    }
    return { index: m.index, length: m[0].length };
  }
  return negated ? 'negated' : undefined;
}

/** What the check reads of a message, prepared once per analysis (memo.ts PreparedText). */
export interface HumanRequestInput {
  text: string;
  /** foldAccents(normalizeQuotes(text)). */
  folded: string;
  /** words(text) (read only when no pattern decides). */
  words: readonly string[];
  /** The ids of those words in the analysis's word table (memo.ts), when the caller has them. */
  readonly wordIds?: WordIds;
}

export function detectHumanRequest(text: string): HumanRequestHit | undefined {
  let ws: readonly string[] | undefined;
  return detectHumanRequestPrepared({
    text,
    folded: foldAccents(normalizeQuotes(text)),
    get words() {
      return (ws ??= words(text));
    },
  });
}

export function detectHumanRequestPrepared(input: HumanRequestInput): HumanRequestHit | undefined {
  const { text, folded } = input;
  const pattern = matchPatterns(folded);
  if (pattern === 'negated') return undefined;
  if (pattern) return { excerpt: excerptAround(text, pattern.index, pattern.index + pattern.length), via: 'pattern', probability: 1 };
  const ids = input.wordIds;
  const p = softmax(ids ? intentLogitsOfIds(getModel(), ids) : intentLogits(getModel(), input.words))[1] ?? 0;
  if (p >= threshold) return { excerpt: excerptAround(text, 0, Math.min(text.length, 120)), via: 'model', probability: p };
  return undefined;
}
