/**
 * Over-long handoffs are cut, never refused: a bot does not retry a 4xx, so a 422 for a pasted 200 KB log
 * would leave the customer without a human. Each message keeps its head and tail around a visible
 * `[… N characters cut …]`; a transcript of more than MAX_MESSAGES keeps its first and last messages around a
 * system line `[… N messages cut …]`. What was cut is recorded so the note and the sidebar can say so.
 */
import type { EventCuts, HandoffMessage } from '../types/handoff-event.ts';

export interface TranscriptLimits {
  /** Longest message text kept whole. */
  maxChars: number;
  /** Messages kept from the start and from the end of a longer transcript. */
  firstMessages: number;
  lastMessages: number;
}

export const MAX_MESSAGE_CHARS = 8_000;
export const KEEP_FIRST_MESSAGES = 50;
export const KEEP_LAST_MESSAGES = 450;
/** What normalisation keeps of every handoff (the analysis' degraded form uses tighter limits). */
export const TRANSCRIPT_LIMITS: TranscriptLimits = { maxChars: MAX_MESSAGE_CHARS, firstMessages: KEEP_FIRST_MESSAGES, lastMessages: KEEP_LAST_MESSAGES };

const fmt = (n: number): string => n.toLocaleString('en-US');
export const charactersCutLine = (n: number): string => `[… ${fmt(n)} characters cut …]`;
export const messagesCutLine = (n: number): string => `[… ${fmt(n)} messages cut …]`;

/** Digits and their separators: a cut must not leave half a card number that redaction no longer recognises. */
const isNumberish = (c: string | undefined): boolean => c !== undefined && /[\d \-.]/.test(c);
/** How far a boundary may move to get out of a number (longer than any card number with separators). */
const MAX_SHIFT = 40;

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Head and tail of `text` (each about half of `max`), or undefined when it fits. */
export function cutText(text: string, max = MAX_MESSAGE_CHARS): { text: string; cut: number } | undefined {
  if (text.length <= max) return undefined;
  const half = Math.floor(max / 2);
  let headEnd = half;
  let tailStart = text.length - half;
  // Move each boundary out of a run of digits, so no card number is split between kept and cut text.
  for (let i = 0; i < MAX_SHIFT && headEnd > 0 && isNumberish(text[headEnd - 1]) && isNumberish(text[headEnd]); i++) headEnd--;
  for (let i = 0; i < MAX_SHIFT && tailStart < text.length && isNumberish(text[tailStart - 1]) && isNumberish(text[tailStart]); i++) tailStart++;
  // Never split a surrogate pair (an emoji would become two broken characters).
  if (headEnd > 0 && isHigh(text.charCodeAt(headEnd - 1))) headEnd--;
  if (tailStart < text.length && isLow(text.charCodeAt(tailStart))) tailStart++;
  const cut = tailStart - headEnd;
  return { text: `${text.slice(0, headEnd)}\n${charactersCutLine(cut)}\n${text.slice(tailStart)}`, cut };
}

/** Returns the messages to keep and, when anything was cut, what. Never mutates its input. */
export function cutTranscript(
  messages: readonly HandoffMessage[],
  limits: TranscriptLimits = TRANSCRIPT_LIMITS,
): { messages: HandoffMessage[]; cuts?: EventCuts } {
  const { firstMessages, lastMessages, maxChars } = limits;
  let kept: HandoffMessage[] = [...messages];
  let messagesDropped = 0;
  if (messages.length > firstMessages + lastMessages) {
    messagesDropped = messages.length - firstMessages - lastMessages;
    kept = [
      ...messages.slice(0, firstMessages),
      { role: 'system', text: messagesCutLine(messagesDropped) },
      ...messages.slice(messages.length - lastMessages),
    ];
  }
  let messagesTruncated = 0;
  let charactersCut = 0;
  kept = kept.map((m) => {
    const c = cutText(m.text, maxChars);
    if (!c) return m;
    messagesTruncated++;
    charactersCut += c.cut;
    return { ...m, text: c.text };
  });
  if (!messagesDropped && !messagesTruncated) return { messages: kept };
  return { messages: kept, cuts: { messagesTruncated, charactersCut, messagesDropped } };
}
