/**
 * The reduced analysis used when the full one ran over its time budget (or failed): the first and last
 * messages only, each capped, with the costliest steps skipped. Its cost is bounded whatever the input
 * (at most DEGRADED_LIMITS.firstMessages + lastMessages messages of maxChars each), so a handoff that
 * stalls the full analysis still gets a briefing. Pure, like analyze(): redaction still runs first.
 */
import type { HandoffEvent, HandoffMessage } from '../types/handoff-event.ts';
import type { HandoffReport, ReportCuts } from '../types/handoff-report.ts';
import { analyzeSteps } from './index.ts';
import type { AnalysisOptions } from './options.ts';

export const DEGRADED_LIMITS = { firstMessages: 10, lastMessages: 30, maxChars: 2_000 } as const;
/** Report parts not computed in degraded form (named in report.cuts.degraded.skipped). */
export const DEGRADED_SKIPPED = ['key_facts', 'attempted_solutions'] as const;

function capText(m: HandoffMessage): { message: HandoffMessage; cut: number } {
  const max = DEGRADED_LIMITS.maxChars;
  if (m.text.length <= max) return { message: m, cut: 0 };
  const half = max / 2;
  const cut = m.text.length - max;
  return { message: { ...m, text: `${m.text.slice(0, half)}\n[… ${cut} characters cut …]\n${m.text.slice(-half)}` }, cut };
}

export function analyzeDegraded(event: HandoffEvent, options?: AnalysisOptions, reason: 'time_budget' | 'analysis_failed' = 'time_budget'): HandoffReport {
  const { firstMessages, lastMessages } = DEGRADED_LIMITS;
  const all = event.messages ?? [];
  const dropped = Math.max(0, all.length - firstMessages - lastMessages);
  const kept = dropped > 0 ? [...all.slice(0, firstMessages), { role: 'system' as const, text: `[… ${dropped} messages cut …]` }, ...all.slice(-lastMessages)] : all;
  let truncated = 0;
  let chars = 0;
  const messages = kept.map((m) => {
    const c = capText(m);
    if (c.cut > 0) {
      truncated++;
      chars += c.cut;
    }
    return c.message;
  });
  const prior = event.cuts;
  const cuts: ReportCuts = {
    messagesTruncated: (prior?.messagesTruncated ?? 0) + truncated,
    charactersCut: (prior?.charactersCut ?? 0) + chars,
    messagesDropped: (prior?.messagesDropped ?? 0) + dropped,
  };
  const report = analyzeSteps({ ...event, messages, cuts }, options, { keyFacts: true, attemptedSolutions: true });
  return { ...report, cuts: { ...cuts, ...report.cuts, degraded: { reason, skipped: [...DEGRADED_SKIPPED] } } };
}
