/**
 * End-to-end, signed-URL mode: real headless Chromium → /preview, which loads the sidebar the Zendesk way for
 * a `"signedUrls": true` location: a form POST into the app iframe of a `token` signed RS256 by the Zendesk
 * sandbox's app key, naming the preview's agent → Baton verifies it (fetching the key from the sandbox's
 * /api/v2/apps/{id}/public_key.pem), serves the REAL built sidebar with a Baton session → the app calls Baton
 * directly with that session (no request proxy) → the access check for the vouched agent → the briefing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleReport, SAMPLE_TICKET_ID } from '../../app/src/demo/sample-report.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { openPreview, settledPhase, startHarness, type Harness } from './harness.ts';
import { seedHandoff } from './seed.ts';

const FEEDBACK_TICKET = 35437;
let h: Harness;

describe.skipIf(!hasChromium())('signed-URL sidebar in Chromium through /preview', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    h = await startHarness();
    await seedHandoff(h.baton.store, 'demo', SAMPLE_TICKET_ID, sampleReport());
    await seedHandoff(h.baton.store, 'demo', FEEDBACK_TICKET, sampleReport());
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('loads the sidebar by a signed POST and shows the briefing, calling Baton with the session, not the proxy', async () => {
    const base = h.baton.url;
    const authHeaders: string[] = [];
    const posts: Array<{ url: string; body: string }> = [];
    const { page, frame, proxyCalls, errors } = await openPreview(h.browser, base, { ticket: SAMPLE_TICKET_ID, auth: 'signed' }, undefined, (p) => {
      p.on('request', (r) => {
        if (r.url().includes('/v1/tickets/')) authHeaders.push(r.headers().authorization ?? '');
        if (r.method() === 'POST' && r.url().includes('/zendesk/sidebar')) posts.push({ url: r.url(), body: r.postData() ?? '' });
      });
    });
    expect(await settledPhase(frame)).toBe('ready');
    expect(await frame.textContent('[data-testid=summary]')).toBe(sampleReport().summary.text);
    // Zendesk's way: the iframe document is the answer to a form POST carrying `token`.
    expect(posts).toHaveLength(1);
    expect(new URL(posts[0]!.url).pathname).toBe('/zendesk/sidebar');
    expect(new URLSearchParams(posts[0]!.body).get('token')).toMatch(/^eyJ[^.]+\.[^.]+\.[^.]+$/);
    expect(new URL(frame.url()).pathname).toBe('/zendesk/sidebar');
    // The app called Baton itself, with a Baton session: no request proxy, no proxy JWT.
    expect(proxyCalls).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __zafHost: { requests: unknown[] } }).__zafHost.requests.length)).toBe(0);
    expect(authHeaders).toHaveLength(1);
    const session = authHeaders[0]!.replace(/^Bearer /, '');
    const claims = JSON.parse(Buffer.from(session.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: 'baton', aud: 'baton-sidebar', sub: '4242', tid: 'demo' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('feedback from the signed-URL sidebar is stored for the agent Zendesk signed for', async () => {
    const direct: string[] = [];
    const { page, frame, proxyCalls } = await openPreview(h.browser, h.baton.url, { ticket: FEEDBACK_TICKET, auth: 'signed' }, undefined, (p) => {
      p.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith(`/v1/tickets/${FEEDBACK_TICKET}/handoff/feedback`)) direct.push(r.headers().authorization ?? '');
      });
    });
    expect(await settledPhase(frame)).toBe('ready');
    expect(new URL(frame.url()).pathname).toBe('/zendesk/sidebar');
    await frame.getByRole('button', { name: 'No, not accurate' }).click();
    await frame.getByLabel('What was wrong? (optional)').fill('Wrong order number');
    await frame.getByRole('button', { name: 'Send feedback' }).click();
    await frame.waitForSelector('[data-testid=feedback-thanks]');
    expect(await h.baton.store.listFeedback('demo', { helpdesk: 'zendesk', id: String(FEEDBACK_TICKET) })).toMatchObject([{ accurate: false, comment: 'Wrong order number', agentId: '4242' }]);
    // Sent straight to Baton with the session, not through the request proxy.
    expect(proxyCalls).toHaveLength(0);
    expect(direct).toHaveLength(1);
    expect(direct[0]).toMatch(/^Bearer eyJ/);
    await page.close();
  });
});
