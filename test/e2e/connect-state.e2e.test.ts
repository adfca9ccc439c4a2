/**
 * The app's Connect state in Chromium through /preview (issue 13): opened in a Zendesk account Baton does not
 * know (`/preview?connect=admin|agent`, a fresh install calling through the request proxy), the sidebar asks Baton
 * (GET /v1/zendesk/connection) and shows an admin the "Connect Baton" button with the sandbox Connect URL, an agent
 * "Ask your Zendesk admin". The known demo account still shows its briefing states, not the Connect state. The
 * button's URL really starts the flow (302 to the sandbox consent page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/chromium.ts';
import { openPreview, settledPhase, startHarness, type Harness } from './harness.ts';
import { PREVIEW_UNCONNECTED_SUBDOMAIN } from '../../app/preview/preview-routes.ts';

describe.skipIf(!hasChromium())('Connect state in Chromium through /preview', { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('an admin of an unconnected account sees "Connect Baton", pointing at the Connect flow', async () => {
    const { page, frame, errors, proxyCalls } = await openPreview(h.browser, h.baton.url, { connect: 'admin', ticket: 35436 });
    expect(await settledPhase(frame)).toBe('not_connected');
    const well = await frame.waitForSelector('[data-testid="state-not_connected"]');
    expect(await well.getAttribute('data-reason')).toBe('not_connected');
    expect(await well.getAttribute('role')).toBe('status');
    const button = await frame.waitForSelector('[data-testid="connect-button"]');
    expect((await button.textContent())?.trim()).toBe('Connect Baton');
    const href = (await button.getAttribute('data-href')) as string;
    expect(href).toBe(`${h.baton.url}/connect/zendesk?subdomain=${PREVIEW_UNCONNECTED_SUBDOMAIN}`);
    expect(proxyCalls.some((c) => c.includes('/v1/zendesk/connection'))).toBe(true);
    // Keyboard reachable, and the URL really starts the flow: a 302 to the sandbox's consent page.
    await button.focus();
    expect(await frame.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('connect-button');
    const start = await fetch(href, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(new URL(start.headers.get('location') as string).pathname).toBe('/sandbox/zendesk/oauth/authorizations/new');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an agent of an unconnected account is asked to get their admin, with no button', async () => {
    const { page, frame } = await openPreview(h.browser, h.baton.url, { connect: 'agent', ticket: 35436 });
    expect(await settledPhase(frame)).toBe('not_connected');
    const text = await (await frame.waitForSelector('[data-testid="connect-ask-admin"]')).textContent();
    expect(text).toContain('Ask your Zendesk admin to connect Baton');
    expect(await frame.$('[data-testid="connect-button"]')).toBeNull();
    await page.close();
  });

  it('the connected demo account is not shown the Connect state', async () => {
    const { page, frame } = await openPreview(h.browser, h.baton.url, { ticket: 999999 });
    expect(await settledPhase(frame)).toBe('no_handoff');
    await page.close();
  });
});
