/**
 * Renders a HandoffReport as the internal note Baton adds to an Intercom conversation
 * (`POST /conversations/{id}/reply` with `message_type: "note"`, `type: "admin"`, `admin_id`, `body`).
 *
 * - Markup: only what Intercom documents for note bodies. Its reply reference shows a note body with `h2`,
 *   `ul`, `ol`, `li` (https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations/replyconversation,
 *   example "note"); its 1.x guide says notes take "some HTML formatting such as bold, italics, and lists"
 *   (https://developers.intercom.com/docs/references/1.2/rest-api/conversations/replying-to-a-conversation/);
 *   `p`, `br` and `a` are in its supported-HTML list for articles. So: h2, p, br, b, i, ul, ol, li, a. No
 *   blockquote, hr, small or tables (unverified for notes, so not used). Which tags Intercom keeps exactly in
 *   a stored note is unverified; noteHasMarker does not depend on it.
 * - The same sections and wording as the Zendesk note: both render the one briefing model
 *   (briefing/build-briefing.ts); `opts.locale` picks the wording (default English).
 * - Every value is HTML-escaped. Only a link the bot offered on an allow-listed knowledge-base host
 *   (`linkAllowed`) is live; every other URL is text, made inert (zero-width space after the scheme) so the
 *   inbox does not turn it into a link; `{{…}}` placeholders are neutralised the same way.
 * - Pure: no clock, no I/O. A retry renders the same bytes.
 * - The body contains `baton-handoff:<handoffId>` as visible plain text; the writer checks the conversation's
 *   notes with noteHasMarker before writing again (Intercom takes no Idempotency-Key).
 */
import type { HandoffReport } from '../../types/handoff-report.ts';
import type { Briefing, BriefingLink, BriefingRow, BriefingTrigger } from '../../briefing/briefing-model.ts';
import { buildBriefing, handoffMarker, numberFormat, type BuildBriefingOptions } from '../../briefing/build-briefing.ts';
import { escapeHtml } from '../../briefing/escape-html.ts';
import { inertUrls } from '../../briefing/inert-urls.ts';
import { hrefWithoutBraces, neutralizePlaceholders } from '../../briefing/placeholders.ts';

export type IntercomNoteOptions = BuildBriefingOptions;

/** Tags the note uses (tests check the output against this list). */
export const INTERCOM_NOTE_TAGS = ['h2', 'p', 'br', 'b', 'i', 'ul', 'ol', 'li', 'a'] as const;

/** Keeps the note well below any body limit (Intercom's is not documented); only the transcript is shortened. */
export const MAX_INTERCOM_NOTE_CHARS = 60_000;

/** The exact text the writer looks for among a conversation's notes before writing again. */
export function intercomHandoffMarker(handoffId: string): string {
  return handoffMarker(handoffId);
}

// ---------------------------------------------------------------------------------------------------------
// Marker check, robust to Intercom re-encoding the HTML it stores

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
// Linear: a bounded run inside one tag; entity names and numbers are bounded.
const TAG_RE = /<[^<>]{0,2000}>/g;
const ENTITY_RE = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g;
const INVISIBLE_RE = /\u200B|\u200C|\u200D|\u2060|\uFEFF|\u00AD/g;
const ID_CHAR_RE = /[A-Za-z0-9_-]/;

function decodeEntity(_m: string, body: string): string {
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? `&${body};`;
}

/** The visible text of an HTML body: tags removed, entities decoded, invisible characters dropped. */
export function noteText(body: string): string {
  return String(body).replace(TAG_RE, '').replace(ENTITY_RE, decodeEntity).replace(INVISIBLE_RE, '').replace(/\u00A0/g, ' ');
}

/**
 * Whether a note body (as Intercom returns it: possibly re-encoded, re-wrapped or with entities) carries this
 * handoff's marker. The marker must not run on into a longer id (`ho_1` is not found in `ho_12`).
 */
export function noteHasMarker(body: string, handoffId: string): boolean {
  if (typeof body !== 'string' || !handoffId) return false;
  const text = noteText(body);
  const marker = intercomHandoffMarker(handoffId);
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    const next = text[at + marker.length];
    if (next === undefined || !ID_CHAR_RE.test(next)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// HTML

/** Escaped text with URLs made inert. */
const e = (value: unknown): string => escapeHtml(typeof value === 'string' ? inertUrls(value) : value);

const h = (text: string): string => `<h2>${e(text)}</h2>`;
const multiline = (text: string): string => e(text).replace(/\r\n|\r|\n/g, '<br>');
const quote = (excerpt: string | undefined): string => (excerpt ? ` — <i>“${e(excerpt)}”</i>` : '');
const list = (items: string[], tag: 'ul' | 'ol' = 'ul'): string => `<${tag}>${items.map((i) => `<li>${i}</li>`).join('')}</${tag}>`;
const rows = (rs: BriefingRow[]): string => list(rs.map((r) => `<b>${e(r.label)}:</b> ${e(r.text)}`));

function triggerHtml(t: BriefingTrigger): string {
  return `<b>${e(t.label)}</b>${t.detail ? ` (${e(t.detail)})` : ''}${quote(t.evidence)}`;
}

/** Live only when the briefing says so (allow-listed host, safe http(s)); the host is shown beside a title. */
function linkHtml(l: BriefingLink): string {
  if (!l.url) return e(l.text);
  if (l.live && l.href) {
    const href = escapeHtml(hrefWithoutBraces(l.href));
    return l.titled ? `<a href="${href}">${escapeHtml(l.text)}</a> (${e(l.host)})` : `<a href="${href}">${escapeHtml(l.href)}</a>`;
  }
  return l.titled ? `${e(l.text)} (${e(l.url)})` : e(l.url);
}

function attemptHtml(a: Briefing['tried']['items'][number], reactionLabel: string): string {
  const badge = a.outcome === 'rejected' ? `<b>✗ ${e(a.outcomeLabel)}</b>` : a.outcome === 'accepted' ? `<b>✓ ${e(a.outcomeLabel)}</b>` : `<i>${e(a.outcomeLabel)}</i>`;
  const reaction = a.reaction ? ` — ${e(reactionLabel)}: <i>“${e(a.reaction)}”</i>` : '';
  return `${badge} · ${e(a.kindLabel)}: ${linkHtml(a.what)}${reaction}`;
}

/** The note's `body`. */
export function renderIntercomNote(report: HandoffReport, handoffId: string, opts: IntercomNoteOptions = {}): string {
  const b = buildBriefing(report, handoffId, opts);
  const out: string[] = [];

  out.push(`<p><b>${e(b.title)}</b></p>`);
  out.push(...b.cuts.map((c) => `<p><b>${e(c.label)}:</b> ${e(c.text)}</p>`));
  out.push(h(b.summary.heading), `<p>${multiline(b.summary.text)}</p>`);

  const why = b.whyEscalated;
  out.push(h(why.heading), `<p>${triggerHtml(why.primary)}</p>`);
  if (why.others.length) out.push(`<p>${e(why.othersLabel)}:</p>`, list(why.others.map(triggerHtml)));

  const s = b.sentiment;
  out.push(h(s.heading));
  out.push(`<p><b>${e(s.labelText)}</b> (${e(s.scoreLabel)} ${e(s.score)}, ${e(s.frustrationLabel)} ${e(s.frustration)}) · ${e(s.trendLabel)}: <b>${e(s.trendText)}</b></p>`);
  if (s.trajectory) out.push(`<p>${e(s.trajectoryLabel)}: ${e(s.trajectory)}</p>`);
  if (s.signals.length) out.push(`<p>${e(s.signalsLabel)}:</p>`, list(s.signals.map((g) => `${e(g.label)}${quote(g.evidence)}`)));

  out.push(h(b.tried.heading));
  out.push(b.tried.items.length ? list(b.tried.items.map((a) => attemptHtml(a, b.tried.reactionLabel))) : `<p>${e(b.tried.none)}</p>`);

  if (b.keyFacts.items.length) out.push(h(b.keyFacts.heading), list(b.keyFacts.items.map((f) => `<b>${e(f.label)}:</b> ${e(f.value)}`)));

  out.push(h(b.customer.heading), rows(b.customer.rows));

  out.push(h(b.priority.heading), `<p><b>${e(b.priority.levelText)}</b> (${e(b.priority.score)})</p>`);
  if (b.priority.factors.length) out.push(list(b.priority.factors.map((f) => e(f))));

  if (b.routing.rows.length) out.push(h(b.routing.heading), rows(b.routing.rows));
  if (b.opener.text) out.push(h(b.opener.heading), `<p><i>${multiline(b.opener.text)}</i></p>`);
  if (b.nextSteps.items.length) out.push(h(b.nextSteps.heading), list(b.nextSteps.items.map((n) => e(n)), 'ol'));
  if (b.redactions) out.push(`<p><i>${e(b.redactions.label)}: ${e(b.redactions.text)}</i></p>`);

  // The transcript goes last and is the only part shortened (oldest lines first) to fit.
  const head = out.join('');
  const tail = `<p>${e(b.markerLabel)} · ${e(b.marker)}</p>`;
  const budget = MAX_INTERCOM_NOTE_CHARS - head.length - tail.length - 400;
  const lines = b.transcript.lines.map((l) => `<p><b>${e(l.roleLabel)}</b>${l.time ? ` ${e(l.time)}` : ''}<br>${multiline(l.text)}</p>`);
  let kept = 0;
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const len = (lines[i] as string).length;
    if (used + len > budget) break;
    used += len;
    kept++;
  }
  const transcript: string[] = [h(b.transcript.heading)];
  const omitted = lines.length - kept;
  if (omitted > 0) transcript.push(`<p><i>${e(b.words.transcriptOmittedShort(omitted, numberFormat(b.locale)))}</i></p>`);
  transcript.push(...lines.slice(lines.length - kept));

  return neutralizePlaceholders(`${head}${transcript.join('')}${tail}`);
}
