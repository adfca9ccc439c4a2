/**
 * The Baton briefing as an Intercom inbox card (Canvas Kit, "Conversation details" location): summary,
 * sentiment and trend, why the bot escalated with the customer's words, what was tried with outcomes, key
 * facts and the suggested opener. The full briefing and the transcript are in the note (render-note.ts).
 *
 * Components and fields used are only documented ones (https://developers.intercom.com/docs/references/canvas-kit/,
 * and intercom-client's generated types): text {id, text, style: header|paragraph|muted|error,
 * bottom_margin}, data-table {items: field-value {field, value}}, list {items: item {id, title, subtitle,
 * tertiary_text, action}}, textarea {id, label, value}, button {id, label, style, action: submit|url},
 * divider, spacer {size}.
 *
 * - The opener: no Canvas Kit action puts text into the teammate's reply composer (searched the action
 *   components: submit, url, sheets, and `card_creation_options`, which inserts an app card, not text), so
 *   it is offered in a prefilled textarea to copy from.
 * - Text components render Markdown links `[]()` and bold `**`, so customer and bot text there gets a
 *   zero-width space inside those sequences, URLs made inert, placeholders neutralised; list, table and
 *   textarea strings are plain text (and get the same treatment, which reads the same).
 * - Only an allow-listed article is clickable (a list item with a url action); other URLs stay text.
 * - Size: Intercom rejects a canvas whose `content` is over 64 KB. Lists and texts are cut deterministically
 *   (the card says what was left out); if the JSON is still too big, the limits are tightened step by step
 *   until it fits (MAX_CANVAS_CONTENT_BYTES, measured in UTF-8 bytes of the serialized content).
 * - Pure: no clock, no I/O.
 */
import type { HandoffReport } from '../../types/handoff-report.ts';
import type { Briefing, BriefingTrigger } from '../../briefing/briefing-model.ts';
import { buildBriefing, numberFormat } from '../../briefing/build-briefing.ts';
import { wordingFor } from '../../briefing/briefing-locale.ts';
import { inertUrls } from '../../briefing/inert-urls.ts';
import { neutralizePlaceholders } from '../../briefing/placeholders.ts';

/** Intercom's documented limit is 64 KB for `content`; we stay a little under it. */
export const CANVAS_CONTENT_LIMIT_BYTES = 64 * 1024;
export const MAX_CANVAS_CONTENT_BYTES = 60_000;

/** Component ids the submit endpoint reacts to. */
export const FEEDBACK_YES_ID = 'baton_feedback_yes';
export const FEEDBACK_NO_ID = 'baton_feedback_no';

export type CanvasComponent = Record<string, unknown> & { type: string };
export interface CanvasResponse {
  canvas: { content: { components: CanvasComponent[] }; stored_data?: Record<string, string> };
}

export interface BriefingCanvasOptions {
  handoffId: string;
  /** Wording locale (default English), e.g. the teammate's `admin.language` if known. */
  locale?: string;
  /** Show the "Was this briefing accurate?" buttons (default true). */
  feedback?: boolean;
  /** The feedback was recorded: a thank-you replaces the buttons. */
  feedbackRecorded?: boolean;
}

interface Limits {
  /** Items per list (triggers, tried, facts, signals). */
  items: number;
  /** Characters of one short text (evidence, a fact, a title). */
  text: number;
  summary: number;
  opener: number;
}

/** Tighter and tighter, until the content fits; the last step always fits (bounded by construction). */
const LIMIT_STEPS: Limits[] = [
  { items: 8, text: 400, summary: 1500, opener: 3000 },
  { items: 6, text: 200, summary: 800, opener: 1500 },
  { items: 4, text: 100, summary: 400, opener: 800 },
  { items: 3, text: 60, summary: 200, opener: 400 },
];

// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// Markdown a text component would render: `](` opens a link target, `**` bold. Linear: fixed strings.
const MD_LINK_RE = /\]\(/g;
const MD_BOLD_RE = /\*\*/g;

/** Customer or bot text for any card string: controls dropped, URLs inert, placeholders neutralised. */
function plain(text: string): string {
  return neutralizePlaceholders(inertUrls(String(text).replace(CONTROL_RE, '')));
}

/** The same, for a text component (Markdown links and bold broken, reading the same). */
function md(text: string): string {
  return plain(text).replace(MD_LINK_RE, ']\u200B(').replace(MD_BOLD_RE, '*\u200B*');
}

/** Cuts to `max` code points (never half a surrogate pair) and marks the cut. */
function cut(text: string, max: number, mark: string): string {
  // A string of at most `max` UTF-16 units has at most `max` code points: nothing to cut.
  if (text.length <= max) return text;
  let count = 0;
  let end = 0;
  let keep = 0;
  for (const cp of text) {
    if (count === max - 1) keep = end;
    if (count === max) return `${text.slice(0, keep)}${mark}`;
    end += cp.length;
    count++;
  }
  return text;
}

const quoted = (s: string | undefined, max: number, mark: string): string | undefined => (s ? `“${cut(s, max, mark)}”` : undefined);

function header(id: string, text: string): CanvasComponent {
  return { type: 'text', id, text: md(text), style: 'header' };
}

function fieldValue(field: string, value: string, lim: Limits, mark: string): Record<string, string> {
  return { type: 'field-value', field: plain(cut(field, lim.text, mark)), value: plain(cut(value, lim.text, mark)) };
}

function triggerItem(t: BriefingTrigger, i: number, lim: Limits, mark: string): CanvasComponent {
  const title = `${t.label}${t.detail ? ` (${t.detail})` : ''}`;
  const item: CanvasComponent = { type: 'item', id: `trigger_${i}`, title: plain(cut(title, lim.text, mark)) };
  const ev = quoted(t.evidence, lim.text, mark);
  if (ev) item.subtitle = plain(ev);
  return item;
}

function leftOut(b: Briefing, n: number, id: string): CanvasComponent[] {
  return n > 0 ? [{ type: 'text', id, text: md(b.words.card.moreLeftOut(n, numberFormat(b.locale))), style: 'muted' }] : [];
}

function components(b: Briefing, opts: BriefingCanvasOptions, lim: Limits): CanvasComponent[] {
  const w = b.words;
  const mark = w.card.textCut;
  const out: CanvasComponent[] = [{ type: 'text', id: 'title', text: md(b.title), style: 'header' }];
  for (const c of b.cuts) out.push({ type: 'text', id: `cut_${c.key}`, text: md(cut(`${c.label}: ${c.text}`, lim.summary, mark)), style: 'muted' });

  out.push(header('summary_h', b.summary.heading), { type: 'text', id: 'summary', text: md(cut(b.summary.text, lim.summary, mark)), style: 'paragraph' });

  const s = b.sentiment;
  out.push({ type: 'divider' }, header('sentiment_h', s.heading));
  const rows: Array<{ field: string; value: string }> = [
    { field: s.heading, value: `${s.labelText} (${s.scoreLabel} ${s.score})` },
    { field: s.trendLabel, value: s.trendText },
    { field: s.frustrationLabel, value: s.frustration },
  ];
  if (s.trajectory) rows.push({ field: s.trajectoryLabel, value: s.trajectory });
  if (s.signals.length) rows.push({ field: s.signalsLabel, value: s.signals.map((g) => g.label).join(', ') });
  out.push({ type: 'data-table', items: rows.map((r) => fieldValue(r.field, r.value, lim, mark)) });

  const why = b.whyEscalated;
  const triggers = [why.primary, ...why.others];
  out.push({ type: 'divider' }, header('why_h', why.heading));
  out.push({ type: 'list', items: triggers.slice(0, lim.items).map((t, i) => triggerItem(t, i, lim, mark)) });
  out.push(...leftOut(b, triggers.length - lim.items, 'why_more'));

  out.push({ type: 'divider' }, header('tried_h', b.tried.heading));
  if (!b.tried.items.length) out.push({ type: 'text', id: 'tried_none', text: md(b.tried.none), style: 'muted' });
  else {
    out.push({
      type: 'list',
      items: b.tried.items.slice(0, lim.items).map((a, i) => {
        const mark2 = a.outcome === 'rejected' ? '✗ ' : a.outcome === 'accepted' ? '✓ ' : '';
        const item: CanvasComponent = { type: 'item', id: `tried_${i}`, title: plain(cut(`${mark2}${a.outcomeLabel} · ${a.kindLabel}: ${a.what.text || a.what.url || ''}`, lim.text, mark)) };
        const reaction = quoted(a.reaction, lim.text, mark);
        if (reaction) item.subtitle = plain(`${b.tried.reactionLabel}: ${reaction}`);
        if (a.what.live && a.what.href) {
          // Allow-listed knowledge-base host: the one kind of link the card makes clickable.
          item.tertiary_text = plain(a.what.host ?? '');
          item.action = { type: 'url', url: a.what.href };
        } else if (a.what.url && a.what.titled) {
          item.tertiary_text = plain(cut(a.what.url, lim.text, mark));
        }
        return item;
      }),
    });
    out.push(...leftOut(b, b.tried.items.length - lim.items, 'tried_more'));
  }

  if (b.keyFacts.items.length) {
    out.push({ type: 'divider' }, header('facts_h', b.keyFacts.heading));
    out.push({ type: 'data-table', items: b.keyFacts.items.slice(0, lim.items).map((f) => fieldValue(f.label, f.value, lim, mark)) });
    out.push(...leftOut(b, b.keyFacts.items.length - lim.items, 'facts_more'));
  }

  if (b.opener.text) {
    out.push({ type: 'divider' }, header('opener_h', b.opener.heading));
    out.push({ type: 'textarea', id: 'opener', label: plain(w.card.copyOpener), value: plain(cut(b.opener.text, lim.opener, mark)) });
  }

  if (opts.feedback !== false) {
    out.push({ type: 'divider' });
    if (opts.feedbackRecorded) out.push({ type: 'text', id: 'feedback_thanks', text: md(w.card.thanks), style: 'muted' });
    else
      out.push(
        { type: 'text', id: 'feedback_q', text: md(w.card.accurate), style: 'paragraph' },
        { type: 'button', id: FEEDBACK_YES_ID, label: plain(w.card.yes), style: 'secondary', action: { type: 'submit' } },
        { type: 'button', id: FEEDBACK_NO_ID, label: plain(w.card.no), style: 'secondary', action: { type: 'submit' } },
      );
  }
  out.push({ type: 'spacer', size: 's' }, { type: 'text', id: 'full_note', text: md(w.card.fullNote), style: 'muted' });
  return out;
}

/** UTF-8 bytes of the serialized `content` (what Intercom's 64 KB limit applies to). */
export function canvasContentBytes(res: CanvasResponse): number {
  return Buffer.byteLength(JSON.stringify(res.canvas.content), 'utf8');
}

/** The briefing card for a conversation Baton handed over. */
export function renderBriefingCanvas(report: HandoffReport, opts: BriefingCanvasOptions): CanvasResponse {
  const b = buildBriefing(report, opts.handoffId, opts.locale ? { locale: opts.locale } : {});
  let res: CanvasResponse | undefined;
  for (const lim of LIMIT_STEPS) {
    res = { canvas: { content: { components: components(b, opts, lim) } } };
    if (canvasContentBytes(res) <= MAX_CANVAS_CONTENT_BYTES) return res;
  }
  // Unreachable with the last step's bounds (a few dozen strings of at most a few hundred code points each);
  // kept so the limit holds even if those bounds change: the summary and the opener go.
  const last = LIMIT_STEPS[LIMIT_STEPS.length - 1] as Limits;
  return { canvas: { content: { components: components({ ...b, summary: { ...b.summary, text: '' }, opener: { ...b.opener, text: '' } }, opts, { ...last, items: 1 }) } } };
}

/** A card saying the briefing could not be drawn (the note still has it). */
export function renderUnavailableCanvas(opts: { locale?: string } = {}): CanvasResponse {
  const { wording: w } = wordingFor(opts.locale);
  return { canvas: { content: { components: [{ type: 'text', id: 'unavailable', text: md(w.card.unavailable), style: 'muted' }] } } };
}

/** A friendly card for a conversation without a Baton handoff (or a request that names no conversation). */
export function renderNoHandoffCanvas(opts: { locale?: string } = {}): CanvasResponse {
  const { wording: w } = wordingFor(opts.locale);
  return {
    canvas: {
      content: {
        components: [
          { type: 'text', id: 'no_handoff_title', text: md(w.card.noHandoffTitle), style: 'header' },
          { type: 'text', id: 'no_handoff_body', text: md(w.card.noHandoffBody), style: 'muted' },
        ],
      },
    },
  };
}
