/**
 * What a customer or a bot can put into the note: links (issue 7, item 8), Zendesk placeholders (item 8) and
 * how long conversations are cut (item 3).
 */
import { describe, expect, it } from 'vitest';
import { renderNoteHtml, renderNotePlain } from '../../../server/helpdesks/zendesk/render-note.ts';
import { neutralizePlaceholders } from '../../../server/briefing/placeholders.ts';
import type { AttemptedSolution, HandoffReport } from '../../../server/types/handoff-report.ts';
import { SAMPLE_HANDOFF_ID, sampleReport } from '../../fixtures/sample-report.ts';

const hrefs = (html: string): string[] => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1] as string);
/** The visible text of each <a>. */
const anchorTexts = (html: string): string[] => [...html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1] as string);

function withSolutions(solutions: AttemptedSolution[]): HandoffReport {
  const r = sampleReport();
  r.attemptedSolutions = solutions;
  return r;
}

const solution = (s: Partial<AttemptedSolution>): AttemptedSolution => ({ kind: 'article', text: 'Article', messageIndex: 1, outcome: 'ignored', ...s });

describe('links in the note', () => {
  it('shows a URL the customer typed (a key fact) as text, never as a link', () => {
    const r = sampleReport();
    r.keyFacts.push({ kind: 'url', value: 'https://evil.example/login', messageIndex: 0 });
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(html).toContain('<li><strong>URL:</strong> https:\u200B//evil.example/login</li>');
    expect(hrefs(html).some((h) => h.includes('evil.example'))).toBe(false);
  });

  it('shows the page URL the chat widget reported as text', () => {
    const r = sampleReport();
    r.context.pageUrl = 'https://evil.example/page';
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(html).toContain('<li><strong>Page:</strong> https:\u200B//evil.example/page</li>');
    expect(hrefs(html)).toEqual([]);
  });

  it('links an allow-listed article live, with its title and its host beside it', () => {
    const html = renderNoteHtml(withSolutions([solution({ text: 'Cancel an order', url: 'https://help.example.com/cancel', linkAllowed: true })]), SAMPLE_HANDOFF_ID);
    expect(html).toContain(
      'Article: <a href="https://help.example.com/cancel" rel="noopener noreferrer" target="_blank">Cancel an order</a> <small>(help.example.com)</small>',
    );
  });

  it('shows an article whose host is not on the allow-list as its title and URL in text', () => {
    const html = renderNoteHtml(withSolutions([solution({ text: 'Reset your password', url: 'https://help-example.evil.test/reset' })]), SAMPLE_HANDOFF_ID);
    expect(html).toContain('Article: Reset your password (https:\u200B//help-example.evil.test/reset)');
    expect(hrefs(html)).toEqual([]);
  });

  it('never lets link text differ from the target: a mismatching title shows the real host next to it', () => {
    const r = withSolutions([
      solution({ text: 'https://help.example.com/refunds', url: 'https://evil.example/refunds' }),
      solution({ text: 'https://help.example.com/refunds', url: 'https://help.example.com/other', linkAllowed: true }),
      solution({ kind: 'link', text: 'https://help.example.com/x', url: 'https://help.example.com/x', linkAllowed: true }),
    ]);
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    // Not listed: text only, the real URL visible.
    expect(html).toContain('https:\u200B//help.example.com/refunds (https:\u200B//evil.example/refunds)');
    expect(hrefs(html)).not.toContain('https://evil.example/refunds');
    // Listed: each anchor's text is either its own URL or a title followed by the real host.
    expect(hrefs(html)).toEqual(['https://help.example.com/other', 'https://help.example.com/x']);
    expect(anchorTexts(html)).toEqual(['https://help.example.com/refunds', 'https://help.example.com/x']);
    expect(html).toContain('>https://help.example.com/refunds</a> <small>(help.example.com)</small>');
  });

  it('never makes a live link of a non-http URL even when flagged allowed', () => {
    const html = renderNoteHtml(withSolutions([solution({ text: 'x', url: 'javascript:alert(1)', linkAllowed: true })]), SAMPLE_HANDOFF_ID);
    expect(hrefs(html)).toEqual([]);
  });
});

describe('Zendesk placeholders from customer or bot text', () => {
  const planted = 'Send it to {{ticket.requester.email}} {% if ticket.status == "open" %}now{% endif %} {{{current_user.email}}}';

  it('are neutralised everywhere in the note, in HTML and in plain text', () => {
    const r = sampleReport();
    r.transcript[0] = { role: 'customer', text: planted };
    r.summary.text = planted;
    r.context.customerName = '{{current_user.name}}';
    r.opener.text = `Hi {{current_user.name}}`;
    r.keyFacts.push({ kind: 'other', value: '{%raw%}', messageIndex: 0 });
    r.attemptedSolutions = [solution({ text: '{{ticket.id}}', url: 'https://help.example.com/a?q={{ticket.id}}', linkAllowed: true })];
    for (const out of [renderNoteHtml(r, SAMPLE_HANDOFF_ID), renderNotePlain(r, SAMPLE_HANDOFF_ID)]) {
      expect(out).not.toMatch(/\{\{|\{%/);
      expect(out).toContain('{\u200B{ticket.requester.email}}');
      expect(out).toContain('{\u200B% if ticket.status');
    }
    // In an href the braces are percent-encoded: the same address, nothing for Zendesk to evaluate.
    expect(hrefs(renderNoteHtml(r, SAMPLE_HANDOFF_ID))).toEqual(['https://help.example.com/a?q=%7B%7Bticket.id%7D%7D']);
  });

  it('neutralizePlaceholders reads the same and leaves other braces alone', () => {
    expect(neutralizePlaceholders('{a} {{b}} {%c%} {{{d')).toBe('{a} {\u200B{b}} {\u200B%c%} {\u200B{\u200B{d');
    expect(neutralizePlaceholders('no braces')).toBe('no braces');
  });
});

describe('what was cut from a long conversation', () => {
  it('says how many messages and characters were cut, near the top', () => {
    const r = sampleReport();
    r.cuts = { messagesTruncated: 24, charactersCut: 192_000, messagesDropped: 1_501 };
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    const line = '<p><strong>Long conversation:</strong> 1,501 messages and 192,000 characters were cut; the first 50 and last 450 messages are shown.</p>';
    expect(html).toContain(line);
    expect(html.indexOf(line)).toBeLessThan(html.indexOf('<h3>Summary</h3>'));
    expect(renderNotePlain(r, SAMPLE_HANDOFF_ID)).toContain('Long conversation: 1,501 messages and 192,000 characters were cut; the first 50 and last 450 messages are shown.');
  });

  it('says when only one long message was shortened', () => {
    const r = sampleReport();
    r.cuts = { messagesTruncated: 1, charactersCut: 196_000, messagesDropped: 0 };
    expect(renderNoteHtml(r, SAMPLE_HANDOFF_ID)).toContain(
      '<strong>Long conversation:</strong> 196,000 characters were cut; the beginning and end of the long message are shown.',
    );
  });

  it('says when the analysis ran in a reduced form', () => {
    const r = sampleReport();
    r.cuts = { messagesTruncated: 0, charactersCut: 0, messagesDropped: 0, degraded: { reason: 'time_budget', skipped: [] } };
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    expect(html).toContain('<p><strong>Analysed in a reduced form:</strong> the conversation was too long to analyse in full in time.</p>');
    expect(html).not.toContain('Long conversation');
  });

  it('says nothing when nothing was cut', () => {
    const html = renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID);
    expect(html).not.toMatch(/Long conversation|reduced form/);
  });
});

describe('URLs Zendesk would auto-link', () => {
  it('breaks the scheme and a leading www of every URL shown as text, so Zendesk does not make it live', () => {
    const r = sampleReport();
    r.transcript.push({ role: 'customer', text: 'log in at https://evil.example/login or www.evil.example or ftp://files.evil.example' });
    r.context.pageUrl = 'http://evil.example/page';
    const html = renderNoteHtml(r, SAMPLE_HANDOFF_ID);
    // Outside href attributes no scheme is followed directly by `//`, and no `www.` is left intact.
    const text = html.replace(/href="[^"]*"/g, '');
    expect(text).not.toMatch(/[a-z]:\/\//i);
    expect(text).not.toMatch(/\bwww\./i);
    expect(text.replaceAll('\u200B', '')).toContain('log in at https://evil.example/login or www.evil.example or ftp://files.evil.example');
  });

  it('keeps the href of an allow-listed article intact', () => {
    const html = renderNoteHtml(withSolutions([solution({ text: 'Cancel', url: 'https://help.example.com/cancel', linkAllowed: true })]), SAMPLE_HANDOFF_ID);
    expect(hrefs(html)).toEqual(['https://help.example.com/cancel']);
  });
});
