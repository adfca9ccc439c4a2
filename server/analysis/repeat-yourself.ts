/**
 * "Had to repeat themselves" (issue 11): whether the customer's first messages after the handoff restate what
 * they had already told the bot. Two signals: a phrase that says so ("as I said", "I already told", "como ya
 * dije", "wie gesagt", "comme je l'ai dit", "como eu já disse", "先ほども申し上げ"), or a message whose content
 * words are mostly ones the customer used before the handoff (a restatement). Pure: redacted text in, verdict out.
 */
import { words } from './text.ts';
import { hasJapanese } from './japanese.ts';

export interface RepeatVerdict {
  /** True when the score reaches REPEAT_THRESHOLD. */
  repeated: boolean;
  /** 0..1: 1 for an explicit phrase, otherwise the best restatement overlap. */
  score: number;
  /** Which message after the handoff (index into `after`) and why; absent when nothing was found. */
  evidence?: { index: number; kind: 'phrase' | 'restated'; excerpt: string };
}

export const REPEAT_THRESHOLD = 0.6;

/**
 * Phrases that say "I am repeating myself", en/es/de/fr/pt/ja. Bare "again" is not one ("it crashed again" is
 * news, not a restatement): only "again" tied to saying, explaining or writing counts.
 */
const REPEAT_PHRASES: readonly RegExp[] = [
  /\b(?:as|like) i (?:already |just )?(?:said|told you|mentioned|explained|wrote)\b/i,
  /\bi(?: have|'ve)? already (?:said|told|explained|mentioned|wrote|written|gave|given|provided|sent)\b/i,
  /\bi already did (?:this|that|all)\b/i,
  /\b(?:for the (?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time)\b/i,
  /\b(?:explain|say|tell you|repeat|write|type|go through) (?:it |this |that |everything |all of this |all this )?(?:all )?(?:over )?again\b/i,
  /\bonce again\b/i,
  // No closing \b after an accented letter: without the u flag, é is not a word character.
  /\bcomo (?:ya )?(?:te |le |les )?(?:dije|he dicho|comenté|expliqué|mencioné|escribí)/i,
  /\bya (?:te |le |lo |se lo )?(?:dije|he dicho|expliqué|he explicado|comenté|mencioné)/i,
  /\bwie (?:ich )?(?:bereits |schon )?(?:gesagt|geschrieben|erwähnt|erklärt)\b/i,
  /\bich habe (?:ihnen |dir |es )?(?:doch )?(?:schon|bereits) (?:gesagt|geschrieben|erklärt|erwähnt)\b/i,
  /\b(?:noch ?mal|noch einmal|zum (?:zweiten|dritten) mal)\b/i,
  /\bcomme (?:je )?(?:l'ai |vous l'ai |te l'ai )?(?:déjà )?(?:dit|expliqué|mentionné|écrit)/i,
  /\bje (?:vous |te )?(?:l'ai |ai )déjà (?:dit|expliqué|mentionné|écrit)/i,
  /\b(?:encore une fois|pour la (?:deuxième|troisième) fois)\b/i,
  /\bcomo (?:eu )?(?:já )?(?:disse|falei|expliquei|mencionei|escrevi)\b/i,
  /\bjá (?:te |lhe )?(?:disse|falei|expliquei|mencionei|informei)\b/i,
  /\b(?:pela (?:segunda|terceira) vez|mais uma vez)\b/i,
  /(?:先ほど|さっき|先程|前に|既に|すでに)も?(?:申し上げ|言い|言っ|伝え|お伝え|説明し|書い)/,
  /(?:何度も|もう一度)(?:言|説明|伝え|書)/,
];

/** Words that carry no content in any of the six languages (the restatement test ignores them). */
const STOP = new Set(
  (
    'the a an and or but to of in on at for with is are was were be been it its this that my your me you we our i im ' +
    'have has had do does did not no yes can could would should will just still again already please thanks thank ' +
    'hi hello there what when how why who which from about as so if than then them they he she his her us am ' +
    'el la los las un una y o pero de del en con por para es son fue mi tu su que no si ya lo le se me te ' +
    'der die das ein eine und oder aber zu von mit für ist sind war ich du sie wir es mein dein nicht ja noch schon ' +
    'le la les un une et ou mais de des du en avec pour est sont était je tu il elle nous vous mon ma mes pas oui ' +
    'o a os as um uma e ou mas de do da em com por para é são foi eu você meu minha não sim já'
  ).split(' '),
);

/** Content tokens of a message: words of 3+ letters not in STOP, by their first 6 letters (cheap stemming). */
function contentTokens(text: string): Set<string> {
  const out = new Set<string>();
  if (hasJapanese(text)) {
    // Japanese has no spaces: character bigrams of the kana/kanji runs stand in for words.
    const chars = [...text.replace(/[\s、。！？!?.,「」]/g, '')];
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
    return out;
  }
  for (const w of words(text)) {
    if (w.length < 3 || STOP.has(w)) continue;
    out.add(w.slice(0, 6));
  }
  return out;
}

function excerpt(text: string, max = 140): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** How many content tokens an after-message needs before overlap can count (short replies like "yes the order" cannot). */
const MIN_TOKENS = 4;

/**
 * `before`: the customer's messages to the bot (redacted); `after`: their first messages to the agent, in
 * order (callers pass the first three). The best signal over all of them decides.
 */
export function detectRepeat(before: readonly string[], after: readonly string[]): RepeatVerdict {
  let best: RepeatVerdict = { repeated: false, score: 0 };
  const prior = new Set<string>();
  for (const b of before) for (const t of contentTokens(b)) prior.add(t);
  for (let i = 0; i < after.length; i++) {
    const text = after[i] ?? '';
    if (REPEAT_PHRASES.some((re) => re.test(text))) {
      return { repeated: true, score: 1, evidence: { index: i, kind: 'phrase', excerpt: excerpt(text) } };
    }
    const mine = contentTokens(text);
    if (mine.size < MIN_TOKENS || prior.size === 0) continue;
    let shared = 0;
    for (const t of mine) if (prior.has(t)) shared++;
    const score = Math.round((shared / mine.size) * 1000) / 1000;
    if (score > best.score) best = { repeated: false, score, evidence: { index: i, kind: 'restated', excerpt: excerpt(text) } };
  }
  best.repeated = best.score >= REPEAT_THRESHOLD;
  if (!best.repeated && best.score === 0) delete best.evidence;
  return best;
}
