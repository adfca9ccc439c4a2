/**
 * What the bot tried (articles, links, steps, actions, answers) and how the customer took it. The reaction
 * is read from the customer's next turn(s) before the bot speaks again. Acknowledgements, apologies,
 * questions back, hand-over lines and "I can't help" are not attempts (bot-lines.ts); the same thing offered
 * again is one attempt with a count (issue 14).
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { AttemptedSolution, Evidence, SolutionOffer, SolutionOutcome } from '../types/handoff-report.ts';
import { botLineKind } from './bot-lines.ts';
import { MessageMemo } from './memo.ts';
import { clip, excerptAround, foldAccents, jaccard, jaccardSets, normalizeQuotes, sentences, words } from './text.ts';

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/gi;
const STEP_RE = /(?:^|\n)[^\S\n]*(?:\d+[.)]|step \d+|[-*•])\s+\S/i;
const IMPERATIVE_RE = /^(?:(?:to|para|pour|um|para) [^,]{3,40},\s*)?(?:please\s+|por favor,?\s+|bitte\s+|s'il vous plait,?\s+)?(?:ve a|vaya a|haz clic|haga clic|intenta|prueba|abre|gehen sie|klicken sie|offnen sie|versuchen sie|allez|cliquez|essayez|ouvrez|va para|acesse|clique|tente|abra|try|go to|open|click|tap|select|clear|restart|reinstall|update|check|make sure|enter|log out|sign out|log in|sign in|use|follow|navigate|visit|reset|turn (?:off|on)|disable|enable|wait|refresh|reload|first,?|then)\b/i;
const ACTION_RE = /\b(?:i(?:'ve| have)?|we(?:'ve| have)?)\s+(?:just\s+|now\s+|already\s+)?(sent|resent|emailed|reset|cancell?ed|issued|created|opened|refunded|updated|changed|unlocked|reactivated|submitted|logged|filed|requested|applied|scheduled|processed|initiated|triggered)\b[^.!?\n]*/i;
const POINTER_RE = /\b(?:this|the|these|that|those|our|following|linked|attached) (?:guide|article|link|page|help ?(?:center|centre|page)|docs?|documentation|tutorial|faq|resource|post|instructions|steps in (?:this|the) (?:article|guide))s?\b|\b(?:below|here|este (?:articulo|enlace)|esta guia|diesen? (?:artikel|link|anleitung)|cet article|ce lien|ce guide|este (?:artigo|link)|esta guia)\b/i;
const HANDOVER_ACTION_RE = /hand_?off|handover|human|agent|escalat|fallback|transfer|live_?chat|operator/i;
const TICKET_RE = /\b(?:ticket|case|escalat\w*)\b/i;
/** "Have you tried restarting?" suggests something; "What is your order number?" does not. */
const SUGGESTION_QUESTION_RE = /^\W*(?:have you tried|did you try|could you try|can you try|would you (?:like to )?try|has pro?bado|haben sie (?:schon )?versucht|avez-vous essaye|ja tentou|voce tentou)\b/i;
const NON_ANSWER_RE = /\b(?:sorry|i (?:didn'?t|don'?t|did not|do not) (?:understand|get that|follow)|could you rephrase|can you rephrase|i'?m not sure|i can'?t help|i cannot help|i am unable|let me (?:connect|transfer)|connecting you|transferring you|one moment|an agent will|a human will|hello|^hi\b|^hey\b|how can i help)\b/i;

const REJECT_RE = new RegExp(
  [
    "\\b(?:did ?n[o']?t|does ?n[o']?t|do ?n[o']?t|is ?n[o']?t|was ?n[o']?t|not|never|still ?n[o']?t|ca ?n[o']?t|cannot|wo ?n[o']?t)\\s+(?:\\w+\\s+){0,2}(?:work|working|worked|help|helps|helped|fix|fixed|solve|solved|arrive|arrived|come|came|get|got|receive|received|load|open|apply|relevant|useful|answer)",
    "^\\W*(?:no|nope|not really|they'?re not|it'?s not|that'?s not|they are not|it is not|that is not)\\b|\\b(?:(?:i|we) (?:already |had )?(?:set (?:it|this|that) up|configured (?:it|that|this))|already (?:tried|did|done|read|followed|checked|reset|clicked|set)|i (?:tried|did) (?:that|this|it|those)|(?:tried|did|done|followed) (?:that|this|it|those|these)(?: steps?)?,? (?:already|twice|three times|before)|same (?:error|problem|issue|thing|page|link|article)|that'?s not (?:it|what|my|the)|not what i (?:asked|need|meant|want)|no,|^no\\b|nope|wrong|useless|doesn'?t apply|not relevant|irrelevant|that link|this link|the link (?:is|was) (?:broken|dead|expired)|expired|still (?:broken|failing|getting|not|the same|can'?t|have|says|shows|there|happening|timing out|crashing|stuck|wrong|missing|down)|again\\?|keeps? (?:saying|failing|sending)|i (?:called|phoned|emailed)|i did that|i never (?:got|received))",
    '\\b(?:no funciona|no sirve|no sirvio|no (?:me )?ayuda|no me ayudo|ya lo (?:intente|hice)|sigue sin|funktioniert nicht|hilft (?:mir )?nicht|hat (?:mir )?nicht geholfen|bringt (?:mir )?nichts|hab ich schon|schon versucht|ne marche pas|(?:ca |cela )?ne m\'aide pas|n\'aide pas|n\'a pas aide|deja essaye|nao funciona|nao (?:me )?ajud(?:a|ou)|ja tentei)|役に立ちません|役に立たない|解決しません|解決しませんでした',
  ].join('|'),
  'i',
);
const ACCEPT_RE = /\b(?:(?:that|it|this) (?:worked|works|helped|fixed it|did it|did the trick|solved it|makes sense|answers (?:it|my question))|ok(?:ay)?,? (?:that makes sense|thanks|thank you|got it)|good to know|worked,? thanks|works now|working now|all good|perfect|great,? thanks|got it,? thanks|problem solved|solved|fixed|thank you,? that helps|that helps|funciono|gracias,? funciono|hat funktioniert|ca marche|funcionou)\b/i;

interface Offered {
  kind: AttemptedSolution['kind'];
  text: string;
  url?: string;
}

function offersFrom(m: HandoffMessage): Offered[] {
  const out: Offered[] = [];
  const text = normalizeQuotes(m.text ?? '');
  const seenUrls = new Set<string>();
  // "Please try reinstalling the app: <link>" is one attempt (the link), not a link and steps.
  const linkLabels = new Set<string>();
  for (const a of m.bot?.articles ?? []) {
    out.push({ kind: 'article', text: clip(a.title?.trim() || a.url, 100), url: a.url });
    seenUrls.add(a.url.replace(/\/$/, ''));
  }
  // A platform action that hands over or falls back (action_handoff, escalate_to_agent, action_default_fallback) is not an attempt.
  for (const a of m.bot?.actions ?? []) if (a.trim() && !HANDOVER_ACTION_RE.test(a)) out.push({ kind: 'action', text: clip(a.trim(), 120) });
  // Split once, not once per link: a message full of links must not cost links x length.
  let textSentences: string[] | undefined;
  for (const u of text.match(URL_RE) ?? []) {
    if (seenUrls.has(u.replace(/\/$/, ''))) continue;
    seenUrls.add(u.replace(/\/$/, ''));
    const sentence = (textSentences ??= sentences(text)).find((s) => s.includes(u)) ?? u;
    const label = sentence.replace(u, '').replace(/(?<![:\-–—\s])[:\-–—\s]+$/, '').trim();
    out.push({ kind: 'link', text: clip(label.length >= 8 ? label : u, 120), url: u });
    if (label.length >= 8) linkLabels.add(textKey(label));
  }
  if (!m.bot?.actions?.length) {
    const act = ACTION_RE.exec(text);
    // "I've escalated this to our team" / "I've opened a ticket for a colleague" hand the matter over.
    if (act && !botLineKind(foldAccents(act[0])) && !TICKET_RE.test(act[0])) out.push({ kind: 'action', text: clip(act[0].trim(), 120) });
  }
  // Only sentences that may carry a solution: "Of course.", "Understood.", "This looks like a security issue.",
  // "I'll ask a teammate", "I couldn't find an answer" and questions back are never what the bot tried.
  const sents = sentences(text.replace(URL_RE, '')).filter((s) => {
    const kind = botLineKind(foldAccents(s));
    return kind === undefined || (kind === 'question' && SUGGESTION_QUESTION_RE.test(foldAccents(s)));
  });
  // "Follow this guide." next to an article is the article, not a second attempt.
  const pointsAtOffer = out.some((o) => o.kind === 'article' || o.kind === 'link');
  const imperative = sents.map((s) => {
    const f = foldAccents(s);
    if (pointsAtOffer && POINTER_RE.test(f)) return false;
    return IMPERATIVE_RE.test(f) || SUGGESTION_QUESTION_RE.test(f);
  });
  if (STEP_RE.test(text) || imperative.includes(true)) {
    const steps = sents.filter((s, k) => imperative[k] || /^\s*(?:\d+[.)]|step \d+)/i.test(s));
    if (steps.length > 0 && !(steps.length === 1 && linkLabels.has(textKey(steps[0]!)))) out.push({ kind: 'steps', text: clip(steps.join(' '), 160) });
  }
  // A substantive reply with none of the above is still an answer the customer may have rejected.
  const kept = sents.join(' ');
  if (out.length === 0 && sents.length > 0 && words(kept).length >= 8 && !NON_ANSWER_RE.test(kept) && !/\?\s*$/.test(kept.trim())) {
    out.push({ kind: 'answer', text: clip(sents[0]!, 140) });
  }
  return out;
}

function reactionTo(replies: readonly { index: number; text: string }[], previousCustomer: string | undefined, memo: MessageMemo): { outcome: SolutionOutcome; reaction?: Evidence } {
  const first = replies[0];
  if (!first) return { outcome: 'unclear' };
  for (const r of replies) {
    const folded = memo.message(r.index).folded;
    const rej = REJECT_RE.exec(folded);
    if (rej) return { outcome: 'rejected', reaction: { messageIndex: r.index, excerpt: excerptAround(r.text, rej.index, rej.index + rej[0].length) } };
    const ms = memo.sentiment(r.index);
    if (ACCEPT_RE.test(folded) && !ms.complaint && ms.label !== 'negative') {
      return { outcome: 'accepted', reaction: { messageIndex: r.index, excerpt: clip(r.text, 120) } };
    }
  }
  const ev = { messageIndex: first.index, excerpt: clip(first.text, 120) };
  // Complaining, or asking the same question again right after the answer: it failed.
  const s = memo.sentiment(first.index);
  // Asking for a person without a word about the offer is not saying it failed (issue 14): that is `ignored`.
  if (memo.human(first.index) && !s.complaint) return { outcome: 'ignored', reaction: ev };
  if (s.label === 'negative') return { outcome: 'rejected', reaction: ev };
  // Word ids of one table: the same sets, so the same Jaccard, as the word lists (which are then never built).
  const firstWords = memo.message(first.index).wordIds.ids;
  if (previousCustomer && jaccard(memo.text(previousCustomer).wordIds.ids, firstWords) >= 0.5) return { outcome: 'rejected', reaction: ev };
  if (firstWords.length <= 3) return { outcome: 'unclear', reaction: ev };
  // The customer moved on to something else without taking up the offer.
  return { outcome: 'ignored', reaction: ev };
}

export function extractSolutions(messages: readonly HandoffMessage[], memo = new MessageMemo(messages)): AttemptedSolution[] {
  const out: AttemptedSolution[] = [];
  const seen = new OfferIndex();
  let lastCustomer: string | undefined;
  // Offers are computed once per bot turn: the reply scan below looks ahead for the next offering turn.
  const offersAt = messages.map((m) => (m.role === 'bot' ? offersFrom(m) : []));
  messages.forEach((m, i) => {
    if (m.role === 'customer') {
      lastCustomer = m.text;
      return;
    }
    if (m.role !== 'bot') return;
    const offers = offersAt[i]!;
    if (offers.length === 0) return;
    const replies: { index: number; text: string }[] = [];
    for (let j = i + 1; j < messages.length; j++) {
      const n = messages[j]!;
      if (n.role === 'bot' && offersAt[j]!.length > 0) break;
      if (n.role === 'agent') break;
      if (n.role === 'customer' && n.text.trim()) replies.push({ index: j, text: n.text });
    }
    const { outcome, reaction } = reactionTo(replies, lastCustomer, memo);
    for (const o of offers) {
      const s: AttemptedSolution = { kind: o.kind, text: o.text, messageIndex: i, outcome };
      if (o.url) s.url = o.url;
      if (reaction) s.reaction = reaction;
      const earlier = seen.find(s);
      if (earlier) mergeOffer(earlier, s);
      else {
        seen.add(s);
        out.push(s);
      }
    }
  });
  return out;
}

function urlKey(u: string): string {
  let k = u.trim().toLowerCase();
  const hash = k.indexOf('#');
  if (hash >= 0) k = k.slice(0, hash);
  while (k.endsWith('/')) k = k.slice(0, -1);
  return k;
}
const textKey = (t: string): string => foldAccents(t).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Near-duplicate steps or answers are looked for among this many latest offers of the same kind. */
const FUZZY_WINDOW = 64;

interface OfferKeys {
  order: number;
  url?: string;
  text: string;
  words?: ReadonlySet<string>;
}

/**
 * The same article, link, steps or answer offered again: by URL, by the same words, or (steps and answers) nearly
 * the same words. Keys are computed once per offer and exact matches are map lookups, so a transcript with
 * thousands of bot turns is not compared pairwise; the fuzzy match looks back FUZZY_WINDOW offers of its kind.
 * The earliest matching offer wins.
 */
class OfferIndex {
  private readonly keys = new Map<AttemptedSolution, OfferKeys>();
  private readonly byUrl = new Map<string, AttemptedSolution>();
  private readonly byText = new Map<string, AttemptedSolution>();
  private readonly recentByKind = new Map<string, AttemptedSolution[]>();

  private keysOf(s: AttemptedSolution): OfferKeys {
    let k = this.keys.get(s);
    if (!k) {
      k = { order: this.keys.size, text: textKey(s.text) };
      if (s.url) k.url = urlKey(s.url);
      this.keys.set(s, k);
    }
    return k;
  }

  private wordsOf(k: OfferKeys): ReadonlySet<string> {
    return (k.words ??= new Set(k.text.split(' ')));
  }

  find(s: AttemptedSolution): AttemptedSolution | undefined {
    const k = this.keysOf(s);
    const found: AttemptedSolution[] = [];
    const byUrl = k.url !== undefined ? this.byUrl.get(k.url) : undefined;
    if (byUrl) found.push(byUrl);
    const byText = this.byText.get(`${s.kind}\u0000${k.text}`);
    if (byText) found.push(byText);
    if (s.kind !== 'article' && s.kind !== 'link') {
      const mine = this.wordsOf(k);
      const fuzzy = (this.recentByKind.get(s.kind) ?? []).find((e) => jaccardSets(this.wordsOf(this.keysOf(e)), mine) >= 0.8);
      if (fuzzy) found.push(fuzzy);
    }
    let best: AttemptedSolution | undefined;
    for (const f of found) if (!best || this.keysOf(f).order < this.keysOf(best).order) best = f;
    return best;
  }

  add(s: AttemptedSolution): void {
    const k = this.keysOf(s);
    if (k.url !== undefined && !this.byUrl.has(k.url)) this.byUrl.set(k.url, s);
    const textKeyOfKind = `${s.kind}\u0000${k.text}`;
    if (!this.byText.has(textKeyOfKind)) this.byText.set(textKeyOfKind, s);
    const recent = this.recentByKind.get(s.kind) ?? [];
    recent.push(s);
    if (recent.length > FUZZY_WINDOW) recent.shift();
    this.recentByKind.set(s.kind, recent);
  }
}

const offerOf = (s: AttemptedSolution): SolutionOffer => (s.reaction ? { messageIndex: s.messageIndex, outcome: s.outcome, reaction: s.reaction } : { messageIndex: s.messageIndex, outcome: s.outcome });

/** One attempt with a count: the outcome is the customer's last clear verdict (rejected or accepted). */
function mergeOffer(into: AttemptedSolution, again: AttemptedSolution): void {
  const history = into.offerHistory ?? [offerOf(into)];
  history.push(offerOf(again));
  into.offerHistory = history;
  into.offers = history.length;
  const clear = [...history].reverse().find((h) => h.outcome === 'rejected' || h.outcome === 'accepted');
  const pick = clear ?? history.find((h) => h.outcome === 'ignored') ?? history[history.length - 1]!;
  into.outcome = pick.outcome;
  if (pick.reaction) into.reaction = pick.reaction;
  else delete into.reaction;
}

/** Every offer the customer rejected (a repeated solution counts once per rejection), oldest first. */
export function rejectedOffers(solutions: readonly AttemptedSolution[]): SolutionOffer[] {
  const out: SolutionOffer[] = [];
  for (const s of solutions) for (const h of s.offerHistory ?? [offerOf(s)]) if (h.outcome === 'rejected') out.push(h);
  return out.sort((a, b) => a.messageIndex - b.messageIndex);
}
