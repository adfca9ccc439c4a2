/**
 * The helpdesk-agnostic briefing: what an agent is told about a handoff, as plain text in the chosen locale.
 * No markup of any helpdesk here (no HTML, no Markdown, no Canvas Kit): each helpdesk renders it and escapes
 * it its own way. Text fields are the report's redacted text, untouched; URLs stay structured (`BriefingLink`)
 * so a renderer decides what is live.
 */
import type {
  FactKind,
  PriorityLevel,
  SentimentLabel,
  SentimentSignalId,
  SentimentTrend,
  SolutionKind,
  SolutionOutcome,
} from '../types/handoff-report.ts';
import type { MessageRole } from '../types/handoff-event.ts';
import type { BriefingWording } from './wording.ts';

/** A labelled value, e.g. `Tier: premium`. */
export interface BriefingRow {
  key: string;
  label: string;
  text: string;
}

/** Why the bot escalated: one trigger, with the customer's or the bot's words as evidence. */
export interface BriefingTrigger {
  id: string;
  label: string;
  detail?: string;
  /** The words that set it off (customer or bot), quoted as they were. */
  evidence?: string;
}

/**
 * A link the bot offered. `live` only when analysis found the host on the tenant's knowledge-base allow-list
 * AND the URL is absolute http(s) without credentials; then `href` is the normalized URL and `host` its host.
 */
export interface BriefingLink {
  text: string;
  url?: string;
  live: boolean;
  href?: string;
  host?: string;
  /** The title differs from the URL (then a live link shows the host beside it, a dead one the URL). */
  titled: boolean;
}

export interface BriefingAttempt {
  kind: SolutionKind | string;
  kindLabel: string;
  outcome: SolutionOutcome | string;
  outcomeLabel: string;
  what: BriefingLink;
  /** The customer's reaction that decided the outcome. */
  reaction?: string;
}

export interface BriefingFact {
  kind: FactKind | string;
  label: string;
  value: string;
}

export interface BriefingTranscriptLine {
  role: MessageRole | string;
  roleLabel: string;
  /** `2026-11-20 10:32 UTC`, or empty. */
  time: string;
  text: string;
}

export interface Briefing {
  handoffId: string;
  /** `baton-handoff:<handoffId>`: what a writer searches for before writing again. */
  marker: string;
  /** The locale whose table answered first (e.g. `pt-BR`). */
  locale: string;
  /** The resolved wording, for the few words a renderer adds itself (e.g. an omitted-lines notice). */
  words: BriefingWording;
  title: string;
  /** What was cut or analysed in reduced form; empty when the briefing is whole. Shown first. */
  cuts: BriefingRow[];
  summary: { heading: string; text: string };
  whyEscalated: { heading: string; primary: BriefingTrigger; othersLabel: string; others: BriefingTrigger[] };
  sentiment: {
    heading: string;
    label: SentimentLabel | string;
    labelText: string;
    scoreLabel: string;
    /** Two decimals, e.g. `-0.71`. */
    score: string;
    frustrationLabel: string;
    /** e.g. `82%`. */
    frustration: string;
    trendLabel: string;
    trend: SentimentTrend | string;
    trendText: string;
    trajectoryLabel: string;
    /** Per customer turn, e.g. `neutral → very negative`; empty when there is none. */
    trajectory: string;
    signalsLabel: string;
    signals: Array<{ id: SentimentSignalId | string; label: string; evidence?: string }>;
  };
  tried: { heading: string; none: string; reactionLabel: string; items: BriefingAttempt[] };
  keyFacts: { heading: string; items: BriefingFact[] };
  customer: { heading: string; rows: BriefingRow[] };
  priority: { heading: string; level: PriorityLevel | string; levelText: string; score: string; factors: string[] };
  routing: { heading: string; rows: BriefingRow[] };
  opener: { heading: string; text: string };
  nextSteps: { heading: string; items: string[] };
  /** `Redacted before analysis: 3 (card number ×2, password ×1)`; undefined when nothing was redacted. */
  redactions?: BriefingRow;
  transcript: { heading: string; lines: BriefingTranscriptLine[] };
  markerLabel: string;
}
