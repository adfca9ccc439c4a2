import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_NOTE_CHARS,
  handoffMarker,
  renderNoteHtml,
  renderNotePlain,
  trajectoryText,
} from '../../../server/helpdesks/zendesk/render-note.ts';
import { escapeHtml } from '../../../server/briefing/escape-html.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { SAMPLE_HANDOFF_ID, mapStrings, sampleReport } from '../../fixtures/sample-report.ts';

const ALLOWED_TAGS = new Set(['h3', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'hr', 'small', 'br']);

/** Every `<` in the note must open or close an allowed tag; only <a> has attributes, and only safe ones. */
function assertOnlySafeMarkup(html: string): void {
  const tagRe = /<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/g;
  let tags = 0;
  for (const m of html.matchAll(tagRe)) {
    tags++;
    const name = (m[2] as string).toLowerCase();
    expect(ALLOWED_TAGS.has(name), `tag <${name}>`).toBe(true);
    const attrs = [...(m[3] as string).matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1] as string, a[2] as string] as const);
    if (name !== 'a') {
      expect(attrs, `attributes on <${name}>`).toEqual([]);
      continue;
    }
    for (const [k, v] of attrs) {
      expect(['href', 'rel', 'target']).toContain(k);
      if (k === 'href') expect(v).toMatch(/^https?:\/\//);
    }
  }
  expect((html.match(/</g) ?? []).length).toBe(tags);
  expect(html).not.toMatch(/<script|<img|<details|<[^>]*\son[a-z]+=|href="javascript:/i);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('renderNoteHtml', () => {
  const html = renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID);

  it('contains every section an agent needs, in order, with the transcript last', () => {
    const order = [
      'Baton handoff briefing',
      'Summary',
      'Why the bot handed over',
      'Sentiment',
      'What the bot already tried',
      'Key facts',
      'Customer',
      'Priority',
      'Suggested opener',
      'Next steps',
      'Transcript',
    ].map((heading) => html.indexOf(`<h3>${heading}</h3>`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html.lastIndexOf('Let me talk to a person')).toBeGreaterThan(html.indexOf('<h3>Transcript</h3>'));
  });

  it('shows the primary trigger with its evidence and lists the others', () => {
    expect(html).toContain('<strong>Customer asked for a human</strong> (customer_request) — <em>“Let me talk to a person”</em>');
    expect(html).toContain('<li><strong>VIP account</strong> (tier: premium)</li>');
    expect(html).toContain('<strong>Low bot confidence</strong>');
  });

  it('shows sentiment, trend and trajectory', () => {
    expect(html).toContain('<strong>negative</strong> (score -0.71, frustration 82%) · trend: <strong>worsening</strong>');
    expect(html).toContain('Trajectory: neutral → very negative');
  });

  it('marks rejected solutions clearly and shows an article whose host is not allow-listed as text', () => {
    expect(html).toContain('<li><strong>✗ REJECTED</strong> · Article: Cancel an order (https:\u200B//help.example.com/cancel)');
    expect(html).toContain('customer: <em>“I CALLED and cancelled last week”</em>');
  });

  it('shows customer context with the page URL as text, priority factors, opener and next steps', () => {
    expect(html).toContain('<li><strong>Tier:</strong> premium</li>');
    expect(html).toContain('<li><strong>Page:</strong> https:\u200B//app.example.com/settings/billing</li>');
    expect(html).not.toContain('<a href="https://app.example.com');
    expect(html).toContain('<li><strong>Bot:</strong> Halo</li>');
    expect(html).toContain('<li><strong>Channel:</strong> web_chat</li>');
    expect(html).toContain('<li><strong>Conversation started:</strong> 2026-11-20 10:32 UTC</li>');
    expect(html).toContain('<p><strong>High</strong> (72/100)</p>');
    expect(html).toContain('<li>+25 tier: premium customer</li>');
    expect(html).toMatch(/<blockquote>Hi Sarah, I&#39;m sorry you&#39;ve had to repeat yourself\..*<\/blockquote>/);
    expect(html).toContain('<ol>\n<li>Confirm the phone cancellation');
  });

  it('ends with the handoff marker, exactly as the writer searches for it', () => {
    expect(handoffMarker(SAMPLE_HANDOFF_ID)).toBe(`baton-handoff:${SAMPLE_HANDOFF_ID}`);
    expect(html).toContain(handoffMarker(SAMPLE_HANDOFF_ID));
    expect(html.trimEnd().endsWith(`${handoffMarker(SAMPLE_HANDOFF_ID)}</small></p>`)).toBe(true);
    expect(html.split(handoffMarker(SAMPLE_HANDOFF_ID)).length).toBe(2);
  });

  it('uses only markup Zendesk keeps in comments', () => {
    assertOnlySafeMarkup(html);
  });

  it('is deterministic: same input, same bytes, whatever the clock or time zone', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const later = renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID);
    vi.setSystemTime(new Date('1999-06-15T12:34:56Z'));
    expect(renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID)).toBe(later);
    expect(later).toBe(html);
  });

  it('does not mutate the report', () => {
    const r = sampleReport();
    const copy = structuredClone(r);
    renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(r).toEqual(copy);
  });
});

describe('renderNoteHtml escaping', () => {
  // Fields that the note does not show as text (internal ids; a safe solution URL is only the link's href,
  // percent-encoded by URL normalization, which assertOnlySafeMarkup checks).
  const NOT_RENDERED = [/^eventId$/, /^attemptedSolutions\[\d+\]\.url$/, /^opener\.(locale|tone)$/, /^topic\.runnerUp\./, /^sentiment\.signals\[\d+\]\.target$/, /^routing\.skills\[\d+\]$/];

  function hostile(): { report: HandoffReport; payloads: Map<string, string> } {
    const payloads = new Map<string, string>();
    let n = 0;
    const report = mapStrings(sampleReport(), (s, path) => {
      const payload = `<script>alert(${++n})</script>"'><img src=x onerror=alert(${n})>`;
      payloads.set(path, payload);
      return `${s}${payload}`;
    });
    return { report, payloads };
  }

  it('escapes <script> and quote injection in every rendered field', () => {
    const { report, payloads } = hostile();
    const html = renderNoteHtml(report, SAMPLE_HANDOFF_ID);
    assertOnlySafeMarkup(html);
    const missing: string[] = [];
    for (const [path, payload] of payloads) {
      if (NOT_RENDERED.some((re) => re.test(path))) continue;
      if (!html.includes(escapeHtml(payload))) missing.push(path);
    }
    expect(missing).toEqual([]);
  });

  it('escapes routing skills (joined into one value)', () => {
    const r = sampleReport();
    r.routing.skills = ['<b>x</b>', `"'`];
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;, &quot;&#39;');
    assertOnlySafeMarkup(html);
  });

  it('never links javascript:, data: or relative URLs', () => {
    const r = sampleReport();
    r.context.pageUrl = 'javascript:alert(document.cookie)';
    (r.attemptedSolutions[0] as { url?: string }).url = 'data:text/html,<script>alert(1)</script>';
    r.keyFacts.push({ kind: 'url', value: '//evil.example.com/x', messageIndex: 0 });
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('href="data');
    expect(html).not.toContain('href="//');
    expect(html).toContain('data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<li><strong>Page:</strong> javascript:alert(document.cookie)</li>');
  });

  it('escapes a handoff id with markup in it (the marker is then the escaped text)', () => {
    const html = renderNoteHtml(sampleReport(), 'ho_<x>');
    expect(html).toContain('baton-handoff:ho_&lt;x&gt;');
    assertOnlySafeMarkup(html);
  });

  it('keeps line breaks of multi-line messages as <br> without letting markup through', () => {
    const r = sampleReport();
    (r.transcript[0] as { text: string }).text = 'line one\n<b>line two</b>';
    expect(renderNoteHtml(r, SAMPLE_HANDOFF_ID)).toContain('line one<br>&lt;b&gt;line two&lt;/b&gt;');
  });
});

describe('renderNoteHtml edge cases', () => {
  it('says so when the bot tried nothing and drops empty sections', () => {
    const r = sampleReport();
    r.attemptedSolutions = [];
    r.keyFacts = [];
    r.nextSteps = [];
    r.triggers = [];
    r.sentiment.signals = [];
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(html).toContain('<p>The bot offered no solution.</p>');
    expect(html).not.toContain('<h3>Key facts</h3>');
    expect(html).not.toContain('<h3>Next steps</h3>');
    expect(html).toContain('<p><strong>Customer asked for a human</strong></p>');
  });

  it('mentions redactions when there were some', () => {
    const r = sampleReport();
    r.redactions = { total: 3, byKind: { password: 1, card_number: 2 } };
    expect(renderNoteHtml(r, SAMPLE_HANDOFF_ID)).toContain('Redacted before analysis: 3 (card number ×2, password ×1)');
  });

  it('shortens only the transcript, oldest lines first, to stay under the size cap', () => {
    const r = sampleReport();
    r.transcript = Array.from({ length: 2000 }, (_, i) => ({ role: i % 2 ? 'bot' : 'customer', text: `message ${i} ${'x'.repeat(150)}` }) as const);
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(html.length).toBeLessThanOrEqual(MAX_NOTE_CHARS);
    expect(html).toContain('message 1999 ');
    expect(html).not.toContain('message 0 ');
    expect(html).toMatch(/\d+ earlier messages omitted to fit the note/);
    expect(html).toContain('<h3>Suggested opener</h3>');
    expect(html).toContain(handoffMarker(SAMPLE_HANDOFF_ID));
  });

  it('labels unknown ids readably instead of failing', () => {
    const r = sampleReport() as unknown as { primaryTrigger: string; triggers: { id: string }[] };
    r.primaryTrigger = 'brand_new_trigger';
    r.triggers = [{ id: 'brand_new_trigger' }];
    expect(renderNoteHtml(r as unknown as HandoffReport, SAMPLE_HANDOFF_ID)).toContain('<strong>Brand new trigger</strong>');
  });
});

describe('renderNoteHtml locales', () => {
  it('renders the same sections in the locale asked for (default English), with the same marker', () => {
    const ja = renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID, { locale: 'ja' });
    expect(ja).toContain('<h3>要約</h3>');
    expect(ja).toContain('<strong>お客様が担当者を希望</strong>');
    expect(ja).toContain(handoffMarker(SAMPLE_HANDOFF_ID));
    assertOnlySafeMarkup(ja);
    expect(renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID, { locale: 'zz' })).toBe(renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID));
  });
});

describe('trajectoryText', () => {
  it('joins per-turn labels with arrows and flags strong negatives', () => {
    expect(
      trajectoryText([
        { messageIndex: 0, label: 'negative', score: -0.3 },
        { messageIndex: 2, label: 'negative', score: -0.4 },
        { messageIndex: 4, label: 'negative', score: -0.8 },
      ]),
    ).toBe('negative → negative → very negative');
  });
});

describe('renderNotePlain', () => {
  it('carries the same content as text, with the marker, and no HTML entities', () => {
    const text = renderNotePlain(sampleReport(), SAMPLE_HANDOFF_ID);
    expect(text).toContain('## Summary');
    expect(text).toContain('- [REJECTED] Article: Cancel an order <https://help.example.com/cancel>');
    expect(text).toContain("> Hi Sarah, I'm sorry");
    expect(text).toContain(handoffMarker(SAMPLE_HANDOFF_ID));
    expect(text).not.toContain('&#39;');
    expect(renderNotePlain(sampleReport(), SAMPLE_HANDOFF_ID)).toBe(text);
  });
});
