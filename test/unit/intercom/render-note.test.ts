import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  INTERCOM_NOTE_TAGS,
  MAX_INTERCOM_NOTE_CHARS,
  intercomHandoffMarker,
  noteHasMarker,
  noteText,
  renderIntercomNote,
} from '../../../server/helpdesks/intercom/render-note.ts';
import { renderNoteHtml } from '../../../server/helpdesks/zendesk/render-note.ts';
import { escapeHtml } from '../../../server/briefing/escape-html.ts';
import type { AttemptedSolution, HandoffReport } from '../../../server/types/handoff-report.ts';
import { SAMPLE_HANDOFF_ID, mapStrings, sampleReport } from '../../fixtures/sample-report.ts';

const ALLOWED = new Set<string>(INTERCOM_NOTE_TAGS);

/** Every `<` opens or closes an allowed tag; only <a> has an attribute, and only an http(s) href. */
function assertOnlyIntercomMarkup(html: string): void {
  const tagRe = /<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/g;
  let tags = 0;
  for (const m of html.matchAll(tagRe)) {
    tags++;
    const name = (m[2] as string).toLowerCase();
    expect(ALLOWED.has(name), `tag <${name}>`).toBe(true);
    const attrs = [...(m[3] as string).matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1] as string, a[2] as string] as const);
    if (name !== 'a' || m[1] === '/') {
      expect(attrs, `attributes on <${name}>`).toEqual([]);
      continue;
    }
    expect(attrs.map(([k]) => k)).toEqual(['href']);
    expect(attrs[0]?.[1]).toMatch(/^https?:\/\//);
  }
  expect((html.match(/</g) ?? []).length).toBe(tags);
}

const hrefs = (html: string): string[] => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1] as string);
const solution = (s: Partial<AttemptedSolution>): AttemptedSolution => ({ kind: 'article', text: 'Article', messageIndex: 1, outcome: 'ignored', ...s });

afterEach(() => vi.useRealTimers());

describe('renderIntercomNote', () => {
  const html = renderIntercomNote(sampleReport(), SAMPLE_HANDOFF_ID);

  it('has the same sections as the Zendesk note, in the same order, with the transcript last', () => {
    const zendesk = renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID);
    const headings = ['Summary', 'Why the bot handed over', 'Sentiment', 'What the bot already tried', 'Key facts', 'Customer', 'Priority', 'Routing', 'Suggested opener', 'Next steps', 'Transcript'];
    const at = headings.map((t) => html.indexOf(`<h2>${t}</h2>`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const t of headings) expect(zendesk).toContain(`<h3>${t}</h3>`);
    expect(html.startsWith('<p><b>Baton handoff briefing</b></p>')).toBe(true);
  });

  it('says the same things as the Zendesk note (same visible text per section)', () => {
    const zendesk = renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID);
    const visible = (s: string) => noteText(s).replace(/\s+/g, ' ');
    for (const phrase of [
      'Customer asked for a human (customer_request) — “Let me talk to a person”',
      'negative (score -0.71, frustration 82%) · trend: worsening',
      'Trajectory: neutral → very negative',
      '✗ REJECTED · Article: Cancel an order (https://help.example.com/cancel) — customer: “I CALLED and cancelled last week”',
      'Order: #A-10293',
      'Page: https://app.example.com/settings/billing',
      'High (72/100)',
      '+25 tier: premium customer',
      "Hi Sarah, I'm sorry you've had to repeat yourself.",
      'Confirm the phone cancellation from last week in the order system.',
    ]) {
      expect(visible(html), phrase).toContain(phrase);
      expect(visible(zendesk), phrase).toContain(phrase);
    }
  });

  it('uses only the tags Intercom documents for notes', () => {
    assertOnlyIntercomMarkup(html);
  });

  it('carries the marker as visible plain text, once, at the end', () => {
    expect(intercomHandoffMarker(SAMPLE_HANDOFF_ID)).toBe(`baton-handoff:${SAMPLE_HANDOFF_ID}`);
    expect(html.endsWith(`<p>Baton handoff · baton-handoff:${SAMPLE_HANDOFF_ID}</p>`)).toBe(true);
    expect(html.split(intercomHandoffMarker(SAMPLE_HANDOFF_ID))).toHaveLength(2);
  });

  it('is deterministic: same input, same bytes, whatever the clock; the report is not changed', () => {
    const r = sampleReport();
    const copy = structuredClone(r);
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-03-04T05:06:07Z'));
    const later = renderIntercomNote(r, SAMPLE_HANDOFF_ID);
    expect(later).toBe(html);
    expect(r).toEqual(copy);
  });

  it('renders in another locale when asked (default English)', () => {
    const es = renderIntercomNote(sampleReport(), SAMPLE_HANDOFF_ID, { locale: 'es' });
    expect(es).toContain('<h2>Por qué escaló el bot</h2>');
    expect(es).toContain(intercomHandoffMarker(SAMPLE_HANDOFF_ID));
  });
});

describe('renderIntercomNote escaping and links', () => {
  const NOT_RENDERED = [/^eventId$/, /^attemptedSolutions\[\d+\]\.url$/, /^opener\.(locale|tone)$/, /^topic\.runnerUp\./, /^sentiment\.signals\[\d+\]\.target$/, /^routing\.skills\[\d+\]$/];

  it('escapes <script>, tags and quotes in every rendered field', () => {
    const payloads = new Map<string, string>();
    let n = 0;
    const report = mapStrings(sampleReport(), (s, path) => {
      const payload = `<script>alert(${++n})</script>"'><img src=x onerror=alert(${n})>`;
      payloads.set(path, payload);
      return `${s}${payload}`;
    });
    const html = renderIntercomNote(report, SAMPLE_HANDOFF_ID);
    assertOnlyIntercomMarkup(html);
    const missing = [...payloads].filter(([path, p]) => !NOT_RENDERED.some((re) => re.test(path)) && !html.includes(escapeHtml(p))).map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it('links only an allow-listed article; every other URL is inert text', () => {
    const r = sampleReport();
    r.attemptedSolutions = [
      solution({ text: 'Refunds', url: 'https://help.example.com/refunds', linkAllowed: true }),
      solution({ text: 'Reset', url: 'https://help-example.evil.test/reset' }),
      solution({ text: 'x', url: 'javascript:alert(1)', linkAllowed: true }),
    ];
    r.keyFacts.push({ kind: 'url', value: 'https://evil.example/login', messageIndex: 0 });
    r.transcript.push({ role: 'customer', text: 'go to www.evil.example or ftp://files.evil.example' });
    const html = renderIntercomNote(r, SAMPLE_HANDOFF_ID);
    expect(hrefs(html)).toEqual(['https://help.example.com/refunds']);
    expect(html).toContain('<a href="https://help.example.com/refunds">Refunds</a> (help.example.com)');
    expect(html).toContain('Reset (https:\u200B//help-example.evil.test/reset)');
    const text = html.replace(/href="[^"]*"/g, '');
    expect(text).not.toMatch(/[a-z]:\/\//i);
    expect(text).not.toMatch(/\bwww\./i);
  });

  it('neutralises {{placeholders}} from customer text, and percent-encodes braces in an href', () => {
    const r = sampleReport();
    r.summary.text = 'Send to {{first_name}} {% if x %}';
    r.attemptedSolutions = [solution({ text: 'a', url: 'https://help.example.com/a?q={{x}}', linkAllowed: true })];
    const html = renderIntercomNote(r, SAMPLE_HANDOFF_ID);
    expect(html).not.toMatch(/\{\{|\{%/);
    expect(hrefs(html)).toEqual(['https://help.example.com/a?q=%7B%7Bx%7D%7D']);
  });

  it('shortens only the transcript, oldest first, and says so', () => {
    const r: HandoffReport = sampleReport();
    r.transcript = Array.from({ length: 2000 }, (_, i) => ({ role: i % 2 ? 'bot' : 'customer', text: `message ${i} ${'x'.repeat(150)}` }) as const);
    const html = renderIntercomNote(r, SAMPLE_HANDOFF_ID);
    expect(html.length).toBeLessThanOrEqual(MAX_INTERCOM_NOTE_CHARS);
    expect(html).toContain('message 1999 ');
    expect(html).not.toContain('message 0 ');
    expect(html).toMatch(/\d+ earlier messages omitted to fit the note\./);
    expect(html).toContain('<h2>Suggested opener</h2>');
    expect(noteHasMarker(html, SAMPLE_HANDOFF_ID)).toBe(true);
  });

  it('says what was cut, near the top', () => {
    const r = sampleReport();
    r.cuts = { messagesTruncated: 1, charactersCut: 196_000, messagesDropped: 0 };
    const html = renderIntercomNote(r, SAMPLE_HANDOFF_ID);
    const line = '<p><b>Long conversation:</b> 196,000 characters were cut; the beginning and end of the long message are shown.</p>';
    expect(html.indexOf(line)).toBeGreaterThan(0);
    expect(html.indexOf(line)).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
  });
});

describe('noteHasMarker', () => {
  const id = SAMPLE_HANDOFF_ID;
  const html = renderIntercomNote(sampleReport(), id);

  it('finds the marker in the note as rendered and as Intercom may re-encode it', () => {
    expect(noteHasMarker(html, id)).toBe(true);
    // Re-wrapped, entity-encoded, with a non-breaking space and a zero-width character.
    expect(noteHasMarker(`<div class="x"><p>Baton handoff&nbsp;·&nbsp;baton&#45;handoff&#x3a;${id}</p></div>`, id)).toBe(true);
    expect(noteHasMarker(`<p>baton-<span>handoff</span>:${id.slice(0, 5)}<b>${id.slice(5)}</b></p>`, id)).toBe(true);
    expect(noteHasMarker(`baton-handoff:\u200B${id}`, id)).toBe(true);
  });

  it('does not match another handoff, a longer id, or a body without the marker', () => {
    expect(noteHasMarker(html, 'ho_other')).toBe(false);
    expect(noteHasMarker(html, id.slice(0, -1))).toBe(false);
    expect(noteHasMarker('<p>just a note</p>', id)).toBe(false);
    expect(noteHasMarker('', id)).toBe(false);
    expect(noteHasMarker(html, '')).toBe(false);
    expect(noteHasMarker(undefined as unknown as string, id)).toBe(false);
  });

  it('matches an id with markup in it through the escaped text', () => {
    const odd = 'ho_<x>&"y';
    expect(noteHasMarker(renderIntercomNote(sampleReport(), odd), odd)).toBe(true);
  });
});
