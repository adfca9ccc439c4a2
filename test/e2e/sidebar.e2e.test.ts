/**
 * End-to-end: real headless Chromium (Debian's chromium via playwright-core) → /preview (the ZAF host
 * look-alike) → the REAL built sidebar in its iframe → the request proxy → the running Baton server →
 * SQLite. No timed assertions: every wait is for a condition.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import { sampleReport, SAMPLE_TICKET_ID } from '../../app/src/demo/sample-report.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { openPreview, settledPhase, startHarness, type Harness } from './harness.ts';
import { seedHandoff } from './seed.ts';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const TENANT = 'demo';
const FEEDBACK_TICKET = 35437;
const KEYBOARD_TICKET = 35438;

let h: Harness;

describe.skipIf(!hasChromium())('sidebar in Chromium through /preview', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    h = await startHarness();
    await seedHandoff(h.baton.store, TENANT, SAMPLE_TICKET_ID, sampleReport());
    await seedHandoff(h.baton.store, TENANT, FEEDBACK_TICKET, sampleReport());
    await seedHandoff(h.baton.store, TENANT, KEYBOARD_TICKET, sampleReport());
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const url = () => h.baton.url;

  it('renders the briefing from the stored report, with exactly one request per ticket open', async () => {
    const { page, frame, proxyCalls, requests, errors } = await openPreview(h.browser, url(), { ticket: SAMPLE_TICKET_ID });
    expect(await settledPhase(frame)).toBe('ready');
    const r = sampleReport();
    expect(await frame.textContent('[data-testid=summary]')).toBe(r.summary.text);
    expect(await frame.textContent('[data-testid=primary-trigger]')).toBe('Customer asked for a person');
    expect(await frame.textContent('[data-testid=trigger-evidence]')).toContain('I want to talk to a real person!!!');
    expect(await frame.textContent('[data-testid=sentiment-label]')).toBe('Negative');
    expect(await frame.getAttribute('[data-testid=sentiment-sparkline]', 'aria-label')).toMatch(/4 customer messages/);
    // Rejected solutions are marked, links open safely in a new tab.
    expect(await frame.locator('[data-outcome=rejected]').count()).toBe(2);
    const link = frame.locator('a[href="https://help.example.com/hc/articles/360001234"]');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await frame.textContent('[data-testid=tier]')).toBe('gold');
    // The transcript starts collapsed.
    const transcriptButton = frame.getByRole('button', { name: /Bot conversation \(7 messages\)/ });
    expect(await transcriptButton.getAttribute('aria-expanded')).toBe('false');

    // Zendesk sends app.activated again whenever the agent comes back to the tab: no new request.
    const reactivated = frame.evaluate(
      () =>
        new Promise<void>((resolve) => {
          window.addEventListener('message', (e) => {
            if (typeof e.data === 'string' && e.data.includes('zaf.app.activated') && e.data.includes('"firstLoad":false')) setTimeout(resolve, 0);
          });
        }),
    );
    await page.click('button[data-event=reactivate]');
    await reactivated;
    const hostRequests = await page.evaluate(() => (window as unknown as { __zafHost: { requests: Array<{ url: string }> } }).__zafHost.requests);
    expect(hostRequests.map((x) => x.url)).toEqual([`${url()}/v1/tickets/${SAMPLE_TICKET_ID}/handoff`]);
    expect(proxyCalls).toHaveLength(1);
    // The bundle has no window hook (kept out of production): the SDK in use shows in what was downloaded.
    expect(requests.some((u) => /\/bundled-sdk-[^/]*\.js$/.test(u))).toBe(true);
    expect(requests.some((u) => u.startsWith('https://static.zdassets.com/'))).toBe(false);
    expect(errors).toEqual([]);

    // The iframe was resized to its content.
    const contentHeight = await frame.evaluate(() => Math.ceil(document.querySelector('main')!.getBoundingClientRect().height));
    await page.waitForFunction((h) => (document.getElementById('app-frame') as HTMLIFrameElement).style.height === `${h}px`, contentHeight);
    await page.close();
  });

  it('Insert puts the opener into the reply editor; edit-before-insert inserts the edited text', async () => {
    const { page, frame } = await openPreview(h.browser, url(), { ticket: SAMPLE_TICKET_ID });
    await settledPhase(frame);
    await frame.getByRole('button', { name: 'Insert into reply' }).click();
    await page.waitForFunction(() => (document.getElementById('reply-editor') as HTMLTextAreaElement).value.length > 0);
    expect(await page.inputValue('#reply-editor')).toBe(sampleReport().opener.text);
    await frame.getByText('Inserted into the reply.').waitFor();

    await page.fill('#reply-editor', '');
    await frame.getByRole('button', { name: 'Edit before inserting' }).click();
    const editor = frame.getByLabel('Opener text');
    await editor.fill('Hi Maya, thanks for your patience.');
    await frame.getByRole('button', { name: 'Insert edited text' }).click();
    await page.waitForFunction(() => (document.getElementById('reply-editor') as HTMLTextAreaElement).value.length > 0);
    expect(await page.inputValue('#reply-editor')).toBe('Hi Maya, thanks for your patience.');
    await page.close();
  });

  it('feedback reaches the server and is stored', async () => {
    const { page, frame } = await openPreview(h.browser, url(), { ticket: FEEDBACK_TICKET });
    await settledPhase(frame);
    await frame.getByRole('button', { name: 'No, not accurate' }).click();
    await frame.getByLabel('What was wrong? (optional)').fill('Wrong order number');
    await frame.getByRole('button', { name: 'Send feedback' }).click();
    await frame.waitForSelector('[data-testid=feedback-thanks]');
    const stored = await h.baton.store.listFeedback(TENANT, { helpdesk: 'zendesk', id: String(FEEDBACK_TICKET) });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ accurate: false, comment: 'Wrong order number', agentId: '4242' });
    await page.close();
  });

  it.each([
    ['a wrong shared secret', { secret: 'bad', ticket: SAMPLE_TICKET_ID }, 'unauthorized', "Baton couldn't verify this account"],
    ['a ticket without handoff', { ticket: 999_999 }, 'no_handoff', 'No bot handoff for this ticket'],
    ['an unreachable server', { server: 'down', ticket: SAMPLE_TICKET_ID }, 'unreachable', "Can't reach the Baton server"],
  ] as const)('shows its state for %s', async (_name, query, phase, title) => {
    const { page, frame } = await openPreview(h.browser, url(), query);
    expect(await settledPhase(frame)).toBe(phase);
    expect(await frame.textContent(`[data-testid=state-${phase}]`)).toContain(title);
    await page.close();
  });

  async function axeViolations(frame: Frame) {
    // Evaluated through the DevTools protocol: an inline <script> tag is (rightly) blocked by Baton's CSP.
    await frame.evaluate(readFileSync(AXE_PATH, 'utf8'));
    return frame.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
      const res = await axe.run(document, { resultTypes: ['violations'] });
      return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
  }

  it.each(['light', 'dark'] as const)('axe-core finds no serious or critical violations (%s, transcript open)', async (theme) => {
    const { page, frame } = await openPreview(h.browser, url(), { ticket: SAMPLE_TICKET_ID, theme });
    await settledPhase(frame);
    expect(await frame.getAttribute('main', 'data-color-scheme')).toBe(theme);
    await frame.getByRole('button', { name: /Bot conversation/ }).click();
    const bad = (await axeViolations(frame)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad).toEqual([]);
    await page.close();
  });

  it('axe-core finds no serious or critical violations in the error states', async () => {
    const { page, frame } = await openPreview(h.browser, url(), { server: 'down' });
    await settledPhase(frame);
    const bad = (await axeViolations(frame)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad).toEqual([]);
    await page.close();
  });

  it('everything is reachable and usable by keyboard', async () => {
    const { page, frame } = await openPreview(h.browser, url(), { ticket: KEYBOARD_TICKET });
    await settledPhase(frame);
    // Focus the first control in the app, then walk with Tab.
    await frame.focus('main a, main button');
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      const d = await frame.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return '';
        return `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`;
      });
      if (d && !seen.includes(d)) seen.push(d);
      await page.keyboard.press('Tab');
    }
    const expected = [
      'a:Refund policy: how long refunds take (opens in a new tab)',
      'button:Copy A-10482',
      'button:Copy $129.00',
      'button:Insert into reply',
      'button:Edit before inserting',
      'button:Bot conversation (7 messages)',
      'button:Yes, accurate',
      'button:No, not accurate',
    ];
    for (const e of expected) expect(seen).toContain(e);

    // Operate with the keyboard: expand the transcript, insert the opener, send positive feedback.
    await frame.focus('button[aria-expanded]');
    await page.keyboard.press('Enter');
    await frame.waitForSelector('button[aria-expanded=true]');
    await frame.getByRole('button', { name: 'Insert into reply' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.getElementById('reply-editor') as HTMLTextAreaElement).value.length > 0);
    await frame.getByRole('button', { name: 'Yes, accurate' }).focus();
    await page.keyboard.press('Space');
    await frame.waitForSelector('[data-testid=feedback-thanks]');
    expect((await h.baton.store.listFeedback(TENANT, { helpdesk: 'zendesk', id: String(KEYBOARD_TICKET) })).map((f) => f.accurate)).toEqual([true]);
    await page.close();
  });

  it('follows the workspace colour scheme, also when it changes, and the agent locale', async () => {
    const { page, frame } = await openPreview(h.browser, url(), { ticket: SAMPLE_TICKET_ID, theme: 'dark', locale: 'ja' });
    await settledPhase(frame);
    expect(await frame.getAttribute('main', 'data-color-scheme')).toBe('dark');
    const ja = JSON.parse(readFileSync(new URL('../../translations/ja.json', import.meta.url), 'utf8')) as { sidebar: { title: string } };
    expect(await frame.getAttribute('main', 'lang')).toBe('ja');
    expect(await frame.textContent('#baton-title')).toBe(ja.sidebar.title);
    await page.click('button[data-event=colorScheme]');
    await frame.waitForSelector('main[data-color-scheme=light]');
    await page.close();
  });
});
