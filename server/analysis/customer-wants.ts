/**
 * What the customer wants now, in their own words (issue 14): the latest sentence of a customer turn that
 * states a want ("I want the second one refunded", "Quiero que…", "Ich möchte…"), with its message. Absent
 * when no turn says it: the summary then says nothing about expectations rather than inventing one from
 * the topic. A bare request for a person ("get me a human") is not such a want; the triggers report it.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import { hasJapanese } from './japanese.ts';
import { clip, foldAccents, normalizeQuotes, sentences } from './text.ts';

/** Matched on accent-folded, lower-cased text. en, es, de, fr, pt. */
const WANT_RE =
  /\b(?:(?:i|we)(?: just| really| only| still| now)? (?:want|need|would like|'d like|require|expect|demand|am asking|are asking|ask you)|please|(?:can|could|would) (?:you|someone|somebody|a person|an agent)|quiero|necesito|quisiera|me gustaria|exijo|por favor|ich (?:mochte|will|brauche|erwarte|verlange|bitte)|bitte|konnen sie|je (?:veux|voudrais|souhaite|demande|exige)|j'ai besoin|merci de|pouvez-vous|pourriez-vous|s'il vous plait|quero|preciso|gostaria)\b/;
const JA_WANT_RE = /(?:してください|して下さい|ほしい|欲しい|お願いします|お願いいたします|願います)/;

/** A sentence that only asks to be handed to a person; matched on the same folded text. */
const HANDOVER_RE =
  /\b(?:(?:talk|speak|chat) (?:to|with)|(?:pass|transfer|connect|put) (?:me )?(?:through )?(?:to|with)|get me|give me) (?:a |an |the |some )?(?:real |actual |live )?(?:human|person|someone|somebody|agent|representative|operator|manager|teammate)\b|\bhablar con (?:una persona|un humano|alguien|un agente)|\bmit (?:einem|einer) (?:menschen|mitarbeiter|mitarbeiterin)|\bparler a (?:une personne|un humain|quelqu'un|un conseiller|un agent)|\bfalar com (?:uma pessoa|um atendente|alguem|um humano)/;
const JA_HANDOVER_RE = /(?:担当者|オペレーター|人間|スタッフ)(?:と|に)(?:話|つな|繋)/;

export interface CustomerWant {
  /** The customer's sentence, clipped. */
  text: string;
  messageIndex: number;
}

function wants(sentence: string): boolean {
  if (hasJapanese(sentence)) return JA_WANT_RE.test(sentence) && !JA_HANDOVER_RE.test(sentence);
  const t = foldAccents(normalizeQuotes(sentence)).toLowerCase();
  return WANT_RE.test(t) && !HANDOVER_RE.test(t);
}

const END_PUNCT = '.!?…。！？';
/** The sentence without its closing punctuation (a loop, not /[.!?]+$/: that one is quadratic on "!!!…x"). */
function bare(s: string): string {
  let end = s.length;
  while (end > 0 && END_PUNCT.includes(s[end - 1]!)) end--;
  return s.slice(0, end);
}

function split(text: string): string[] {
  return hasJapanese(text) ? text.split(/(?<=[。！？])/).map((x) => x.trim()).filter((x) => x !== '') : sentences(text);
}

/**
 * The latest stated want, scanning customer turns from the last. `skip` is the issue statement already
 * quoted by the summary: the same words are not quoted twice.
 */
export function customerWant(messages: readonly HandoffMessage[], skip?: { text: string; messageIndex: number }): CustomerWant | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'customer' || !m.text) continue;
    const ss = split(m.text);
    for (let k = ss.length - 1; k >= 0; k--) {
      const s = ss[k]!;
      if (!wants(s)) continue;
      if (skip && skip.messageIndex === i && skip.text.includes(bare(s).slice(0, 60))) continue;
      return { text: clip(s, 140), messageIndex: i };
    }
  }
  return undefined;
}
