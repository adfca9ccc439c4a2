import { describe, expect, it } from 'vitest';
import {
  CANVAS_CONTENT_LIMIT_BYTES,
  FEEDBACK_NO_ID,
  FEEDBACK_YES_ID,
  canvasContentBytes,
  renderBriefingCanvas,
  renderNoHandoffCanvas,
  type CanvasComponent,
  type CanvasResponse,
} from '../../../server/helpdesks/intercom/canvas.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { SAMPLE_HANDOFF_ID, mapStrings, sampleReport } from '../../fixtures/sample-report.ts';

const comps = (c: CanvasResponse): CanvasComponent[] => c.canvas.content.components;
const byId = (c: CanvasResponse, id: string) => comps(c).find((x) => x.id === id);
const texts = (c: CanvasResponse): string[] => comps(c).filter((x) => x.type === 'text').map((x) => x.text as string);
type Item = { id: string; title: string; subtitle?: string; tertiary_text?: string; action?: { type: string; url?: string } };
const lists = (c: CanvasResponse): Item[][] => comps(c).filter((x) => x.type === 'list').map((x) => x.items as Item[]);
const tables = (c: CanvasResponse): Array<Array<{ type: string; field: string; value: string }>> =>
  comps(c).filter((x) => x.type === 'data-table').map((x) => x.items as Array<{ type: string; field: string; value: string }>);

/** Documented Canvas Kit component types and their fields (see canvas.ts header). */
const FIELDS: Record<string, string[]> = {
  text: ['type', 'id', 'text', 'style', 'align', 'bottom_margin'],
  'data-table': ['type', 'items'],
  list: ['type', 'items', 'disabled'],
  textarea: ['type', 'id', 'label', 'placeholder', 'value', 'error', 'disabled'],
  button: ['type', 'id', 'label', 'style', 'action', 'disabled'],
  divider: ['type', 'id', 'bottom_margin'],
  spacer: ['type', 'id', 'size'],
};

function assertDocumented(c: CanvasResponse): void {
  const ids = new Set<string>();
  for (const x of comps(c)) {
    expect(Object.keys(FIELDS), x.type).toContain(x.type);
    for (const k of Object.keys(x)) expect(FIELDS[x.type], `${x.type}.${k}`).toContain(k);
    if (typeof x.id === 'string') {
      expect(ids.has(x.id), `duplicate id ${x.id}`).toBe(false);
      ids.add(x.id);
    }
    if (x.type === 'text') expect(['header', 'paragraph', 'muted', 'error']).toContain(x.style);
    if (x.type === 'list')
      for (const i of x.items as Array<Record<string, unknown>>) {
        expect(i.type).toBe('item');
        for (const k of Object.keys(i)) expect(['type', 'id', 'title', 'subtitle', 'tertiary_text', 'action', 'disabled']).toContain(k);
      }
    if (x.type === 'data-table') for (const i of x.items as Array<Record<string, unknown>>) expect(Object.keys(i).sort()).toEqual(['field', 'type', 'value']);
  }
}

describe('renderBriefingCanvas', () => {
  const card = renderBriefingCanvas(sampleReport(), { handoffId: SAMPLE_HANDOFF_ID });

  it('answers { canvas: { content: { components } } } with only documented components and fields', () => {
    expect(Object.keys(card)).toEqual(['canvas']);
    expect(Object.keys(card.canvas)).toEqual(['content']);
    assertDocumented(card);
  });

  it('shows the summary, sentiment and trend, why escalated with the customer’s words, what was tried, key facts and the opener', () => {
    expect(texts(card)).toEqual(expect.arrayContaining(['Summary', 'Sentiment', 'Why the bot handed over', 'What the bot already tried', 'Key facts', 'Suggested opener']));
    expect(byId(card, 'summary')?.text).toContain('Sarah says she already cancelled');
    const [sentiment, facts] = tables(card);
    expect(sentiment).toEqual(
      expect.arrayContaining([
        { type: 'field-value', field: 'Sentiment', value: 'negative (score -0.71)' },
        { type: 'field-value', field: 'trend', value: 'worsening' },
        { type: 'field-value', field: 'frustration', value: '82%' },
        { type: 'field-value', field: 'Trajectory', value: 'neutral → very negative' },
      ]),
    );
    const [why, tried] = lists(card);
    expect(why?.[0]).toEqual({ type: 'item', id: 'trigger_0', title: 'Customer asked for a human (customer_request)', subtitle: '“Let me talk to a person”' });
    expect(why).toHaveLength(4);
    expect(tried?.[0]).toMatchObject({ title: '✗ REJECTED · Article: Cancel an order', subtitle: 'customer: “I CALLED and cancelled last week”' });
    expect(facts?.[0]).toEqual({ type: 'field-value', field: 'Order', value: '#A-10293' });
    expect(byId(card, 'opener')).toMatchObject({ type: 'textarea', label: 'Copy this opener into your reply' });
    expect(String(byId(card, 'opener')?.value)).toMatch(/^Hi Sarah, I'm sorry/);
  });

  it('offers feedback buttons that submit, or a thank-you once recorded, or nothing when turned off', () => {
    for (const id of [FEEDBACK_YES_ID, FEEDBACK_NO_ID]) expect(byId(card, id)).toMatchObject({ type: 'button', action: { type: 'submit' } });
    const thanked = renderBriefingCanvas(sampleReport(), { handoffId: SAMPLE_HANDOFF_ID, feedbackRecorded: true });
    expect(byId(thanked, FEEDBACK_YES_ID)).toBeUndefined();
    expect(byId(thanked, 'feedback_thanks')?.text).toMatch(/^Thanks!/);
    expect(comps(renderBriefingCanvas(sampleReport(), { handoffId: SAMPLE_HANDOFF_ID, feedback: false })).some((x) => x.type === 'button')).toBe(false);
  });

  it('makes only an allow-listed article clickable (url action); other URLs stay inert text', () => {
    const r = sampleReport();
    r.attemptedSolutions.push({ kind: 'article', text: 'Refunds', url: 'https://help.example.com/refunds', linkAllowed: true, messageIndex: 1, outcome: 'accepted' });
    r.attemptedSolutions.push({ kind: 'link', text: 'x', url: 'javascript:alert(1)', linkAllowed: true, messageIndex: 1, outcome: 'ignored' });
    const c = renderBriefingCanvas(r, { handoffId: SAMPLE_HANDOFF_ID });
    const tried = lists(c)[1] as Item[];
    expect(tried.map((i) => i.action)).toEqual([undefined, { type: 'url', url: 'https://help.example.com/refunds' }, undefined]);
    expect(tried[1]?.tertiary_text).toBe('help.example.com');
    expect(tried[0]?.tertiary_text).toBe('https:\u200B//help.example.com/cancel');
    expect(JSON.stringify(c).replace(/"url":"https:\/\/help\.example\.com\/refunds"/, '')).not.toMatch(/[a-z]:\/\//i);
  });

  it('breaks Markdown links and bold in customer text, and neutralises placeholders', () => {
    const r = sampleReport();
    r.summary.text = 'Click [here](https://evil.example/x) **now** {{first_name}}';
    const c = renderBriefingCanvas(r, { handoffId: SAMPLE_HANDOFF_ID });
    const summary = String(byId(c, 'summary')?.text);
    expect(summary).not.toContain('](');
    expect(summary).not.toContain('**');
    expect(summary).not.toMatch(/\{\{/);
    expect(summary.replaceAll('\u200B', '')).toBe('Click [here](https://evil.example/x) **now** {{first_name}}');
  });

  it('is deterministic and does not mutate the report', () => {
    const r = sampleReport();
    const copy = structuredClone(r);
    expect(JSON.stringify(renderBriefingCanvas(r, { handoffId: SAMPLE_HANDOFF_ID }))).toBe(JSON.stringify(card));
    expect(r).toEqual(copy);
  });

  it('speaks the requested locale', () => {
    const c = renderBriefingCanvas(sampleReport(), { handoffId: SAMPLE_HANDOFF_ID, locale: 'fr' });
    expect(texts(c)).toContain('Pourquoi le bot a transféré');
    expect(byId(c, FEEDBACK_YES_ID)?.label).toBe('Oui, exact');
  });
});

describe('renderBriefingCanvas size (Intercom rejects content over 64 KB)', () => {
  function huge(): HandoffReport {
    const r = sampleReport();
    r.transcript = Array.from({ length: 2000 }, (_, i) => ({ role: i % 2 ? 'bot' : 'customer', text: `message ${i} ${'x'.repeat(500)}` }) as const);
    r.sentiment.trajectory = Array.from({ length: 1000 }, (_, i) => ({ messageIndex: i * 2, label: 'negative', score: -0.9 }) as const);
    r.sentiment.signals = Array.from({ length: 300 }, (_, i) => ({ id: 'urgency', messageIndex: i, excerpt: 'NOW!!! '.repeat(50) }) as const);
    r.keyFacts = Array.from({ length: 400 }, (_, i) => ({ kind: 'order_id', value: `#${i} ${'9'.repeat(300)}`, messageIndex: i }) as const);
    r.attemptedSolutions = Array.from({ length: 200 }, (_, i) => ({ kind: 'article', text: `Article ${i} ${'t'.repeat(400)}`, url: `https://help.example.com/${'p'.repeat(900)}`, messageIndex: i, outcome: 'rejected', reaction: { messageIndex: i, excerpt: 'no '.repeat(300) } }) as const);
    r.triggers = Array.from({ length: 100 }, (_, i) => ({ id: 'negative_sentiment', detail: 'd'.repeat(1000), evidence: { messageIndex: i, excerpt: 'e'.repeat(2000) } }) as const);
    r.summary.text = 's'.repeat(50_000);
    r.opener.text = 'o'.repeat(50_000);
    return r;
  }

  it('stays under the limit with a 2,000-message transcript and long lists, and says what was left out', () => {
    const c = renderBriefingCanvas(huge(), { handoffId: SAMPLE_HANDOFF_ID });
    expect(canvasContentBytes(c)).toBeLessThan(CANVAS_CONTENT_LIMIT_BYTES);
    expect(JSON.stringify(c)).not.toContain('message 1999');
    expect(texts(c).filter((t) => /more left out to keep the card short/.test(t)).length).toBeGreaterThanOrEqual(3);
    expect(String(byId(c, 'summary')?.text).endsWith('…')).toBe(true);
    assertDocumented(c);
  });

  it('stays under the limit with hostile text that expands when escaped (quotes, backslashes, controls, lone surrogates, emoji, braces)', () => {
    const nasty = '"\\\u0001\uD800{{[x](y)**😀'.repeat(300);
    const r = mapStrings(huge(), (s, path) => (path === 'transcript' || path.startsWith('transcript[') ? s : `${s}${nasty}`));
    const c = renderBriefingCanvas(r, { handoffId: SAMPLE_HANDOFF_ID });
    expect(canvasContentBytes(c)).toBeLessThan(CANVAS_CONTENT_LIMIT_BYTES);
    expect(JSON.stringify(c)).not.toMatch(/\\u0001/);
    assertDocumented(c);
    // Still a briefing, not an empty card.
    expect(texts(c)).toEqual(expect.arrayContaining(['Summary', 'Why the bot handed over', 'Suggested opener']));
  });

  it('cuts at the same places every time', () => {
    expect(JSON.stringify(renderBriefingCanvas(huge(), { handoffId: 'a' }))).toBe(JSON.stringify(renderBriefingCanvas(huge(), { handoffId: 'a' })));
  });

  it('never splits a surrogate pair when cutting', () => {
    const r = sampleReport();
    r.summary.text = '😀'.repeat(5000);
    const text = String(byId(renderBriefingCanvas(r, { handoffId: 'a' }), 'summary')?.text);
    expect(text.endsWith('…')).toBe(true);
    expect(text.slice(0, -1)).toMatch(/^(?:\uD83D\uDE00)+$/);
  });
});

describe('renderNoHandoffCanvas', () => {
  it('is a friendly card, localised, with documented components only', () => {
    const c = renderNoHandoffCanvas();
    assertDocumented(c);
    expect(texts(c)).toEqual(['No bot handoff for this conversation', "Baton briefs conversations that a bot handed over. This one didn't come through Baton."]);
    expect(texts(renderNoHandoffCanvas({ locale: 'de' }))[0]).toBe('Keine Bot-Übergabe für diese Unterhaltung');
  });
});
