/**
 * What the outcome row keeps of a stored report: the dimensions insights group by, the escalation reason's
 * (already redacted) wording and its cluster key, the rejected bot answers, and the customer's own pre-handoff
 * lines (redacted transcript) for the repeat-yourself check. Pure.
 */
import { createHash } from 'node:crypto';
import type { HandoffReport } from '../types/handoff-report.ts';
import { reasonClusterKey } from './reason-cluster.ts';

export interface RejectedAnswer {
  kind: string;
  text: string;
  url?: string;
}

export interface HandoffFacts {
  tenantId: string;
  handoffId: string;
  helpdesk: string;
  refId: string;
  /** A hash of the customer's email or id within the tenant (never the address itself); null when unknown. */
  customerKey: string | null;
  acceptedAt: number;
  reason: string;
  topic: string;
  bot: string;
  source: string;
  channel: string;
  priority: string;
  group: string;
  sentiment: string;
  reasonText: string | null;
  rejected: RejectedAnswer[];
  /** The customer's messages before the handoff, redacted, joined by newlines (capped). */
  customerText: string;
}

/** Longest customer text kept per handoff for the repeat-yourself comparison. */
export const CUSTOMER_TEXT_MAX = 4000;
const REASON_TEXT_MAX = 200;

export function customerKeyOf(tenantId: string, customer: { email?: string; id?: string } | undefined): string | null {
  const email = customer?.email?.trim().toLowerCase();
  const id = customer?.id?.trim();
  const who = email ? `e:${email}` : id ? `i:${id}` : undefined;
  if (!who) return null;
  return createHash('sha256').update(`${tenantId}\u0000${who}`).digest('base64url').slice(0, 22);
}

export interface FactsInput {
  tenantId: string;
  handoffId: string;
  helpdesk: string;
  refId: string;
  acceptedAt: number;
  source: string;
  customer?: { email?: string; id?: string };
}

export function handoffFacts(input: FactsInput, report: HandoffReport): HandoffFacts {
  const primary = report.triggers.find((t) => t.id === report.primaryTrigger) ?? report.triggers[0];
  const rawReason = primary?.botReason ?? primary?.evidence?.excerpt ?? null;
  const reasonText = rawReason ? rawReason.replace(/\s+/g, ' ').trim().slice(0, REASON_TEXT_MAX) || null : null;
  let customerText = report.transcript
    .filter((l) => l.role === 'customer')
    .map((l) => l.text)
    .join('\n');
  if (customerText.length > CUSTOMER_TEXT_MAX) customerText = customerText.slice(0, CUSTOMER_TEXT_MAX);
  return {
    tenantId: input.tenantId,
    handoffId: input.handoffId,
    helpdesk: input.helpdesk,
    refId: input.refId,
    customerKey: customerKeyOf(input.tenantId, input.customer),
    acceptedAt: input.acceptedAt,
    reason: report.primaryTrigger,
    topic: report.topic.id,
    bot: report.context.botName?.trim() || input.source,
    source: input.source,
    channel: report.context.channel?.trim() || 'unknown',
    priority: report.priority.level,
    group: report.routing.groupId !== undefined ? String(report.routing.groupId) : 'none',
    sentiment: report.sentiment.label,
    reasonText,
    rejected: report.attemptedSolutions
      .filter((s) => s.outcome === 'rejected')
      .map((s) => ({ kind: s.kind, text: s.text.slice(0, 300), ...(s.url ? { url: s.url } : {}) })),
    customerText,
  };
}

export { reasonClusterKey };
