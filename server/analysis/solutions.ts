/**
 * What the bot tried (articles, links, steps, actions, answers) and how the customer took it. The reaction
 * is read from the customer's next turn(s) before the bot speaks again.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { AttemptedSolution, Evidence, SolutionOutcome } from '../types/handoff-report.ts';
import { MessageMemo } from './memo.ts';
import { clip, excerptAround, foldAccents, jaccard, normalizeQuotes, sentences, words } from './text.ts';

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/gi;
const STEP_RE = /(?:^|\n)[^\S\n]*(?:\d+[.)]|step \d+|[-*•])\s+\S/i;
const IMPERATIVE_RE = /^(?:(?:to|para|pour|um|para) [^,]{3,40},\s*)?(?:please\s+|por favor,?\s+|bitte\s+|s'il vous plait,?\s+)?(?:ve a|vaya a|haz clic|haga clic|intenta|prueba|abre|gehen sie|klicken sie|offnen sie|versuchen sie|allez|cliquez|essayez|ouvrez|va para|acesse|clique|tente|abra|try|go to|open|click|tap|select|clear|restart|reinstall|update|check|make sure|enter|log out|sign out|log in|sign in|use|follow|navigate|visit|reset|turn (?:off|on)|disable|enable|wait|refresh|reload|first,?|then)\b/i;
const ACTION_RE = /\b(?:i(?:'ve| have)?|we(?:'ve| have)?)\s+(?:just\s+|now\s+|already\s+)?(sent|resent|emailed|reset|cancell?ed|issued|created|opened|refunded|updated|changed|unlocked|reactivated|escalated|submitted|logged|filed|requested|applied|scheduled|processed|initiated|triggered)\b[^.!?\n]*/i;
const NON_ANSWER_RE = /\b(?:sorry|i (?:didn'?t|don'?t|did not|do not) (?:understand|get that|follow)|could you rephrase|can you rephrase|i'?m not sure|i can'?t help|i cannot help|i am unable|let me (?:connect|transfer)|connecting you|transferring you|one moment|an agent will|a human will|hello|^hi\b|^hey\b|how can i help)\b/i;

const REJECT_RE = new RegExp(
  [
    "\\b(?:did ?n[o']?t|does ?n[o']?t|do ?n[o']?t|is ?n[o']?t|was ?n[o']?t|not|never|still ?n[o']?t|ca ?n[o']?t|cannot|wo ?n[o']?t)\\s+(?:\\w+\\s+){0,2}(?:work|working|worked|help|helps|helped|fix|fixed|solve|solved|arrive|arrived|come|came|get|got|receive|received|load|open|apply|relevant|useful|answer)",
    "^\\W*(?:no|nope|not really|they'?re not|it'?s not|that'?s not|they are not|it is not|that is not)\\b|\\b(?:(?:i|we) (?:already |had )?(?:set (?:it|this|that) up|configured (?:it|that|this))|already (?:tried|did|done|read|followed|checked|reset|clicked|set)|i (?:tried|did) (?:that|this|it|those)|(?:tried|did|done|followed) (?:that|this|it|those|these)(?: steps?)?,? (?:already|twice|three times|before)|same (?:error|problem|issue|thing|page|link|article)|that'?s not (?:it|what|my|the)|not what i (?:asked|need|meant|want)|no,|^no\\b|nope|wrong|useless|doesn'?t apply|not relevant|irrelevant|that link|this link|the link (?:is|was) (?:broken|dead|expired)|expired|still (?:broken|failing|getting|not|the same|can'?t|have|says|shows)|again\\?|keeps? (?:saying|failing|sending)|i (?:called|phoned|emailed)|i did that|i never (?:got|received))",
    '\\b(?:no funciona|no sirve|ya lo (?:intente|hice)|sigue sin|funktioniert nicht|hab ich schon|schon versucht|ne marche pas|deja essaye|nao funciona|ja tentei)',
  ].join('|'),
  'i',
);
const ACCEPT_RE = /\b(?:(?:that|it|this) (?:worked|works|helped|fixed it|did it|did the trick|solved it)|worked,? thanks|works now|working now|all good|perfect|great,? thanks|got it,? thanks|problem solved|solved|fixed|thank you,? that helps|that helps|funciono|gracias,? funciono|hat funktioniert|ca marche|funcionou)\b/i;

interface Offered {
  kind: AttemptedSolution['kind'];
  text: string;
  url?: string;
}

function offersFrom(m: HandoffMessage): Offered[] {
  const out: Offered[] = [];
  const text = normalizeQuotes(m.text ?? '');
  const seenUrls = new Set<string>();
  for (const a of m.bot?.articles ?? []) {
    out.push({ kind: 'article', text: clip(a.title?.trim() || a.url, 100), url: a.url });
    seenUrls.add(a.url.replace(/\/$/, ''));
  }
  for (const a of m.bot?.actions ?? []) if (a.trim()) out.push({ kind: 'action', text: clip(a.trim(), 120) });
  // Split once, not once per link: a message full of links must not cost links x length.
  let textSentences: string[] | undefined;
  for (const u of text.match(URL_RE) ?? []) {
    if (seenUrls.has(u.replace(/\/$/, ''))) continue;
    seenUrls.add(u.replace(/\/$/, ''));
    const sentence = (textSentences ??= sentences(text)).find((s) => s.includes(u)) ?? u;
    const label = sentence.replace(u, '').replace(/(?<![:\-–—\s])[:\-–—\s]+$/, '').trim();
    out.push({ kind: 'link', text: clip(label.length >= 8 ? label : u, 120), url: u });
  }
  if (!m.bot?.actions?.length) {
    const act = ACTION_RE.exec(text);
    if (act) out.push({ kind: 'action', text: clip(act[0].trim(), 120) });
  }
  const sents = sentences(text.replace(URL_RE, ''));
  const imperative = sents.map((s) => IMPERATIVE_RE.test(foldAccents(s)));
  if (STEP_RE.test(text) || imperative.includes(true)) {
    const steps = sents.filter((s, k) => imperative[k] || /^\s*(?:\d+[.)]|step \d+)/i.test(s));
    if (steps.length > 0) out.push({ kind: 'steps', text: clip(steps.join(' '), 160) });
  }
  // A substantive reply with none of the above is still an answer the customer may have rejected.
  if (out.length === 0 && words(text).length >= 8 && !NON_ANSWER_RE.test(text) && !/\?\s*$/.test(text.trim())) {
    out.push({ kind: 'answer', text: clip(sents[0] ?? text, 140) });
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
  // Asking for a person, complaining, or asking the same question again right after the answer: it failed.
  const s = memo.sentiment(first.index);
  if (memo.human(first.index) || s.label === 'negative') return { outcome: 'rejected', reaction: ev };
  // Word ids of one table: the same sets, so the same Jaccard, as the word lists (which are then never built).
  const firstWords = memo.message(first.index).wordIds.ids;
  if (previousCustomer && jaccard(memo.text(previousCustomer).wordIds.ids, firstWords) >= 0.5) return { outcome: 'rejected', reaction: ev };
  if (firstWords.length <= 3) return { outcome: 'unclear', reaction: ev };
  // The customer moved on to something else without taking up the offer.
  return { outcome: 'ignored', reaction: ev };
}

export function extractSolutions(messages: readonly HandoffMessage[], memo = new MessageMemo(messages)): AttemptedSolution[] {
  const out: AttemptedSolution[] = [];
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
      out.push(s);
    }
  });
  return out;
}
