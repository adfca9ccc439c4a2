/**
 * HandoffEvent: what a bot platform told us, normalized. Every bot adapter produces one; the pipeline,
 * analysis and helpdesk writers consume nothing else. The two types are described in README.md and docs/analysis.md.
 */

export const MESSAGE_ROLES = ['customer', 'bot', 'agent', 'system'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const BOT_SOURCES = ['generic', 'sunshine', 'intercom', 'dialogflow', 'rasa', 'botframework', 'fin'] as const;
export type BotSource = (typeof BOT_SOURCES)[number];

/** Why the bot handed over, as the platform put it (normalized kind + native wording). */
export const TRIGGER_KINDS = ['customer_request', 'bot_failure', 'policy', 'agent_transfer', 'unknown'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface BotArticle {
  title?: string;
  url: string;
}

/** Extra detail the bot platform gives for bot turns. */
export interface BotTurnInfo {
  intent?: string;
  /** 0..1 */
  confidence?: number;
  articles?: BotArticle[];
  /** Actions the bot took on the customer's behalf, e.g. "sent password reset email". */
  actions?: string[];
}

export interface HandoffMessage {
  role: MessageRole;
  text: string;
  /** ISO-8601 time, when the platform gives one. */
  at?: string;
  bot?: BotTurnInfo;
}

export interface HandoffTrigger {
  kind: TriggerKind;
  /** The platform's own name for the event, e.g. "switchboard:passControl" or the generic reason. */
  nativeType: string;
  /** Free-text reason the bot gave, if any. */
  reason?: string;
  botName?: string;
  requestedAt?: string;
}

export interface HandoffConversation {
  nativeId: string;
  channel?: string;
  /** BCP-47, e.g. "en-US". */
  locale?: string;
  pageUrl?: string;
  startedAt?: string;
}

export interface HandoffCustomer {
  id?: string;
  email?: string;
  name?: string;
  tier?: string;
  attributes?: Record<string, string | number | boolean | null>;
}

/**
 * Where the briefing goes: a registered helpdesk module's name (helpdesks/registry.ts) and the id of the object
 * to update there, as a string; no id means create one (or dead-letter, for a helpdesk that cannot create).
 */
export interface HandoffTarget {
  helpdesk: string;
  id?: string;
  /**
   * The object is created by the helpdesk itself, not by Baton (a Zendesk messaging ticket, created when the
   * Sunshine switchboard passes control to the agent workspace): without `id`, the job waits until the helpdesk's
   * webhook binds an id to this key (store `bindTarget`), instead of creating one.
   */
  awaitKey?: string;
  /** ISO time after which a handoff still waiting for its object is dead-lettered. */
  awaitUntil?: string;
  /**
   * Wait for the object before the transcript fetch and analysis (nothing needs doing until it exists, e.g.
   * Sunshine note mode); otherwise the wait comes after analysis and the bot step (Sunshine relay passes control first).
   */
  awaitBeforeAnalysis?: boolean;
}

export interface HandoffEvent {
  /** Dedupe key: `<source>:<native id>`. */
  id: string;
  tenantId: string;
  source: BotSource;
  /** ISO-8601, when Baton accepted the webhook. */
  receivedAt: string;
  trigger: HandoffTrigger;
  conversation: HandoffConversation;
  customer: HandoffCustomer;
  messages: HandoffMessage[];
  /** false when the transcript must be fetched from the platform API before analysis. */
  transcriptComplete: boolean;
  target: HandoffTarget;
  /** Native payload as received (for audits and re-normalization). */
  raw: unknown;
  /**
   * What normalization cut so an over-long handoff is accepted rather than refused (analysis copies it into
   * `report.cuts`). Absent when nothing was cut.
   */
  cuts?: EventCuts;
}

/** Over-long messages keep head and tail; very long transcripts keep their first and last messages. */
export interface EventCuts {
  /** Messages whose text was shortened, with `[… N characters cut …]` in the middle. */
  messagesTruncated: number;
  /** Characters removed from those messages, in all. */
  charactersCut: number;
  /** Messages dropped from the middle of the transcript (a system line marks where). */
  messagesDropped: number;
}
