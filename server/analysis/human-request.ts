/**
 * "Let me talk to a person": multilingual patterns (en, es, de, fr, pt; ja in japanese.ts) plus a trained English classifier
 * (models/human-request.json) for the phrasings patterns miss. Negated requests ("no need for an agent")
 * are not requests.
 */
import humanJson from './models/human-request.json' with { type: 'json' };
import { intentLogits, intentLogitsOfIds, type WordIds } from './features.ts';
import { loadLinearModel, softmax, type LinearModel, type LinearModelJson } from './linear-model.ts';
import { hasJapanese, jaHumanRequest } from './japanese.ts';
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
  "(?:(?:a|an|the|your|some|one of your|real|actual|live|human|other|someone from|somebody from)\\s+)*(?:human(?:s| being)?|person|people|agent|rep|representative|operator|staff(?: member)?|employee|manager|supervisor|advisor|adviser|associate|specialist|someone|somebody|anyone|anybody|team member|customer service (?:agent|rep|representative)|support (?:agent|person|staff)|bank worker|worker|man|woman|guy|assistant)";
const VERB_EN =
  "(?:talk(?:ing)?|speak(?:ing)?|chat(?:ting)?|connect(?:ed)?|transfer(?:red)?|put|pass|get|switch|escalate|forward|hand(?:ed)?(?: me)? over|route|redirect|reach(?:ing)?|contact(?:ing)?)";

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
  // Rejecting the bot without naming a person: "I don't want to chat with a machine", "this bot is useless".
  /\b(?:don'?t|do not|no longer|never) (?:want|wish|like) to (?:talk|speak|chat|deal|be)(?: talking)? (?:to|with) (?:a |an |the |this |your |some )?(?:stupid |automated |virtual )?(?:machine|bot|robot|chatbot|computer|ai|program|algorithm|automated (?:system|assistant))s?\b/i,
  /\b(?:this|the|your|stupid|useless|dumb) (?:bot|robot|chatbot|machine|virtual assistant|automated (?:system|assistant))s? (?:is|are|isn'?t|is not|can'?t|cannot|doesn'?t|does not) (?:\w+ )?(?:useless|helping|help|helpful|understand\w*|hopeless|pointless|worthless|stupid|rubbish|garbage|a waste)\b/i,
  /\b(?:no more|enough (?:of|with)(?: the| this| your)?|stop (?:sending|giving) me) (?:bots?|robots?|machines?|automated (?:answers|replies|responses|messages)|canned (?:answers|replies|responses))\b/i,
  // Someone other than the bot: "can somebody else look at this", "is anyone there", "a non-robot agent".
  /\b(?:can|could|would|will|may|let|need|want|get) (?:somebody|someone|anybody|anyone) (?:(?:else|real|actual) (?:please )?(?:look|check|help|take (?:a )?look|have (?:a )?look|review|handle|deal with|sort|assist)|(?:please )?(?:look (?:at|into) (?:this|it|my)|take (?:a )?look|have (?:a )?look))\b/i,
  /\b(?:somebody|someone|anybody|anyone) (?:else|other than (?:you|a bot|the bot|this bot))\b.{0,40}\b(?:help|look|check|handle|talk|speak)\b/i,
  /^\W*(?:hello\W+|hi\W+)?(?:is|are) (?:there )?(?:anyone|anybody|someone|somebody|a human|a person|any humans?) (?:there|here|out there|around|available|real|reading this|awake|alive)\W*$/i,
  /\bnon[- ]?(?:robot|bot|ai|machine|automated|virtual)(?:ic)? (?:agents?|persons?|people|staff|humans?|beings?|reps?|representatives?|help|support|assistance|employees?)\b/i,
  /^\W*(?:(?:one of )?(?:your )?(?:staff|employees?|colleagues?|team members?|reps?))\s*(?:please|pls|plz|now)\b/i,
  // A department or desk by name: "put me through to billing", "can I talk to the front desk".
  /\b(?:put|transfer|connect|pass|forward|redirect|route|send|switch) me (?:through |over |back )?to (?:the |your |someone (?:in|from|at) )?(?:billing|accounts?|sales|support|customer (?:service|care|support)|complaints|returns|tech(?:nical)? support|claims|collections|fraud|front desk|reception|concierge|manager|supervisor|helpdesk|help desk|service desk|branch)\b/i,
  /\b(?:talk|speak|chat) (?:to|with) (?:someone |somebody |a person )?(?:in|from|at) (?:the |your )?(?:billing|accounts?|sales|support|customer (?:service|care)|complaints|returns|tech(?:nical)? support|claims|fraud|front desk|reception|branch)\b/i,
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

/**
 * Mentions of a person that are not a request for one: delegating a question ("could you ask an agent how
 * to..."), booking time with a person ("book a slot with the branch manager"), and asking what the bot is
 * ("are you a real person?"). Their spans are blanked before the request patterns and the model look.
 */
const NOT_A_REQUEST_RE =
  /\b(?:ask|check with|tell|have|get|let) (?:a |an |the |your |one of your )?(?:human|person|agent|representative|rep|staff|team|colleague|operator|specialist|manager|supervisor)s? (?:how|what|when|where|why|whether|if|about|for|to (?:check|confirm|find|look|send|tell|let|call|email|update|fix|cancel|refund|change|reset|process|approve|add|remove))\b|\b(?:book|schedule|arrange|make|set up|reserve|request|get)(?: me)? (?:an? |the |my )?(?:\w+ )?(?:appointment|slot|meeting|call|session|consultation|viewing|visit|time|callback|video call)s? (?:with|for) (?:a |an |the |your |my |one of your )?(?:\w+ ){0,2}(?:manager|advisor|adviser|agent|person|specialist|consultant|banker|doctor|stylist|representative|rep|staff|expert|someone|somebody)\b|\b(?:do|will|would|must|should) (?:i|we) (?:need|have|be able) to (?:talk|speak|chat) (?:to|with) (?:a |an |the |your |some )?(?:human|person|agent|representative|rep|someone|somebody|staff|branch) (?:to|for|in order to|about|if|before)\b|^\W*(?:are you|am i (?:talking|chatting|speaking|writing) (?:to|with)|is this|is that|r u|are u|is it|you are|you're) (?:a |an |just a |even a )?(?:real |actual |live |human |automated )?(?:person|human|bot|robot|machine|ai|agent|people|being)\b[^.!]{0,20}[?.!]*\s*$/gi;

export function maskNonRequests(folded: string): string {
  NOT_A_REQUEST_RE.lastIndex = 0;
  if (!NOT_A_REQUEST_RE.test(folded)) return folded;
  NOT_A_REQUEST_RE.lastIndex = 0;
  return folded.replace(NOT_A_REQUEST_RE, (m) => ' '.repeat(m.length));
}

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
  const masked = maskNonRequests(folded);
  if (masked !== folded) {
    folded = masked;
    if (!ANY_PATTERN_RE.test(folded)) return 'negated';
  }
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
  // Japanese is matched on the text as written (japanese.ts): folding decomposes kana with voicing marks.
  if (hasJapanese(text)) {
    const ja = jaHumanRequest(text);
    if (ja === 'negated') return undefined;
    if (ja) return { excerpt: excerptAround(text, ja.index, ja.index + ja.length), via: 'pattern', probability: 1 };
  }
  const pattern = matchPatterns(folded);
  if (pattern === 'negated') return undefined;
  if (pattern) return { excerpt: excerptAround(text, pattern.index, pattern.index + pattern.length), via: 'pattern', probability: 1 };
  // A delegated question or a booking with a person: the model reads what is left of the message.
  const masked = maskNonRequests(folded);
  const ids = masked === folded ? input.wordIds : undefined;
  const ws = masked === folded ? input.words : words(masked);
  const p = softmax(ids ? intentLogitsOfIds(getModel(), ids) : intentLogits(getModel(), ws))[1] ?? 0;
  if (p >= threshold) return { excerpt: excerptAround(text, 0, Math.min(text.length, 120)), via: 'model', probability: p };
  return undefined;
}
