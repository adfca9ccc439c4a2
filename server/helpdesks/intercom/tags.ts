/**
 * Conversation tags Baton adds for a handoff: the same names as on Zendesk tickets, so reports and
 * automations read alike: `baton_handoff`, `baton_reason_<primary trigger>`, `baton_sentiment_<label>`,
 * `baton_topic_<topic id>`. Intercom tag names are free text and case-insensitive (create_or_update_tag_request:
 * "Names are case insensitive"); Baton keeps them to [a-z0-9_] so they are predictable in inbox filters and
 * Workflows.
 */
import type { HandoffReport } from '../../types/handoff-report.ts';

export const HANDOFF_TAG = 'baton_handoff';
/** Intercom shows tag names in narrow chips; long ids are cut (the prefix always survives). */
const MAX_TAG_LENGTH = 80;

/** Lowercase, accents folded, anything outside [a-z0-9_] becomes `_`, runs collapsed, ends trimmed. */
export function tagPart(value: string): string {
  const folded = value.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  let out = '';
  for (const ch of folded) {
    const ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (ok) out += ch;
    else if (out !== '' && !out.endsWith('_')) out += '_';
  }
  while (out.endsWith('_')) out = out.slice(0, -1);
  return out || 'unknown';
}

function tag(prefix: string, value: string): string {
  let t = `${prefix}${tagPart(value)}`.slice(0, MAX_TAG_LENGTH);
  while (t.endsWith('_')) t = t.slice(0, -1);
  return t;
}

export const reasonTagName = (report: HandoffReport): string => tag('baton_reason_', report.primaryTrigger);
export const sentimentTagName = (report: HandoffReport): string => tag('baton_sentiment_', report.sentiment.label);
export const topicTagName = (report: HandoffReport): string => tag('baton_topic_', report.topic.id);

/** The four tag names of a handoff, without duplicates, in a fixed order. */
export function intercomHandoffTags(report: HandoffReport): string[] {
  return [...new Set([HANDOFF_TAG, reasonTagName(report), sentimentTagName(report), topicTagName(report)])];
}
