/**
 * Ticket tags Baton adds for a handoff. Zendesk tags are single words (a space separates two tags) and are
 * stored lowercase (https://developer.zendesk.com/api-reference/ticketing/ticket-management/tags/); we go
 * further and keep only [a-z0-9_] so tags are predictable in views, triggers and search
 * (`tags:baton_reason_vip_account`).
 */
import type { HandoffReport } from '../../types/handoff-report.ts';

export const HANDOFF_TAG = 'baton_handoff';
const MAX_TAG_LENGTH = 80;

/** Lowercase, accents folded, anything outside [a-z0-9_] becomes `_`, runs collapsed, ends trimmed. */
export function sanitizeTagPart(value: string): string {
  const cleaned = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|(?<!_)_+$/g, '');
  return cleaned || 'unknown';
}

function tag(prefix: string, value: string): string {
  return `${prefix}${sanitizeTagPart(value)}`.slice(0, MAX_TAG_LENGTH).replace(/(?<!_)_+$/, '');
}

export const reasonTag = (report: HandoffReport): string => tag('baton_reason_', report.primaryTrigger);
export const sentimentTag = (report: HandoffReport): string => tag('baton_sentiment_', report.sentiment.label);
export const topicTag = (report: HandoffReport): string => tag('baton_topic_', report.topic.id);

/**
 * `baton_handoff`, `baton_reason_<primaryTrigger>`, `baton_sentiment_<label>`, `baton_topic_<id>`; no duplicates.
 * The reason and sentiment tags are also the option values of the tagger fields requirements.json creates.
 */
export function handoffTags(report: HandoffReport): string[] {
  return [...new Set([HANDOFF_TAG, reasonTag(report), sentimentTag(report), topicTag(report)])];
}
