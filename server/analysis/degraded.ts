/**
 * The reduced analysis used when the full one ran over its time budget (or failed): the first and last
 * messages only, each capped (cut as normalisation cuts, with tighter limits), with the costliest steps
 * skipped. Its cost is bounded whatever the input (at most firstMessages + lastMessages messages of maxChars
 * each), so a handoff that stalls the full analysis still gets a briefing. Pure, like analyze(): redaction still runs first.
 */
import type { HandoffEvent } from '../types/handoff-event.ts';
import { cutTranscript, type TranscriptLimits } from '../util/cut-transcript.ts';
import type { HandoffReport, ReportCuts } from '../types/handoff-report.ts';
import { analyzeSteps } from './index.ts';
import type { AnalysisOptions } from './options.ts';

export const DEGRADED_LIMITS: Readonly<TranscriptLimits> = { firstMessages: 10, lastMessages: 30, maxChars: 2_000 };
/** Report parts not computed in degraded form (named in report.cuts.degraded.skipped). */
export const DEGRADED_SKIPPED = ['key_facts', 'attempted_solutions'] as const;

export function analyzeDegraded(event: HandoffEvent, options?: AnalysisOptions, reason: 'time_budget' | 'analysis_failed' = 'time_budget'): HandoffReport {
  const { messages, cuts: cut } = cutTranscript(event.messages ?? [], DEGRADED_LIMITS);
  const prior = event.cuts;
  const cuts: ReportCuts = {
    messagesTruncated: (prior?.messagesTruncated ?? 0) + (cut?.messagesTruncated ?? 0),
    charactersCut: (prior?.charactersCut ?? 0) + (cut?.charactersCut ?? 0),
    messagesDropped: (prior?.messagesDropped ?? 0) + (cut?.messagesDropped ?? 0),
  };
  const report = analyzeSteps({ ...event, messages, cuts }, options, { keyFacts: true, attemptedSolutions: true });
  return { ...report, cuts: { ...cuts, ...report.cuts, degraded: { reason, skipped: [...DEGRADED_SKIPPED] } } };
}
