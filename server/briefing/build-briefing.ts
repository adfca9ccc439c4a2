/**
 * HandoffReport → Briefing: every section an agent reads, worded in one locale, with no helpdesk markup.
 * Pure (no I/O, no clock, no time zone): the same report, id and locale give the same briefing, so a retried
 * write renders the same bytes. Does not mutate the report.
 */
import type { AttemptedSolution, HandoffReport, PriorityFactor, ReportCuts, SentimentPoint, TriggerHit } from '../types/handoff-report.ts';
import type { Briefing, BriefingLink, BriefingRow, BriefingTrigger } from './briefing-model.ts';
import { wordingFor } from './briefing-locale.ts';
import type { BriefingWording, NumberFormat } from './wording.ts';
import { safeHttpUrl } from './safe-url.ts';
import { reportText } from '../analysis/report-text.ts';

export interface BuildBriefingOptions {
  /**
   * BCP-47 tag (`en`, `es`, `de`, `fr`, `pt-BR`, `ja`, …); default: the report's `briefingLocale` (the language
   * its text was written in), else English. Falls back `pt-BR → pt → en`.
   */
  locale?: string;
}

/** The exact string a writer searches a helpdesk object for before writing the note again. */
export function handoffMarker(handoffId: string): string {
  return `baton-handoff:${handoffId}`;
}

/** `billing_dispute` -> `Billing dispute`. */
export function humanize(id: string): string {
  const words = String(id).replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '';
}

/** ISO time -> `2026-11-20 10:32 UTC` (always UTC, so the output does not depend on the host's time zone). */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

function lookup(table: Readonly<Record<string, string>>, key: string): string {
  return Object.prototype.hasOwnProperty.call(table, key) ? (table[key] as string) : humanize(key);
}

/** Intl formats for one locale; `?` for a value that is not a finite number. */
export function numberFormat(locale: string): NumberFormat & { fixed(n: number, digits: number): string; percent(n: number): string } {
  const ints = new Intl.NumberFormat(locale === 'en' ? 'en-US' : locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale === 'en' ? 'en-US' : locale, { style: 'percent', maximumFractionDigits: 0 });
  const fixed = new Map<number, Intl.NumberFormat>();
  return {
    int: (n) => (Number.isFinite(n) ? ints.format(n) : '?'),
    percent: (n) => (Number.isFinite(n) ? pct.format(Math.round(n * 100) / 100) : '?'),
    fixed: (n, digits) => {
      if (!Number.isFinite(n)) return '?';
      let f = fixed.get(digits);
      if (!f) {
        f = new Intl.NumberFormat(locale === 'en' ? 'en-US' : locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
        fixed.set(digits, f);
      }
      // ASCII hyphen-minus for negatives in every locale, as the note always showed.
      return f.format(n).replace('\u2212', '-');
    },
  };
}

function pointLabel(p: SentimentPoint, w: BriefingWording): string {
  if (p.label === 'negative' && p.score <= -0.6) return w.veryNegative;
  if (p.label === 'positive' && p.score >= 0.6) return w.veryPositive;
  return lookup(w.sentimentLabels, p.label);
}

/** Per-turn labels joined with arrows, strong scores flagged: `negative → very negative`. */
export function trajectoryText(points: SentimentPoint[], locale?: string): string {
  const { wording } = wordingFor(locale);
  return points.map((p) => pointLabel(p, wording)).join(' → ');
}

function trigger(t: TriggerHit, w: BriefingWording): BriefingTrigger {
  return {
    id: t.id,
    label: lookup(w.triggers, t.id),
    ...(t.detail ? { detail: t.detail } : {}),
    ...(t.evidence?.excerpt ? { evidence: t.evidence.excerpt } : {}),
  };
}

/** A live link only for an allow-listed host (analysis sets `linkAllowed`) and a safe absolute http(s) URL. */
export function briefingLink(s: Pick<AttemptedSolution, 'text' | 'url' | 'linkAllowed'>): BriefingLink {
  const text = s.text;
  if (!s.url) return { text, live: false, titled: false };
  const titled = text.trim() !== '' && text.trim() !== s.url.trim();
  const safe = s.linkAllowed ? safeHttpUrl(s.url) : undefined;
  if (safe) return { text, url: s.url, live: true, href: safe, host: new URL(safe).host, titled };
  return { text, url: s.url, live: false, titled };
}

function factorText(f: PriorityFactor, w: BriefingWording): string {
  const sign = f.points >= 0 ? '+' : '−';
  return `${sign}${Math.abs(f.points)} ${lookup(w.priorityFactors, f.id)}: ${f.detail}`;
}

function cutsRows(cuts: ReportCuts | undefined, w: BriefingWording, f: NumberFormat): BriefingRow[] {
  if (!cuts) return [];
  const rows: BriefingRow[] = [];
  if (cuts.messagesDropped > 0 || cuts.charactersCut > 0) rows.push({ key: 'cut', label: w.longConversation, text: w.cutText(cuts, f) });
  if (cuts.degraded) rows.push({ key: 'degraded', label: w.degraded, text: w.degradedText(cuts.degraded) });
  return rows;
}

/** A default topic in the locale's words (analysis/report-text.ts, as the summary names it); else its id humanised. */
export function topicLabel(id: string, locale: string): string {
  const words = Object.prototype.hasOwnProperty.call(reportText(locale).topics, id) ? reportText(locale).topics[id]! : undefined;
  return words ? words.charAt(0).toLocaleUpperCase(locale) + words.slice(1) : humanize(id);
}

function customerRows(report: HandoffReport, w: BriefingWording, pct: (n: number) => string, locale: string): BriefingRow[] {
  const c = report.context;
  const f = w.fields;
  const rows: BriefingRow[] = [];
  const add = (key: keyof typeof f, text: string | undefined): void => {
    if (text) rows.push({ key, label: f[key], text });
  };
  add('name', c.customerName);
  add('email', c.customerEmail);
  add('tier', c.tier);
  // The page URL comes from the chat widget, which the customer controls: a renderer shows it as text.
  add('page', c.pageUrl);
  add('channel', c.channel);
  add('locale', c.locale);
  add('bot', c.botName);
  add('started', formatTime(c.startedAt));
  add('requested', formatTime(c.requestedAt));
  rows.push({ key: 'topic', label: w.topic, text: `${topicLabel(report.topic.id, locale)} (${pct(report.topic.confidence)})` });
  return rows;
}

function routingRows(report: HandoffReport, w: BriefingWording): BriefingRow[] {
  const r = report.routing;
  const f = w.fields;
  const rows: BriefingRow[] = [];
  if (r.groupId !== undefined) rows.push({ key: 'group', label: f.group, text: String(r.groupId) });
  if (r.skills.length) rows.push({ key: 'skills', label: f.skills, text: r.skills.join(', ') });
  if (r.language) rows.push({ key: 'language', label: f.language, text: r.language });
  if (r.rule) rows.push({ key: 'rule', label: f.rule, text: r.rule });
  return rows;
}

function redactionRow(report: HandoffReport, w: BriefingWording): BriefingRow | undefined {
  if (!(report.redactions.total > 0)) return undefined;
  const parts = Object.entries(report.redactions.byKind)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, n]) => `${lookup(w.redactionKinds, k)} ×${n}`);
  return { key: 'redactions', label: w.redactions, text: `${report.redactions.total}${parts.length ? ` (${parts.join(', ')})` : ''}` };
}

export function buildBriefing(report: HandoffReport, handoffId: string, opts: BuildBriefingOptions = {}): Briefing {
  const { locale, wording: w } = wordingFor(opts.locale ?? report.briefingLocale);
  const nf = numberFormat(locale);
  const primaryHit = report.triggers.find((t) => t.id === report.primaryTrigger);
  const s = report.sentiment;

  return {
    handoffId,
    marker: handoffMarker(handoffId),
    locale,
    words: w,
    title: w.title,
    cuts: cutsRows(report.cuts, w, nf),
    summary: { heading: w.summary, text: report.summary.text },
    whyEscalated: {
      heading: w.whyEscalated,
      primary: primaryHit ? trigger(primaryHit, w) : { id: report.primaryTrigger, label: lookup(w.triggers, report.primaryTrigger) },
      othersLabel: w.otherTriggers,
      others: report.triggers.filter((t) => t !== primaryHit).map((t) => trigger(t, w)),
    },
    sentiment: {
      heading: w.sentiment,
      label: s.label,
      labelText: lookup(w.sentimentLabels, s.label),
      scoreLabel: w.score,
      score: nf.fixed(s.score, 2),
      frustrationLabel: w.frustration,
      frustration: nf.percent(s.frustration),
      trendLabel: w.trend,
      trend: s.trend,
      trendText: lookup(w.trends, s.trend),
      trajectoryLabel: w.trajectory,
      trajectory: s.trajectory.map((p) => pointLabel(p, w)).join(' → '),
      signalsLabel: w.signals,
      signals: s.signals.map((g) => ({ id: g.id, label: lookup(w.signalLabels, g.id), ...(g.excerpt ? { evidence: g.excerpt } : {}) })),
    },
    tried: {
      heading: w.attempted,
      none: w.noneAttempted,
      reactionLabel: w.customerReaction,
      items: report.attemptedSolutions.map((a) => ({
        kind: a.kind,
        kindLabel: lookup(w.solutionKinds, a.kind),
        outcome: a.outcome,
        // The same thing offered again is one line with its count (issue 14), not the same line twice.
        outcomeLabel: a.offers && a.offers > 1 ? `${lookup(w.outcomes, a.outcome)} (${w.offered(a.offers, (a.offerHistory ?? []).filter((h) => h.outcome === 'rejected').length)})` : lookup(w.outcomes, a.outcome),
        what: briefingLink(a),
        ...(a.reaction?.excerpt ? { reaction: a.reaction.excerpt } : {}),
      })),
    },
    // A fact says what it is about in the customer's words ("charged twice: $89.90"); else its kind's label (issue 14).
    keyFacts: { heading: w.keyFacts, items: report.keyFacts.map((f) => ({ kind: f.kind, label: f.about || lookup(w.factKinds, f.kind), value: f.value })) },
    customer: { heading: w.customer, rows: customerRows(report, w, nf.percent, locale) },
    priority: {
      heading: w.priority,
      level: report.priority.level,
      levelText: lookup(w.priorityLevels, report.priority.level),
      score: `${nf.fixed(report.priority.score, 0)}/100`,
      factors: report.priority.factors.map((f) => factorText(f, w)),
    },
    routing: { heading: w.routing, rows: routingRows(report, w) },
    opener: { heading: w.opener, text: report.opener.text },
    nextSteps: { heading: w.nextSteps, items: [...report.nextSteps] },
    ...(redactionRow(report, w) ? { redactions: redactionRow(report, w) } : {}),
    transcript: {
      heading: w.transcript,
      lines: report.transcript.map((l) => ({ role: l.role, roleLabel: lookup(w.roles, l.role), time: formatTime(l.at), text: l.text })),
    },
    markerLabel: w.marker,
  };
}
