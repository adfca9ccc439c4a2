/**
 * HandoffReport: what Baton concluded about a handoff. Produced by analysis/ (pure), rendered by
 * helpdesks/*, stored, and shown by the sidebar. Field names below are a stable contract (CLI, eval, app).
 */
import type { MessageRole } from './handoff-event.ts';

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

export const SENTIMENT_TRENDS = ['improving', 'stable', 'worsening'] as const;
export type SentimentTrend = (typeof SENTIMENT_TRENDS)[number];

export const SENTIMENT_SIGNALS = [
  'all_caps',
  'repeated_punctuation',
  'profanity',
  'repetition',
  'frustration_phrase',
  'bot_frustration',
  'giving_up',
  'urgency',
  'churn_threat',
] as const;
export type SentimentSignalId = (typeof SENTIMENT_SIGNALS)[number];

export const DEFAULT_TOPICS = [
  'billing_dispute',
  'refund',
  'cancellation',
  'billing_payment',
  'account_security',
  'account_management',
  'shipping_order',
  'technical_issue',
  'legal',
  'complaint',
  'feedback',
  'how_to',
  'other',
] as const;
/** Topic ids come from a configurable taxonomy; the defaults are DEFAULT_TOPICS. */
export type TopicId = string;

export const TRIGGER_IDS = [
  'customer_requested_human',
  'repeated_failure',
  'negative_sentiment',
  'sensitive_topic',
  'vip_account',
  'low_bot_confidence',
  'long_conversation',
  'repeat_contact',
  'bot_reported',
] as const;
export type TriggerId = (typeof TRIGGER_IDS)[number];

export const SOLUTION_KINDS = ['article', 'link', 'steps', 'action', 'answer'] as const;
export type SolutionKind = (typeof SOLUTION_KINDS)[number];

export const SOLUTION_OUTCOMES = ['rejected', 'ignored', 'accepted', 'unclear'] as const;
export type SolutionOutcome = (typeof SOLUTION_OUTCOMES)[number];

export const PRIORITY_LEVELS = ['urgent', 'high', 'normal', 'low'] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];

export const FACT_KINDS = ['order_id', 'amount', 'date', 'error_code', 'email', 'url', 'phone', 'account_id', 'other'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export const REDACTION_KINDS = ['card_number', 'cvv', 'password', 'national_id'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

export interface Evidence {
  /** Index into report.transcript (same as the event's messages). */
  messageIndex: number;
  excerpt: string;
}

export interface SentimentSignal extends Evidence {
  id: SentimentSignalId;
  /** Whether the frustration is aimed at the bot or at the problem itself. */
  target?: 'bot' | 'problem';
}

export interface SentimentPoint {
  messageIndex: number;
  label: SentimentLabel;
  score: number;
}

export interface SentimentResult {
  label: SentimentLabel;
  /** -1..1 */
  score: number;
  /** 0..1 */
  frustration: number;
  trend: SentimentTrend;
  /** One point per customer turn, in order. */
  trajectory: SentimentPoint[];
  signals: SentimentSignal[];
}

export interface TopicResult {
  id: TopicId;
  confidence: number;
  runnerUp?: { id: TopicId; confidence: number };
}

export interface TriggerHit {
  id: TriggerId;
  /** Human-readable detail, e.g. the bot's reason or the tier. */
  detail?: string;
  evidence?: Evidence;
  /** The bot's own stated reason when this trigger was mapped from it (analysis/bot-reasons.ts). */
  botReason?: string;
}

export interface AttemptedSolution {
  kind: SolutionKind;
  text: string;
  url?: string;
  /**
   * The URL's host is on the tenant's knowledge-base allow-list (`tenants[].knowledgeBaseHosts`): the note and
   * the sidebar show it as a live link. Absent: they show the URL as text, so nobody can plant a live link.
   */
  linkAllowed?: true;
  messageIndex: number;
  outcome: SolutionOutcome;
  /** The customer's reaction that decided the outcome. */
  reaction?: Evidence;
  /**
   * How many times the bot offered this same thing (the same article, link, steps or answer); present only
   * when 2 or more. The entry stands for all of them: `messageIndex` is the first offer, `outcome` the
   * customer's last clear verdict (issue 14: "offered twice, rejected both times").
   */
  offers?: number;
  /** Each offer, oldest first, with how the customer took it; present with `offers`. */
  offerHistory?: SolutionOffer[];
}

/** One offer of a solution the bot repeated (AttemptedSolution.offerHistory). */
export interface SolutionOffer {
  messageIndex: number;
  outcome: SolutionOutcome;
  reaction?: Evidence;
}

export interface KeyFact {
  kind: FactKind;
  value: string;
  messageIndex: number;
  /**
   * What the fact is about, in the customer's words ("charged twice", "cancelled by phone", "order"): the note
   * shows "about: value". Absent when the message does not say; then the kind's label stands in (issue 14).
   */
  about?: string;
}

export interface PriorityFactor {
  id: 'tier' | 'sentiment' | 'topic' | 'duration' | 'repeat_contact' | 'urgency' | 'trigger';
  points: number;
  detail: string;
}

export interface PriorityResult {
  level: PriorityLevel;
  /** 0..100 */
  score: number;
  factors: PriorityFactor[];
}

export interface RoutingResult {
  /** Helpdesk group id from tenant config, when a rule matched (or the fallback). */
  groupId?: number;
  skills: string[];
  language: string;
  /** Which rule decided, e.g. "topic:billing_dispute" or "fallback". */
  rule: string;
}

export interface OpenerResult {
  text: string;
  locale: string;
  /** `formal`: legal requests; `direct`: urgent outages (issue 14). */
  tone: 'empathetic' | 'apologetic' | 'neutral' | 'upbeat' | 'formal' | 'direct';
}

export interface RedactionSummary {
  total: number;
  byKind: Partial<Record<RedactionKind, number>>;
}

export interface TranscriptLine {
  role: MessageRole;
  /** Redacted text. */
  text: string;
  at?: string;
}

export interface ReportContext {
  customerName?: string;
  customerEmail?: string;
  tier?: string;
  pageUrl?: string;
  channel?: string;
  locale?: string;
  botName?: string;
  startedAt?: string;
  requestedAt?: string;
}

/**
 * What Baton left out, so the agent knows the briefing is partial. Set by normalization (over-long messages
 * and transcripts are cut, never refused) and by the analysis pool (a handoff over its time budget is
 * analysed in a degraded form). Absent when nothing was cut.
 */
export interface ReportCuts {
  /** Messages whose text was shortened (head and tail kept, `[… N characters cut …]` in between). */
  messagesTruncated: number;
  /** Characters removed from those messages, in all. */
  charactersCut: number;
  /** Messages dropped from the middle of a very long transcript (the first and last parts are kept). */
  messagesDropped: number;
  /** Present when the full analysis ran over its time budget and a reduced one produced this report. */
  degraded?: { reason: 'time_budget' | 'analysis_failed'; skipped: string[] };
}

export interface HandoffReport {
  version: 1;
  /** The HandoffEvent id this report is about. */
  eventId: string;
  summary: { text: string };
  keyFacts: KeyFact[];
  sentiment: SentimentResult;
  topic: TopicResult;
  triggers: TriggerHit[];
  primaryTrigger: TriggerId;
  attemptedSolutions: AttemptedSolution[];
  priority: PriorityResult;
  routing: RoutingResult;
  opener: OpenerResult;
  nextSteps: string[];
  redactions: RedactionSummary;
  context: ReportContext;
  /**
   * The language Baton wrote the summary, next steps and trigger/priority details in (the tenant's
   * `analysis.briefingLocale`: en, es, de, fr, pt-BR or ja). Absent in reports made before it existed: English.
   * The note and the card render their headings in it unless told otherwise.
   */
  briefingLocale?: string;
  /** The conversation after redaction; the note and the sidebar show this, never the raw text. */
  transcript: TranscriptLine[];
  /** What was cut or skipped; absent when the whole conversation was analysed in full. */
  cuts?: ReportCuts;
}
