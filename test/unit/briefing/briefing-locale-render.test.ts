/**
 * A tenant's briefing locale end to end: analyze() writes the text in it and records it, and the Zendesk
 * note, the Intercom note and the Intercom card (rendered as the writers and the card route call them, with
 * no locale of their own) put the same language's headings around it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { analyze } from '../../../server/analysis/index.ts';
import { BRIEFING_LOCALES, type BriefingLocale } from '../../../server/analysis/report-text.ts';
import { wordingFor } from '../../../server/briefing/briefing-locale.ts';
import { escapeHtml } from '../../../server/briefing/escape-html.ts';
import { renderNoteHtml, renderNotePlain } from '../../../server/helpdesks/zendesk/render-note.ts';
import { renderIntercomNote } from '../../../server/helpdesks/intercom/render-note.ts';
import { renderBriefingCanvas, type CanvasResponse } from '../../../server/helpdesks/intercom/canvas.ts';
import { intercomCanvasRouter } from '../../../server/helpdesks/intercom/canvas-routes.ts';
import { signCanvasBody } from '../../../server/helpdesks/intercom/canvas-signature.ts';
import { errorHandler } from '../../../server/http/errors.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { listen } from '../../helpers/listen.ts';
import { eventOf } from '../analysis/helpers.ts';

const c = (text: string): HandoffMessage => ({ role: 'customer', text });
const EVENT = eventOf(
  [
    c('I was charged twice for my subscription this month and I need it fixed urgently.'),
    { role: 'bot', text: 'This article may help.', bot: { articles: [{ title: 'Understanding your bill', url: 'https://help.example.com/bill' }] } },
    c('That did not help. Let me talk to a human please.'),
  ],
  { customer: { name: 'Sarah Miller' } },
);
const ID = 'ho_locale_1';

function reportIn(locale: BriefingLocale): HandoffReport {
  return analyze(EVENT, { briefingLocale: locale });
}

describe('a report in the tenant’s briefing locale renders in it everywhere', () => {
  for (const locale of BRIEFING_LOCALES) {
    it(`${locale}: Zendesk note, Intercom note and card`, () => {
      const report = reportIn(locale);
      const w = wordingFor(locale).wording;
      const firstStep = report.nextSteps[0]!;
      // Zendesk note (ZendeskWriter calls renderNoteHtml(report, handoffId)).
      const html = renderNoteHtml(report, ID);
      expect(html).toContain(escapeHtml(w.summary));
      expect(html).toContain(escapeHtml(w.nextSteps));
      expect(html).toContain(escapeHtml(firstStep));
      expect(renderNotePlain(report, ID)).toContain(firstStep);
      // Intercom note (IntercomWriter calls renderIntercomNote(report, handoffId)).
      const note = renderIntercomNote(report, ID);
      expect(note).toContain(escapeHtml(w.summary));
      expect(note).toContain(escapeHtml(firstStep));
      // The inbox card.
      const card = JSON.stringify(renderBriefingCanvas(report, { handoffId: ID }));
      expect(card).toContain(JSON.stringify(w.summary).slice(1, -1));
      if (locale !== 'en') {
        const en = wordingFor('en').wording;
        expect(html).not.toContain(`>${en.summary}<`);
        expect(html).not.toContain(`>${en.nextSteps}<`);
      }
    });
  }

  it('an explicit locale still wins (e.g. an agent’s own), and a report from before briefingLocale reads English', () => {
    const ja = reportIn('ja');
    expect(renderNoteHtml(ja, ID, { locale: 'fr' })).toContain(escapeHtml(wordingFor('fr').wording.summary));
    const old: HandoffReport = { ...reportIn('en') };
    delete old.briefingLocale;
    expect(renderNoteHtml(old, ID)).toBe(renderNoteHtml(reportIn('en'), ID));
    expect(renderNoteHtml(old, ID)).toContain(`${wordingFor('en').wording.summary}`);
  });

  it('the note for a ja briefing is Japanese around the customer’s English words', () => {
    const html = renderNoteHtml(reportIn('ja'), ID);
    expect(html).toContain('要約');
    expect(html).toContain('次のステップ');
    expect(html).toContain('最優先で返信してください。');
    expect(html).toContain('I was charged twice for my subscription');
  });
});

describe('the card route: the report’s locale for its card, the tenant’s where there is no report', () => {
  const SECRET = 'ic_secret_locale';
  const CONV = '9001';
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use(
      intercomCanvasRouter({
        tenantSecret: (t) => (t === 'acme' ? SECRET : undefined),
        findReport: (_t, conv) => (conv === CONV ? { handoffId: ID, report: reportIn('ja') } : undefined),
        locale: () => 'de',
        logger: pino({ level: 'silent' }),
        maxBodyBytes: 16 * 1024,
      }),
    );
    app.use(errorHandler(pino({ level: 'silent' })));
    ({ server, base } = await listen(app));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function initialize(conversationId: string): Promise<string> {
    const body = JSON.stringify({ context: { location: 'conversation', conversation_id: conversationId }, conversation: { id: conversationId } });
    const res = await fetch(`${base}/v1/tenants/acme/intercom/canvas/initialize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-body-signature': signCanvasBody(body, SECRET) },
      body,
    });
    expect(res.status).toBe(200);
    return JSON.stringify((await res.json()) as CanvasResponse);
  }

  it('a ja report gets ja headings although the tenant now says de', async () => {
    const card = await initialize(CONV);
    expect(card).toContain('要約');
    expect(card).not.toContain(wordingFor('de').wording.summary);
  });

  it('a conversation without a handoff gets the tenant’s locale', async () => {
    const card = await initialize('404404');
    expect(card).toContain(JSON.stringify(wordingFor('de').wording.card.noHandoffTitle).slice(1, -1));
  });
});

describe('the topic row', () => {
  it('names a default topic in the briefing’s words; English and custom topics keep the humanised id', async () => {
    const { buildBriefing } = await import('../../../server/briefing/build-briefing.ts');
    const row = (r: HandoffReport, locale?: string) => buildBriefing(r, ID, locale ? { locale } : {}).customer.rows.find((x) => x.key === 'topic')!.text;
    const report = reportIn('en');
    expect(report.topic.id).toBe('billing_dispute');
    expect(row(report)).toMatch(/^Billing dispute \(/);
    expect(row(report, 'de')).toMatch(/^Strittige Abbuchung \(/);
    expect(row(report, 'ja')).toMatch(/^請求への異議 \(/);
    expect(row({ ...report, topic: { id: 'warranty_claim', confidence: 0.5 } }, 'es')).toMatch(/^Warranty claim \(/);
  });
});
