/**
 * Per-tenant analysis configuration: plain data, so it can live in the tenant's JSON/YAML config and be
 * validated there (parseAnalysisOptions), and merged over the defaults here (resolveAnalysisOptions).
 */
import { DEFAULT_TOPICS, TRIGGER_IDS, type TriggerId } from '../types/handoff-report.ts';
import { isTriggerId, mergeBotReasonTriggers, normalizeBotReason } from './bot-reasons.ts';
import { asBriefingLocale, BRIEFING_LOCALES, DEFAULT_BRIEFING_LOCALE, type BriefingLocale } from './report-text.ts';

export interface TopicDefinition {
  id: string;
  /** Words or phrases (case-insensitive) that point at this topic; required for ids the model does not know. */
  keywords?: string[];
}

/** Opener building blocks for one locale; `{name}`, `{issue}`, `{tried}` are filled in. */
export interface OpenerTemplateSet {
  greetingNamed: string;
  greetingAnonymous: string;
  empathetic: string;
  apologetic: string;
  neutral: string;
  upbeat: string;
  /** Used when the bot's attempt was rejected or ignored. */
  triedFailed: string;
  /** Used when something was tried but its outcome is unclear. */
  triedUnclear: string;
  closing: string;
  /** Fallback issue wording when the customer's own words are too long to quote. */
  issueFallback: string;
  /** Per-topic issue wording, e.g. { refund: "your refund" }. */
  topics: Record<string, string>;
  // Issue 14 (tone follows the situation; only true claims): formal register for legal requests, short and
  // direct for urgent outages, accepted and ignored attempts, and the concrete problem ({code}, {order}, {amount}).
  greetingFormal: string;
  greetingFormalAnonymous: string;
  formal: string;
  formalClosing: string;
  /** Used instead of triedFailed in the formal register. */
  triedFailedFormal: string;
  formalIssue: string;
  formalIssueErasure: string;
  formalIssueAccess: string;
  direct: string;
  directClosing: string;
  /** An attempt the customer said helped. */
  triedAccepted: string;
  /** An article or link the customer did not take up: a neutral mention, never "didn't work". */
  triedIgnored: string;
  issueError: string;
  issueOrder: string;
  issueCharge: string;
}

export interface RoutingRules {
  byTopic?: Record<string, number>;
  byLanguage?: Record<string, number>;
  byTier?: Record<string, number>;
  fallbackGroupId?: number;
}

export interface RedactionToggles {
  cardNumbers?: boolean;
  cvv?: boolean;
  passwords?: boolean;
  nationalIds?: boolean;
}

export interface AnalysisOptions {
  /** Replaces the topic taxonomy. Known default ids keep the trained model; others need keywords. */
  topics?: TopicDefinition[];
  /** Extra keywords merged into default topics without replacing the taxonomy. */
  topicKeywords?: Record<string, string[]>;
  sensitiveTopics?: string[];
  vipTiers?: string[];
  /** Bot turns below this confidence raise low_bot_confidence. */
  lowConfidenceThreshold?: number;
  /** Customer turns at or above this count raise long_conversation. */
  longConversationTurns?: number;
  /** Per-locale overrides ("en", "pt-BR", ...), merged over the built-in templates. */
  openerTemplates?: Record<string, Partial<OpenerTemplateSet>>;
  routing?: RoutingRules;
  redaction?: RedactionToggles;
  /** Set from `tenants[].knowledgeBaseHosts` (config.ts): hosts whose offered links may be live (lowercase). */
  knowledgeBaseHosts?: string[];
  /**
   * The bot's stated reason -> trigger, over the built-in table (bot-reasons.ts), e.g.
   * `{ "needs_manager": "vip_account", "fallback": "bot_reported" }` (bot_reported switches a built-in off).
   */
  botReasonTriggers?: Record<string, TriggerId>;
  /**
   * The language the agents read briefings in: summary, next steps, trigger and priority details, and the
   * note's and card's headings. One of en, es, de, fr, pt-BR, ja; default en. The opener follows the customer.
   */
  briefingLocale?: BriefingLocale;
}

export interface ResolvedAnalysisOptions {
  topics: TopicDefinition[];
  topicKeywords: Record<string, string[]>;
  sensitiveTopics: string[];
  vipTiers: string[];
  lowConfidenceThreshold: number;
  longConversationTurns: number;
  openerTemplates: Record<string, Partial<OpenerTemplateSet>>;
  routing: RoutingRules;
  redaction: Required<RedactionToggles>;
  knowledgeBaseHosts: string[];
  /** Built-in table merged with the tenant's entries, normalised keys. */
  botReasonTriggers: Record<string, TriggerId>;
  briefingLocale: BriefingLocale;
}

export const DEFAULT_ANALYSIS_OPTIONS: Readonly<ResolvedAnalysisOptions> = Object.freeze({
  topics: DEFAULT_TOPICS.map((id) => ({ id })),
  topicKeywords: {},
  sensitiveTopics: ['billing_dispute', 'legal', 'account_security', 'cancellation'],
  vipTiers: ['vip', 'enterprise', 'premium', 'platinum', 'gold'],
  lowConfidenceThreshold: 0.5,
  longConversationTurns: 8,
  openerTemplates: {},
  routing: {},
  redaction: { cardNumbers: true, cvv: true, passwords: true, nationalIds: true },
  knowledgeBaseHosts: [],
  botReasonTriggers: mergeBotReasonTriggers(undefined),
  briefingLocale: DEFAULT_BRIEFING_LOCALE,
});

export function resolveAnalysisOptions(options?: AnalysisOptions): ResolvedAnalysisOptions {
  const d = DEFAULT_ANALYSIS_OPTIONS;
  const o = options ?? {};
  return {
    topics: o.topics && o.topics.length > 0 ? o.topics : d.topics,
    topicKeywords: o.topicKeywords ?? d.topicKeywords,
    sensitiveTopics: o.sensitiveTopics ?? d.sensitiveTopics,
    vipTiers: (o.vipTiers ?? d.vipTiers).map((t) => t.toLowerCase()),
    lowConfidenceThreshold: o.lowConfidenceThreshold ?? d.lowConfidenceThreshold,
    longConversationTurns: o.longConversationTurns ?? d.longConversationTurns,
    openerTemplates: o.openerTemplates ?? d.openerTemplates,
    routing: o.routing ?? d.routing,
    redaction: { ...d.redaction, ...(o.redaction ?? {}) },
    knowledgeBaseHosts: (o.knowledgeBaseHosts ?? d.knowledgeBaseHosts).map((h) => h.toLowerCase()),
    botReasonTriggers: o.botReasonTriggers ? mergeBotReasonTriggers(o.botReasonTriggers) : d.botReasonTriggers,
    // Options built in code (not through parseAnalysisOptions) may carry any tag: unknown ones read English.
    briefingLocale: asBriefingLocale(o.briefingLocale) ?? d.briefingLocale,
  };
}

// ---------------------------------------------------------------- validation

const TEMPLATE_KEYS: readonly (keyof OpenerTemplateSet)[] = [
  'greetingNamed', 'greetingAnonymous', 'empathetic', 'apologetic', 'neutral', 'upbeat', 'triedFailed',
  'triedUnclear', 'closing', 'issueFallback', 'topics', 'greetingFormal', 'greetingFormalAnonymous', 'formal', 'formalClosing',
  'triedFailedFormal', 'formalIssue', 'formalIssueErasure', 'formalIssueAccess', 'direct', 'directClosing', 'triedAccepted',
  'triedIgnored', 'issueError', 'issueOrder', 'issueCharge',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, what: string): never {
  throw new Error(`${path} ${what}`);
}

function stringArray(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim() !== '')) fail(path, 'must be an array of strings');
  return [...(v as string[])];
}

function groupMap(v: unknown, path: string): Record<string, number> {
  if (!isRecord(v)) fail(path, 'must be an object mapping names to group ids');
  const out: Record<string, number> = {};
  for (const [k, g] of Object.entries(v)) {
    if (typeof g !== 'number' || !Number.isInteger(g) || g <= 0) fail(`${path}.${k}`, 'must be a positive integer group id');
    out[k] = g;
  }
  return out;
}

function stringMap(v: unknown, path: string): Record<string, string> {
  if (!isRecord(v)) fail(path, 'must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== 'string') fail(`${path}.${k}`, 'must be a string');
    out[k] = s;
  }
  return out;
}

function known(obj: Record<string, unknown>, keys: readonly string[], path: string): void {
  for (const k of Object.keys(obj)) {
    if (!keys.includes(k)) fail(`${path}.${k}`, `is not a known option (expected one of: ${keys.join(', ')})`);
  }
}

/**
 * Validates a tenant's `analysis` config object. Throws an Error naming the offending key with its full
 * path, e.g. "tenants[0].analysis.vipTiers must be an array of strings".
 */
export function parseAnalysisOptions(raw: unknown, path: string): AnalysisOptions {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) fail(path, 'must be an object');
  known(
    raw,
    ['topics', 'topicKeywords', 'sensitiveTopics', 'vipTiers', 'lowConfidenceThreshold', 'longConversationTurns', 'openerTemplates', 'routing', 'redaction', 'botReasonTriggers', 'briefingLocale'],
    path,
  );
  const out: AnalysisOptions = {};
  if (raw.topics !== undefined) {
    if (!Array.isArray(raw.topics) || raw.topics.length === 0) fail(`${path}.topics`, 'must be a non-empty array of { id, keywords? }');
    const ids = new Set<string>();
    out.topics = raw.topics.map((t, i) => {
      const p = `${path}.topics[${i}]`;
      if (!isRecord(t)) fail(p, 'must be an object { id, keywords? }');
      known(t, ['id', 'keywords'], p);
      if (typeof t.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(t.id)) fail(`${p}.id`, 'must be a snake_case string');
      if (ids.has(t.id)) fail(`${p}.id`, `duplicates topic "${t.id}"`);
      ids.add(t.id);
      const def: TopicDefinition = { id: t.id };
      if (t.keywords !== undefined) def.keywords = stringArray(t.keywords, `${p}.keywords`);
      return def;
    });
  }
  if (raw.topicKeywords !== undefined) {
    if (!isRecord(raw.topicKeywords)) fail(`${path}.topicKeywords`, 'must be an object mapping topic ids to arrays of strings');
    out.topicKeywords = Object.fromEntries(
      Object.entries(raw.topicKeywords).map(([k, v]) => [k, stringArray(v, `${path}.topicKeywords.${k}`)]),
    );
  }
  if (raw.sensitiveTopics !== undefined) out.sensitiveTopics = stringArray(raw.sensitiveTopics, `${path}.sensitiveTopics`);
  if (raw.vipTiers !== undefined) out.vipTiers = stringArray(raw.vipTiers, `${path}.vipTiers`);
  if (raw.lowConfidenceThreshold !== undefined) {
    const v = raw.lowConfidenceThreshold;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${path}.lowConfidenceThreshold`, 'must be a number between 0 and 1');
    out.lowConfidenceThreshold = v;
  }
  if (raw.longConversationTurns !== undefined) {
    const v = raw.longConversationTurns;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`${path}.longConversationTurns`, 'must be a positive integer');
    out.longConversationTurns = v;
  }
  if (raw.openerTemplates !== undefined) {
    const p = `${path}.openerTemplates`;
    if (!isRecord(raw.openerTemplates)) fail(p, 'must be an object keyed by locale (e.g. "en", "pt-BR")');
    const templates: Record<string, Partial<OpenerTemplateSet>> = {};
    for (const [locale, set] of Object.entries(raw.openerTemplates)) {
      const lp = `${p}.${locale}`;
      if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) fail(lp, 'is not a BCP-47 locale tag');
      if (!isRecord(set)) fail(lp, 'must be an object of template strings');
      known(set, TEMPLATE_KEYS, lp);
      const t: Partial<OpenerTemplateSet> = {};
      for (const [k, v] of Object.entries(set)) {
        if (k === 'topics') t.topics = stringMap(v, `${lp}.topics`);
        else if (typeof v !== 'string') fail(`${lp}.${k}`, 'must be a string');
        else (t as Record<string, string>)[k] = v;
      }
      templates[locale] = t;
    }
    out.openerTemplates = templates;
  }
  if (raw.routing !== undefined) {
    const p = `${path}.routing`;
    if (!isRecord(raw.routing)) fail(p, 'must be an object');
    known(raw.routing, ['byTopic', 'byLanguage', 'byTier', 'fallbackGroupId'], p);
    const r: RoutingRules = {};
    if (raw.routing.byTopic !== undefined) r.byTopic = groupMap(raw.routing.byTopic, `${p}.byTopic`);
    if (raw.routing.byLanguage !== undefined) r.byLanguage = groupMap(raw.routing.byLanguage, `${p}.byLanguage`);
    if (raw.routing.byTier !== undefined) r.byTier = groupMap(raw.routing.byTier, `${p}.byTier`);
    if (raw.routing.fallbackGroupId !== undefined) {
      const g = raw.routing.fallbackGroupId;
      if (typeof g !== 'number' || !Number.isInteger(g) || g <= 0) fail(`${p}.fallbackGroupId`, 'must be a positive integer group id');
      r.fallbackGroupId = g;
    }
    out.routing = r;
  }
  if (raw.redaction !== undefined) {
    const p = `${path}.redaction`;
    if (!isRecord(raw.redaction)) fail(p, 'must be an object of booleans');
    known(raw.redaction, ['cardNumbers', 'cvv', 'passwords', 'nationalIds'], p);
    const r: RedactionToggles = {};
    for (const [k, v] of Object.entries(raw.redaction)) {
      if (typeof v !== 'boolean') fail(`${p}.${k}`, 'must be true or false');
      (r as Record<string, boolean>)[k] = v;
    }
    out.redaction = r;
  }
  if (raw.botReasonTriggers !== undefined) {
    const p = `${path}.botReasonTriggers`;
    if (!isRecord(raw.botReasonTriggers)) fail(p, 'must be an object mapping bot reasons to trigger ids');
    const m: Record<string, TriggerId> = {};
    for (const [k, v] of Object.entries(raw.botReasonTriggers)) {
      if (normalizeBotReason(k) === undefined) fail(`${p}.${k}`, 'is not a reason code (letters, digits, spaces, _ or -, at most 64 characters)');
      if (!isTriggerId(v)) fail(`${p}.${k}`, `must be one of: ${TRIGGER_IDS.join(', ')}`);
      m[k] = v;
    }
    out.botReasonTriggers = m;
  }
  if (raw.briefingLocale !== undefined) {
    const l = asBriefingLocale(raw.briefingLocale);
    if (!l) fail(`${path}.briefingLocale`, `must be one of: ${BRIEFING_LOCALES.join(', ')}`);
    out.briefingLocale = l;
  }
  return out;
}
