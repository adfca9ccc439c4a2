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
 * - Zendesk placeholder and Liquid syntax from customer or bot text is neutralised (briefing/placeholders.ts).
 * - What normalization cut from a long conversation, and a degraded analysis, are said at the top.
 * - Output is a pure function of (report, handoffId): no render timestamps, so a retried write after a
 *   crash sends byte-identical bodies (same Idempotency-Key, same marker).
 * - Sections and wording come from the helpdesk-agnostic briefing model (briefing/build-briefing.ts), so the
 *   Intercom note and card say the same thing; `opts.locale` picks the wording (default English).
 * - The body contains `baton-handoff:<handoffId>` as plain text; the writer looks for that exact string in
 *   the ticket's comments before writing, so a note is never written twice.
 */
import type { AttemptedSolution, HandoffReport, ReportCuts } from '../../types/handoff-report.ts';
import type { Briefing, BriefingLink, BriefingRow, BriefingTrigger } from '../../briefing/briefing-model.ts';
import { briefingLink, buildBriefing, formatTime, handoffMarker, humanize, numberFormat, trajectoryText, type BuildBriefingOptions } from '../../briefing/build-briefing.ts';
import { WORDING_EN } from '../../briefing/wording.ts';
import { wordingFor } from '../../briefing/briefing-locale.ts';
import { escapeHtml, linkHtml } from './html-escape.ts';
import { hrefWithoutBraces, neutralizePlaceholders } from '../../briefing/placeholders.ts';
import { inertUrls } from '../../briefing/inert-urls.ts';

export { formatTime, handoffMarker, humanize, trajectoryText };
export type RenderNoteOptions = BuildBriefingOptions;

/** The note's English wording (kept for callers of the old name; the table is briefing/wording.ts). */
export const NOTE_STRINGS = WORDING_EN;

/** Keeps the note comfortably below Zendesk's comment size limit; only the transcript is ever shortened. */
export const MAX_NOTE_CHARS = 60_000;

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

function triggerHtml(t: BriefingTrigger): string {
  return `<strong>${e(t.label)}</strong>${t.detail ? ` (${e(t.detail)})` : ''}${quote(t.evidence)}`;
}

function linkOf(l: BriefingLink): string {
  if (!l.url) return e(l.text);
  if (l.live && l.href) {
    const href = hrefWithoutBraces(l.href);
    return l.titled ? `${linkHtml(href, l.text)} <small>(${e(l.host)})</small>` : linkHtml(href, l.url);
  }
  return l.titled ? `${e(l.text)} (${e(l.url)})` : e(l.url);
}

/**
 * A live link only when analysis found its host on the allow-list; its text is then the real URL, or the title
 * with the host beside it. Otherwise the title and the URL as text.
 */
export function solutionLinkHtml(s: Pick<AttemptedSolution, 'text' | 'url' | 'linkAllowed'>): string {
  return linkOf(briefingLink(s));
}

function attemptHtml(a: Briefing['tried']['items'][number], reactionLabel: string): string {
  const badge =
    a.outcome === 'rejected' ? `<strong>✗ ${e(a.outcomeLabel)}</strong>` : a.outcome === 'accepted' ? `<strong>✓ ${e(a.outcomeLabel)}</strong>` : `<em>${e(a.outcomeLabel)}</em>`;
  const reaction = a.reaction ? ` — ${e(reactionLabel)}: <em>“${e(a.reaction)}”</em>` : '';
  return `<li>${badge} · ${e(a.kindLabel)}: ${linkOf(a.what)}${reaction}</li>`;
}

function rowsHtml(rows: BriefingRow[]): string {
  return `<ul>\n${rows.map((r) => `<li><strong>${e(r.label)}:</strong> ${e(r.text)}</li>`).join('\n')}\n</ul>`;
}

function transcriptLineHtml(line: Briefing['transcript']['lines'][number]): string {
  const when = line.time ? ` <small>${e(line.time)}</small>` : '';
  return `<p><strong>${e(line.roleLabel)}</strong>${when}<br>${multiline(line.text)}</p>`;
}

/** The private note's `html_body`. */
export function renderNoteHtml(report: HandoffReport, handoffId: string, opts: RenderNoteOptions = {}): string {
  const b = buildBriefing(report, handoffId, opts);
  const out: string[] = [];

  out.push(h(b.title));
  out.push(...b.cuts.map((c) => `<p><strong>${e(c.label)}:</strong> ${e(c.text)}</p>`));
  out.push(h(b.summary.heading), `<p>${multiline(b.summary.text)}</p>`);

  const why = b.whyEscalated;
  out.push(h(why.heading));
  out.push(`<p>${triggerHtml(why.primary)}</p>`);
  if (why.others.length) out.push(`<p>${e(why.othersLabel)}:</p>`, `<ul>\n${why.others.map((t) => `<li>${triggerHtml(t)}</li>`).join('\n')}\n</ul>`);

  const s = b.sentiment;
  out.push(h(s.heading));
  out.push(
    `<p><strong>${e(s.labelText)}</strong> (${e(s.scoreLabel)} ${e(s.score)}, ${e(s.frustrationLabel)} ${e(s.frustration)}) · ${e(s.trendLabel)}: <strong>${e(s.trendText)}</strong></p>`,
  );
  if (s.trajectory) out.push(`<p>${e(s.trajectoryLabel)}: ${e(s.trajectory)}</p>`);
  if (s.signals.length) out.push(`<p>${e(s.signalsLabel)}:</p>`, `<ul>\n${s.signals.map((g) => `<li>${e(g.label)}${quote(g.evidence)}</li>`).join('\n')}\n</ul>`);

  out.push(h(b.tried.heading));
  out.push(b.tried.items.length ? `<ul>\n${b.tried.items.map((a) => attemptHtml(a, b.tried.reactionLabel)).join('\n')}\n</ul>` : `<p>${e(b.tried.none)}</p>`);

  if (b.keyFacts.items.length) {
    out.push(h(b.keyFacts.heading));
    // A URL found in the conversation was typed by someone Baton cannot vouch for: text, never a link.
    out.push(`<ul>\n${b.keyFacts.items.map((f) => `<li><strong>${e(f.label)}:</strong> ${e(f.value)}</li>`).join('\n')}\n</ul>`);
  }

  out.push(h(b.customer.heading), rowsHtml(b.customer.rows));

  out.push(h(b.priority.heading));
  out.push(`<p><strong>${e(b.priority.levelText)}</strong> (${e(b.priority.score)})</p>`);
  if (b.priority.factors.length) out.push(`<ul>\n${b.priority.factors.map((f) => `<li>${e(f)}</li>`).join('\n')}\n</ul>`);

  if (b.routing.rows.length) out.push(h(b.routing.heading), rowsHtml(b.routing.rows));

  if (b.opener.text) out.push(h(b.opener.heading), `<blockquote>${multiline(b.opener.text)}</blockquote>`);

  if (b.nextSteps.items.length) out.push(h(b.nextSteps.heading), `<ol>\n${b.nextSteps.items.map((n) => `<li>${e(n)}</li>`).join('\n')}\n</ol>`);

  if (b.redactions) out.push(`<p><em>${e(b.redactions.label)}: ${e(b.redactions.text)}</em></p>`);

  // The transcript goes last and is the only part that gets shortened (oldest lines first) to fit.
  const head = out.join('\n');
  const tail = `<hr>\n<p><small>${e(b.markerLabel)} · ${e(b.marker)}</small></p>`;
  const budget = MAX_NOTE_CHARS - head.length - tail.length - 400;
  const lines = b.transcript.lines.map(transcriptLineHtml);
  let kept = 0;
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const len = (lines[i] as string).length + 1;
    if (used + len > budget) break;
    used += len;
    kept++;
  }
  const transcript: string[] = [h(b.transcript.heading)];
  const omitted = lines.length - kept;
  if (omitted > 0) transcript.push(`<p><em>${e(b.words.transcriptOmitted(omitted, numberFormat(b.locale)))}</em></p>`);
  transcript.push(...lines.slice(lines.length - kept));

  // Last, over the whole note: no customer or bot text can be evaluated as a Zendesk placeholder.
  return neutralizePlaceholders(`${head}\n<hr>\n${transcript.join('\n')}\n${tail}`);
}

/** [label, text] lines saying what was cut or analysed in a reduced form; none when the briefing is whole. */
export function cutsLines(cuts: ReportCuts | undefined, locale?: string): Array<[string, string]> {
  if (!cuts) return [];
  const { locale: l, wording: w } = wordingFor(locale);
  const lines: Array<[string, string]> = [];
  if (cuts.messagesDropped > 0 || cuts.charactersCut > 0) lines.push([w.longConversation, w.cutText(cuts, numberFormat(l))]);
  if (cuts.degraded) lines.push([w.degraded, w.degradedText(cuts.degraded)]);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// Plain text (for logs, CLIs and helpdesks without HTML comments)

function plainLink(l: BriefingLink): string {
  return `${l.text}${l.url ? ` <${l.url}>` : ''}`;
}

/** The same briefing as plain text. Contains the same `baton-handoff:<id>` marker. */
export function renderNotePlain(report: HandoffReport, handoffId: string, opts: RenderNoteOptions = {}): string {
  const b = buildBriefing(report, handoffId, opts);
  const out: string[] = [];
  const section = (title: string) => out.push('', `## ${title}`);
  const rows = (rs: BriefingRow[]) => rs.forEach((r) => out.push(`- ${r.label}: ${r.text}`));

  out.push(`# ${b.title}`);
  for (const c of b.cuts) out.push(`${c.label}: ${c.text}`);
  section(b.summary.heading);
  out.push(b.summary.text);

  const triggerText = (t: BriefingTrigger) => `${t.label}${t.detail ? ` (${t.detail})` : ''}${t.evidence ? ` — “${t.evidence}”` : ''}`;
  section(b.whyEscalated.heading);
  out.push(triggerText(b.whyEscalated.primary));
  for (const t of b.whyEscalated.others) out.push(`- ${b.whyEscalated.othersLabel}: ${triggerText(t)}`);

  const s = b.sentiment;
  section(s.heading);
  out.push(`${s.labelText} (${s.scoreLabel} ${s.score}, ${s.frustrationLabel} ${s.frustration}) · ${s.trendLabel}: ${s.trendText}`);
  if (s.trajectory) out.push(`${s.trajectoryLabel}: ${s.trajectory}`);
  for (const g of s.signals) out.push(`- ${g.label}${g.evidence ? ` — “${g.evidence}”` : ''}`);

  section(b.tried.heading);
  if (!b.tried.items.length) out.push(b.tried.none);
  for (const a of b.tried.items) {
    const reaction = a.reaction ? ` — ${b.tried.reactionLabel}: “${a.reaction}”` : '';
    out.push(`- [${a.outcomeLabel}] ${a.kindLabel}: ${plainLink(a.what)}${reaction}`);
  }

  if (b.keyFacts.items.length) {
    section(b.keyFacts.heading);
    for (const f of b.keyFacts.items) out.push(`- ${f.label}: ${f.value}`);
  }

  section(b.customer.heading);
  rows(b.customer.rows);

  section(b.priority.heading);
  out.push(`${b.priority.levelText} (${b.priority.score})`);
  for (const f of b.priority.factors) out.push(`- ${f}`);

  if (b.routing.rows.length) {
    section(b.routing.heading);
    rows(b.routing.rows);
  }
  if (b.opener.text) {
    section(b.opener.heading);
    out.push(...b.opener.text.split(/\r\n|\r|\n/).map((l) => `> ${l}`));
  }
  if (b.nextSteps.items.length) {
    section(b.nextSteps.heading);
    b.nextSteps.items.forEach((n, i) => out.push(`${i + 1}. ${n}`));
  }
  if (b.redactions) out.push('', `${b.redactions.label}: ${b.redactions.text}`);

  section(b.transcript.heading);
  for (const l of b.transcript.lines) out.push(`${l.roleLabel}${l.time ? ` (${l.time})` : ''}: ${l.text}`);

  out.push('', '---', `${b.markerLabel} · ${b.marker}`);
  return neutralizePlaceholders(out.join('\n'));
}
