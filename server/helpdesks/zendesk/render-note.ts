/**
 * Renders a HandoffReport as the private briefing comment Baton writes to a Zendesk ticket
 * (`comment: { html_body, public: false }`).
 *
 * - Zendesk sanitizes comment HTML (see "Bodies" in
 *   https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/), so we use only simple
 *   formatting: h3, p, ul/ol/li, strong/em, a, blockquote, hr, small, br. Zendesk's published list of
 *   supported HTML (https://support.zendesk.com/hc/en-us/articles/4408824584602, for help center content,
 *   which is sanitized no more strictly than comments) has no `<details>`, so the transcript is not
 *   collapsed: it comes last, under its own heading.
 * - Every value is HTML-escaped. Only links the bot offered on a host of the tenant's knowledge-base
 *   allow-list (`linkAllowed`, set by analysis) are live, and their text is the real URL or the title with the
 *   host beside it; every other URL (typed by the customer, page URL, other hosts) is shown as text, so nobody
 *   can plant a live phishing link in an internal note.
 * - Zendesk placeholder and Liquid syntax from customer or bot text is neutralised (placeholders.ts).
 * - What normalization cut from a long conversation, and a degraded analysis, are said at the top.
 * - Output is a pure function of (report, handoffId): no render timestamps, so a retried write after a
 *   crash sends byte-identical bodies (same Idempotency-Key, same marker).
 * - The body contains `baton-handoff:<handoffId>` as plain text; the writer looks for that exact string in
 *   the ticket's comments before writing, so a note is never written twice.
 */
import type {
  AttemptedSolution,
  FactKind,
  HandoffReport,
  PriorityFactor,
  PriorityLevel,
  RedactionKind,
  ReportCuts,
  SentimentLabel,
  SentimentPoint,
  SentimentSignalId,
  SentimentTrend,
  SolutionKind,
  SolutionOutcome,
  TriggerHit,
  TriggerId,
} from '../../types/handoff-report.ts';
import type { MessageRole } from '../../types/handoff-event.ts';
import { escapeHtml, linkHtml, safeHttpUrl } from './html-escape.ts';
import { hrefWithoutBraces, neutralizePlaceholders } from './placeholders.ts';
import { inertUrls } from './inert-urls.ts';
import { KEEP_FIRST_MESSAGES, KEEP_LAST_MESSAGES } from '../../util/cut-transcript.ts';

/** All visible wording of the note, in one table (English; the note is for agents, the sidebar is localized). */
export const NOTE_STRINGS = {
  title: 'Baton handoff briefing',
  summary: 'Summary',
  whyEscalated: 'Why the bot handed over',
  otherTriggers: 'Also',
  sentiment: 'Sentiment',
  trend: 'trend',
  score: 'score',
  frustration: 'frustration',
  trajectory: 'Trajectory',
  signals: 'Signals',
  attempted: 'What the bot already tried',
  noneAttempted: 'The bot offered no solution.',
  customerReaction: 'customer',
  keyFacts: 'Key facts',
  customer: 'Customer',
  priority: 'Priority',
  routing: 'Routing',
  opener: 'Suggested opener',
  nextSteps: 'Next steps',
  redactions: 'Redacted before analysis',
  transcript: 'Transcript',
  longConversation: 'Long conversation',
  cutText: (c: ReportCuts): string => {
    const n = (x: number) => x.toLocaleString('en-US');
    const plural = (x: number, one: string, many: string) => `${n(x)} ${x === 1 ? one : many}`;
    const what = [
      ...(c.messagesDropped > 0 ? [plural(c.messagesDropped, 'message', 'messages')] : []),
      ...(c.charactersCut > 0 ? [plural(c.charactersCut, 'character', 'characters')] : []),
    ].join(' and ');
    const shown =
      c.messagesDropped > 0
        ? `the first ${n(KEEP_FIRST_MESSAGES)} and last ${n(KEEP_LAST_MESSAGES)} messages are shown`
        : `the beginning and end of ${c.messagesTruncated === 1 ? 'the long message are' : `${n(c.messagesTruncated)} long messages are`} shown`;
    return `${what} ${what.includes(' and ') || c.messagesDropped + c.charactersCut > 1 ? 'were' : 'was'} cut; ${shown}.`;
  },
  degraded: 'Analysed in a reduced form',
  degradedText: (d: NonNullable<ReportCuts['degraded']>): string =>
    `${d.reason === 'time_budget' ? 'the conversation was too long to analyse in full in time' : 'the full analysis failed'}${d.skipped.length ? ` (skipped: ${d.skipped.join(', ')})` : ''}.`,
  transcriptOmitted: (n: number) => `${n} earlier message${n === 1 ? '' : 's'} omitted to fit the note; the sidebar shows the whole conversation.`,
  marker: 'Baton handoff',
  topic: 'Topic',
  fields: {
    name: 'Name',
    email: 'Email',
    tier: 'Tier',
    page: 'Page',
    channel: 'Channel',
    locale: 'Locale',
    bot: 'Bot',
    started: 'Conversation started',
    requested: 'Handoff requested',
    group: 'Group',
    skills: 'Skills',
    language: 'Language',
    rule: 'Rule',
  },
  triggers: {
    customer_requested_human: 'Customer asked for a human',
    repeated_failure: 'The bot failed repeatedly',
    negative_sentiment: 'Negative sentiment',
    sensitive_topic: 'Sensitive topic',
    vip_account: 'VIP account',
    low_bot_confidence: 'Low bot confidence',
    long_conversation: 'Long conversation',
    repeat_contact: 'Repeat contact',
    bot_reported: 'Reported by the bot',
  } satisfies Record<TriggerId, string>,
  sentimentLabels: { negative: 'negative', neutral: 'neutral', positive: 'positive' } satisfies Record<SentimentLabel, string>,
  veryNegative: 'very negative',
  veryPositive: 'very positive',
  trends: { improving: 'improving', stable: 'stable', worsening: 'worsening' } satisfies Record<SentimentTrend, string>,
  signalLabels: {
    all_caps: 'all caps',
    repeated_punctuation: 'repeated punctuation',
    profanity: 'profanity',
    repetition: 'repeating themselves',
    frustration_phrase: 'frustration',
    bot_frustration: 'frustrated with the bot',
    giving_up: 'giving up',
    urgency: 'urgency',
    churn_threat: 'churn threat',
  } satisfies Record<SentimentSignalId, string>,
  solutionKinds: { article: 'Article', link: 'Link', steps: 'Steps', action: 'Action', answer: 'Answer' } satisfies Record<SolutionKind, string>,
  outcomes: { rejected: 'REJECTED', ignored: 'ignored', accepted: 'accepted', unclear: 'outcome unclear' } satisfies Record<SolutionOutcome, string>,
  factKinds: {
    order_id: 'Order',
    amount: 'Amount',
    date: 'Date',
    error_code: 'Error code',
    email: 'Email',
    url: 'URL',
    phone: 'Phone',
    account_id: 'Account',
    other: 'Other',
  } satisfies Record<FactKind, string>,
  priorityLevels: { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' } satisfies Record<PriorityLevel, string>,
  priorityFactors: {
    tier: 'tier',
    sentiment: 'sentiment',
    topic: 'topic',
    duration: 'duration',
    repeat_contact: 'repeat contact',
    urgency: 'urgency',
    trigger: 'trigger',
  } satisfies Record<PriorityFactor['id'], string>,
  roles: { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System' } satisfies Record<MessageRole, string>,
  redactionKinds: { card_number: 'card number', cvv: 'CVV', password: 'password', national_id: 'national ID' } satisfies Record<RedactionKind, string>,
} as const;

/** Keeps the note comfortably below Zendesk's comment size limit; only the transcript is ever shortened. */
export const MAX_NOTE_CHARS = 60_000;

/** The exact string the writer searches a ticket's comments for before writing the note again. */
export function handoffMarker(handoffId: string): string {
  return `baton-handoff:${handoffId}`;
}

// ---------------------------------------------------------------------------------------------------------
// Wording helpers (shared by the HTML and plain renderings)

function lookup<T extends Record<string, string>>(table: T, key: string): string {
  return Object.prototype.hasOwnProperty.call(table, key) ? (table[key] as string) : humanize(key);
}

/** `billing_dispute` -> `Billing dispute`. */
export function humanize(id: string): string {
  const words = String(id).replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '';
}

function num(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '?';
}

function percent(n: number): string {
  return Number.isFinite(n) ? `${Math.round(n * 100)}%` : '?';
}

/** ISO time -> `2026-11-20 10:32 UTC` (always UTC, so the output does not depend on the host's time zone). */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

function pointLabel(p: SentimentPoint): string {
  if (p.label === 'negative' && p.score <= -0.6) return NOTE_STRINGS.veryNegative;
  if (p.label === 'positive' && p.score >= 0.6) return NOTE_STRINGS.veryPositive;
  return lookup(NOTE_STRINGS.sentimentLabels, p.label);
}

export function trajectoryText(points: SentimentPoint[]): string {
  return points.map(pointLabel).join(' → ');
}

function triggerLabel(id: string): string {
  return lookup(NOTE_STRINGS.triggers, id);
}

function sortedTriggers(report: HandoffReport): { primary: TriggerHit | undefined; others: TriggerHit[] } {
  const primary = report.triggers.find((t) => t.id === report.primaryTrigger);
  const others = report.triggers.filter((t) => t !== primary);
  return { primary, others };
}

function factorText(f: PriorityFactor): string {
  const sign = f.points >= 0 ? '+' : '−';
  return `${sign}${Math.abs(f.points)} ${lookup(NOTE_STRINGS.priorityFactors, f.id)}: ${f.detail}`;
}

function redactionText(report: HandoffReport): string {
  const parts = Object.entries(report.redactions.byKind)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, n]) => `${lookup(NOTE_STRINGS.redactionKinds, k)} ×${n}`);
  return `${report.redactions.total}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

type ContextRow = { label: string; text: string };

function contextRows(report: HandoffReport): ContextRow[] {
  const c = report.context;
  const f = NOTE_STRINGS.fields;
  const rows: ContextRow[] = [];
  if (c.customerName) rows.push({ label: f.name, text: c.customerName });
  if (c.customerEmail) rows.push({ label: f.email, text: c.customerEmail });
  if (c.tier) rows.push({ label: f.tier, text: c.tier });
  // The page URL comes from the chat widget, which the customer controls: text, never a link.
  if (c.pageUrl) rows.push({ label: f.page, text: c.pageUrl });
  if (c.channel) rows.push({ label: f.channel, text: c.channel });
  if (c.locale) rows.push({ label: f.locale, text: c.locale });
  if (c.botName) rows.push({ label: f.bot, text: c.botName });
  if (c.startedAt) rows.push({ label: f.started, text: formatTime(c.startedAt) });
  if (c.requestedAt) rows.push({ label: f.requested, text: formatTime(c.requestedAt) });
  return rows;
}

function routingRows(report: HandoffReport): ContextRow[] {
  const r = report.routing;
  const f = NOTE_STRINGS.fields;
  const rows: ContextRow[] = [];
  if (r.groupId !== undefined) rows.push({ label: f.group, text: String(r.groupId) });
  if (r.skills.length) rows.push({ label: f.skills, text: r.skills.join(', ') });
  if (r.language) rows.push({ label: f.language, text: r.language });
  if (r.rule) rows.push({ label: f.rule, text: r.rule });
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// HTML

/** Escaped text with URLs made inert: only an allow-listed article becomes a live link, through `linkHtml`. */
const e = (value: unknown): string => escapeHtml(typeof value === 'string' ? inertUrls(value) : value);

function h(text: string): string {
  return `<h3>${e(text)}</h3>`;
}

/** Escapes text and keeps its line breaks visible. */
function multiline(text: string): string {
  return e(text).replace(/\r\n|\r|\n/g, '<br>');
}

function quote(excerpt: string | undefined): string {
  return excerpt ? ` — <em>“${e(excerpt)}”</em>` : '';
}

function triggerHtml(t: TriggerHit): string {
  return `<strong>${e(triggerLabel(t.id))}</strong>${t.detail ? ` (${e(t.detail)})` : ''}${quote(t.evidence?.excerpt)}`;
}

/**
 * A live link only when analysis found its host on the allow-list; its text is then the real URL, or the title
 * with the host beside it. Otherwise the title and the URL as text.
 */
export function solutionLinkHtml(s: Pick<AttemptedSolution, 'text' | 'url' | 'linkAllowed'>): string {
  if (!s.url) return e(s.text);
  const titled = s.text.trim() !== '' && s.text.trim() !== s.url.trim();
  const safe = safeHttpUrl(s.url);
  if (s.linkAllowed && safe) {
    const href = hrefWithoutBraces(safe);
    return titled ? `${linkHtml(href, s.text)} <small>(${e(new URL(safe).host)})</small>` : linkHtml(href, s.url);
  }
  return titled ? `${e(s.text)} (${e(s.url)})` : e(s.url);
}

function solutionHtml(s: AttemptedSolution): string {
  const outcome = lookup(NOTE_STRINGS.outcomes, s.outcome);
  const badge = s.outcome === 'rejected' ? `<strong>✗ ${e(outcome)}</strong>` : s.outcome === 'accepted' ? `<strong>✓ ${e(outcome)}</strong>` : `<em>${e(outcome)}</em>`;
  const what = solutionLinkHtml(s);
  const reaction = s.reaction?.excerpt ? ` — ${e(NOTE_STRINGS.customerReaction)}: <em>“${e(s.reaction.excerpt)}”</em>` : '';
  return `<li>${badge} · ${e(lookup(NOTE_STRINGS.solutionKinds, s.kind))}: ${what}${reaction}</li>`;
}

function rowsHtml(rows: ContextRow[]): string {
  return `<ul>\n${rows.map((r) => `<li><strong>${e(r.label)}:</strong> ${e(r.text)}</li>`).join('\n')}\n</ul>`;
}

function transcriptLineHtml(line: HandoffReport['transcript'][number]): string {
  const when = line.at ? ` <small>${e(formatTime(line.at))}</small>` : '';
  return `<p><strong>${e(lookup(NOTE_STRINGS.roles, line.role))}</strong>${when}<br>${multiline(line.text)}</p>`;
}

function markerHtml(handoffId: string): string {
  return `<p><small>${e(NOTE_STRINGS.marker)} · ${e(handoffMarker(handoffId))}</small></p>`;
}

/** The private note's `html_body`. */
export function renderNoteHtml(report: HandoffReport, handoffId: string): string {
  const S = NOTE_STRINGS;
  const out: string[] = [];

  out.push(h(S.title));
  out.push(...cutsLines(report.cuts).map(([label, text]) => `<p><strong>${e(label)}:</strong> ${e(text)}</p>`));
  out.push(h(S.summary), `<p>${multiline(report.summary.text)}</p>`);

  const { primary, others } = sortedTriggers(report);
  out.push(h(S.whyEscalated));
  out.push(`<p>${primary ? triggerHtml(primary) : `<strong>${e(triggerLabel(report.primaryTrigger))}</strong>`}</p>`);
  if (others.length) out.push(`<p>${e(S.otherTriggers)}:</p>`, `<ul>\n${others.map((t) => `<li>${triggerHtml(t)}</li>`).join('\n')}\n</ul>`);

  const s = report.sentiment;
  out.push(h(S.sentiment));
  out.push(
    `<p><strong>${e(lookup(S.sentimentLabels, s.label))}</strong> (${e(S.score)} ${e(num(s.score, 2))}, ${e(S.frustration)} ${e(percent(s.frustration))}) · ${e(S.trend)}: <strong>${e(lookup(S.trends, s.trend))}</strong></p>`,
  );
  if (s.trajectory.length) out.push(`<p>${e(S.trajectory)}: ${e(trajectoryText(s.trajectory))}</p>`);
  if (s.signals.length)
    out.push(`<p>${e(S.signals)}:</p>`, `<ul>\n${s.signals.map((g) => `<li>${e(lookup(S.signalLabels, g.id))}${quote(g.excerpt)}</li>`).join('\n')}\n</ul>`);

  out.push(h(S.attempted));
  out.push(report.attemptedSolutions.length ? `<ul>\n${report.attemptedSolutions.map(solutionHtml).join('\n')}\n</ul>` : `<p>${e(S.noneAttempted)}</p>`);

  if (report.keyFacts.length) {
    out.push(h(S.keyFacts));
    out.push(
      `<ul>\n${report.keyFacts
        // A URL found in the conversation was typed by someone Baton cannot vouch for: text, never a link.
        .map((f) => `<li><strong>${e(lookup(S.factKinds, f.kind))}:</strong> ${e(f.value)}</li>`)
        .join('\n')}\n</ul>`,
    );
  }

  const ctx = contextRows(report);
  out.push(h(S.customer));
  out.push(rowsHtml([...ctx, { label: S.topic, text: `${humanize(report.topic.id)} (${percent(report.topic.confidence)})` }]));

  out.push(h(S.priority));
  out.push(`<p><strong>${e(lookup(S.priorityLevels, report.priority.level))}</strong> (${e(num(report.priority.score, 0))}/100)</p>`);
  if (report.priority.factors.length) out.push(`<ul>\n${report.priority.factors.map((f) => `<li>${e(factorText(f))}</li>`).join('\n')}\n</ul>`);

  const routing = routingRows(report);
  if (routing.length) out.push(h(S.routing), rowsHtml(routing));

  if (report.opener.text) out.push(h(S.opener), `<blockquote>${multiline(report.opener.text)}</blockquote>`);

  if (report.nextSteps.length) out.push(h(S.nextSteps), `<ol>\n${report.nextSteps.map((n) => `<li>${e(n)}</li>`).join('\n')}\n</ol>`);

  if (report.redactions.total > 0) out.push(`<p><em>${e(S.redactions)}: ${e(redactionText(report))}</em></p>`);

  // The transcript goes last and is the only part that gets shortened (oldest lines first) to fit.
  const head = out.join('\n');
  const tail = `<hr>\n${markerHtml(handoffId)}`;
  const budget = MAX_NOTE_CHARS - head.length - tail.length - 400;
  const lines = report.transcript.map(transcriptLineHtml);
  let kept = 0;
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const len = (lines[i] as string).length + 1;
    if (used + len > budget) break;
    used += len;
    kept++;
  }
  const transcript: string[] = [h(S.transcript)];
  const omitted = lines.length - kept;
  if (omitted > 0) transcript.push(`<p><em>${e(S.transcriptOmitted(omitted))}</em></p>`);
  transcript.push(...lines.slice(lines.length - kept));

  // Last, over the whole note: no customer or bot text can be evaluated as a Zendesk placeholder.
  return neutralizePlaceholders(`${head}\n<hr>\n${transcript.join('\n')}\n${tail}`);
}

/** [label, text] lines saying what was cut or analysed in a reduced form; none when the briefing is whole. */
export function cutsLines(cuts: ReportCuts | undefined): Array<[string, string]> {
  if (!cuts) return [];
  const lines: Array<[string, string]> = [];
  if (cuts.messagesDropped > 0 || cuts.charactersCut > 0) lines.push([NOTE_STRINGS.longConversation, NOTE_STRINGS.cutText(cuts)]);
  if (cuts.degraded) lines.push([NOTE_STRINGS.degraded, NOTE_STRINGS.degradedText(cuts.degraded)]);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// Plain text (for logs, CLIs and helpdesks without HTML comments)

/** The same briefing as plain text. Contains the same `baton-handoff:<id>` marker. */
export function renderNotePlain(report: HandoffReport, handoffId: string): string {
  const S = NOTE_STRINGS;
  const out: string[] = [];
  const section = (title: string) => out.push('', `## ${title}`);
  const rows = (rs: ContextRow[]) => rs.forEach((r) => out.push(`- ${r.label}: ${r.text}`));

  out.push(`# ${S.title}`);
  for (const [label, text] of cutsLines(report.cuts)) out.push(`${label}: ${text}`);
  section(S.summary);
  out.push(report.summary.text);

  const { primary, others } = sortedTriggers(report);
  const triggerText = (t: TriggerHit) => `${triggerLabel(t.id)}${t.detail ? ` (${t.detail})` : ''}${t.evidence?.excerpt ? ` — “${t.evidence.excerpt}”` : ''}`;
  section(S.whyEscalated);
  out.push(primary ? triggerText(primary) : triggerLabel(report.primaryTrigger));
  for (const t of others) out.push(`- ${S.otherTriggers}: ${triggerText(t)}`);

  const s = report.sentiment;
  section(S.sentiment);
  out.push(`${lookup(S.sentimentLabels, s.label)} (${S.score} ${num(s.score, 2)}, ${S.frustration} ${percent(s.frustration)}) · ${S.trend}: ${lookup(S.trends, s.trend)}`);
  if (s.trajectory.length) out.push(`${S.trajectory}: ${trajectoryText(s.trajectory)}`);
  for (const g of s.signals) out.push(`- ${lookup(S.signalLabels, g.id)}${g.excerpt ? ` — “${g.excerpt}”` : ''}`);

  section(S.attempted);
  if (!report.attemptedSolutions.length) out.push(S.noneAttempted);
  for (const a of report.attemptedSolutions) {
    const reaction = a.reaction?.excerpt ? ` — ${S.customerReaction}: “${a.reaction.excerpt}”` : '';
    out.push(`- [${lookup(S.outcomes, a.outcome)}] ${lookup(S.solutionKinds, a.kind)}: ${a.text}${a.url ? ` <${a.url}>` : ''}${reaction}`);
  }

  if (report.keyFacts.length) {
    section(S.keyFacts);
    for (const f of report.keyFacts) out.push(`- ${lookup(S.factKinds, f.kind)}: ${f.value}`);
  }

  section(S.customer);
  rows([...contextRows(report), { label: S.topic, text: `${humanize(report.topic.id)} (${percent(report.topic.confidence)})` }]);

  section(S.priority);
  out.push(`${lookup(S.priorityLevels, report.priority.level)} (${num(report.priority.score, 0)}/100)`);
  for (const f of report.priority.factors) out.push(`- ${factorText(f)}`);

  const routing = routingRows(report);
  if (routing.length) {
    section(S.routing);
    rows(routing);
  }
  if (report.opener.text) {
    section(S.opener);
    out.push(...report.opener.text.split(/\r\n|\r|\n/).map((l) => `> ${l}`));
  }
  if (report.nextSteps.length) {
    section(S.nextSteps);
    report.nextSteps.forEach((n, i) => out.push(`${i + 1}. ${n}`));
  }
  if (report.redactions.total > 0) out.push('', `${S.redactions}: ${redactionText(report)}`);

  section(S.transcript);
  for (const l of report.transcript) out.push(`${lookup(S.roles, l.role)}${l.at ? ` (${formatTime(l.at)})` : ''}: ${l.text}`);

  out.push('', '---', `${S.marker} · ${handoffMarker(handoffId)}`);
  return neutralizePlaceholders(out.join('\n'));
}
