/**
 * /preview/intercom in real headless Chromium: the page asks Baton's own Canvas Kit endpoint for the card the
 * way Intercom does (signed initialize request) and draws it beside the conversation read from the Intercom
 * sandbox. Real parts: the Intercom sandbox on a free port, the real canvas router and the preview router in
 * one in-process app; only the report lookup is injected. No timed assertions.
 */
import { request as httpRequest, type Server } from 'node:http';
import express from 'express';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleReport } from '../../app/src/demo/sample-report.ts';
import { intercomPreviewRouter } from '../../app/preview/intercom-preview.ts';
import { intercomCanvasRouter } from '../../server/helpdesks/intercom/canvas-routes.ts';
import type { Config } from '../../server/config.ts';
import { DEFAULT_INTERCOM_TOKEN, SANDBOX_ADMIN, SEED_CONVERSATION_ID, startIntercomSandbox, type RunningIntercomSandbox } from '../../sandbox/intercom/index.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { listen } from '../helpers/listen.ts';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { intercomConfigOf } from '../../server/helpdesks/intercom/intercom-config.ts';
import { freePort } from '../helpers/child-server.ts';

const CLIENT_SECRET = 'ic_client_secret_preview_test';
const HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

describe.skipIf(!hasChromium())('/preview/intercom in Chromium', { timeout: 90_000 }, () => {
  let sb: RunningIntercomSandbox;
  let server: Server;
  let base: string;
  let browser: Browser;
  const canvasRequests: Array<{ signature: string | undefined; body: Record<string, unknown> }> = [];

  beforeAll(async () => {
    sb = await startIntercomSandbox();
    const config = {
      host: '127.0.0.1',
      port: 0,
      sandbox: true,
      allowPublicSandbox: false,
      tenants: [
        {
          id: 'demo',
          webhookSecrets: ['whsec'],
          helpdesks: { intercom: { accessToken: DEFAULT_INTERCOM_TOKEN, adminId: SANDBOX_ADMIN.id, clientSecret: CLIENT_SECRET, region: 'us', baseUrl: sb.url } },
          analysis: {},
        },
      ],
    } as unknown as Config;
    const report = sampleReport({ summary: { ...sampleReport().summary, text: `Charged twice ${HOSTILE} and wants a refund.` } });
    const logger = pino({ level: 'silent' });
    const app = express();
    app.use((req, _res, next) => {
      if (req.path.endsWith('/canvas/initialize')) {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        req.on('end', () => canvasRequests.push({ signature: req.get('x-body-signature'), body: JSON.parse(raw) as Record<string, unknown> }));
      }
      next();
    });
    app.use(
      intercomCanvasRouter({
        tenantSecret: (t) => (t === 'demo' ? CLIENT_SECRET : undefined),
        findReport: (t, conversationId) => (t === 'demo' && conversationId === SEED_CONVERSATION_ID ? { handoffId: 'h_preview_1', report } : undefined),
        logger,
        maxBodyBytes: 1024 * 1024,
      }),
    );
    app.use(intercomPreviewRouter({ config, logger }));
    ({ server, base } = await listen(app));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await sb?.close();
  });

  async function open(path: string) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    const res = await page.goto(`${base}${path}`);
    return { page, errors, status: res?.status() };
  }

  it('draws the canvas of a seeded conversation beside its thread, with no console errors and hostile text escaped', async () => {
    const { page, errors, status } = await open(`/preview/intercom?conversation=${SEED_CONVERSATION_ID}`);
    expect(status).toBe(200);
    const card = page.getByTestId('canvas');
    expect(await card.textContent()).toContain('Charged twice');
    // The summary's hostile markup is text, not markup.
    expect(await card.textContent()).toContain('<script>window.__xss=2</script>');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Components drawn as accessible HTML: headings, the copyable opener, disabled submit buttons.
    expect(await card.locator('h3').count()).toBeGreaterThan(2);
    const opener = card.locator('textarea');
    expect(await opener.count()).toBe(1);
    expect(await opener.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('textbox', { name: /opener/i }).count()).toBe(1);
    // The thread comes from the Intercom sandbox.
    expect(await page.getByRole('region', { name: 'Conversation' }).textContent()).toContain('charged twice for my subscription');
    expect(errors).toEqual([]);

    // The card was asked for the way Intercom asks: a signed initialize request naming the conversation.
    const sent = canvasRequests.at(-1);
    expect(sent?.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(sent?.body).toMatchObject({ conversation: { id: SEED_CONVERSATION_ID }, admin: { id: SANDBOX_ADMIN.id }, context: { location: 'conversation' } });
    expect((sent?.body.contact as { id?: string }).id).toBeTruthy();
    await page.close();
  });

  it('a conversation without a handoff gets the friendly card', async () => {
    const { page, errors, status } = await open('/preview/intercom?conversation=215468352873096');
    expect(status).toBe(200);
    expect((await page.getByTestId('canvas').textContent())?.trim().length).toBeGreaterThan(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a non-loopback Host', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(base);
      const req = httpRequest({ host: u.hostname, port: u.port, path: '/preview/intercom', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).not.toBe(200);
  });
});

describe.skipIf(!hasChromium())('/preview/intercom in sandbox mode, after a Fin handoff webhook', { timeout: 120_000 }, () => {
  let dir: string;
  let baton: BatonInstance;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-intercom-preview-'));
    // A fixed port: the sandbox defaults point the demo tenant's Intercom base URL at this process's own port.
    baton = await startTestBaton(loadConfig({ PORT: String(await freePort()), HOST: '127.0.0.1', BATON_DATA_DIR: join(dir, 'data') }), {
      logger: createLogger('silent'),
      distDir: join(dir, 'dist'),
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await baton?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the webhook lands one note, and the page draws the briefing card for that conversation', async () => {
    const tenant = loadConfig({ PORT: String(baton.port) }).tenants.find((t) => t.id === 'demo');
    const intercom = tenant && intercomConfigOf(tenant);
    expect(intercom).toBeDefined();
    const headers = { Authorization: `Bearer ${intercom!.accessToken}`, Accept: 'application/json' };
    const conversationUrl = `${baton.url}/sandbox/intercom/conversations/${SEED_CONVERSATION_ID}`;
    const item = (await (await fetch(conversationUrl, { headers })).json()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'notification_event', app_id: 'sandbox_workspace', id: `notif_${randomUUID()}`, topic: 'conversation.admin.assigned', delivery_attempts: 1, first_sent_at: now, created_at: now, data: { type: 'notification_event_data', item } });
    const res = await fetch(`${baton.url}/v1/tenants/demo/bots/intercom`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': `sha1=${createHmac('sha1', intercom!.clientSecret).update(body).digest('hex')}` },
      body,
    });
    expect(res.status).toBe(202);
    const { handoffId } = (await res.json()) as { handoffId: string };
    const notes = async (): Promise<number> => {
      const c = (await (await fetch(conversationUrl, { headers })).json()) as { conversation_parts: { conversation_parts: Array<{ part_type: string }> } };
      return c.conversation_parts.conversation_parts.filter((p) => p.part_type === 'note').length;
    };
    // Wait for the condition (the worker's write), bounded by the test timeout.
    while ((await notes()) === 0) await new Promise((r) => setTimeout(r, 100));
    // The report the card draws is stored when the job completes, just after the write the sandbox saw (on
    // Postgres a round trip later): wait for that too.
    while ((await baton.store.getJob(handoffId))?.state !== 'done') await new Promise((r) => setTimeout(r, 50));
    expect(await notes()).toBe(1);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    const loaded = await page.goto(`${baton.url}/preview/intercom?conversation=${SEED_CONVERSATION_ID}`);
    expect(loaded?.status()).toBe(200);
    expect(await page.getByRole('alert').count()).toBe(0);
    const card = page.getByTestId('canvas');
    expect(await card.locator('h3').count()).toBeGreaterThan(3);
    expect(await card.locator('textarea[readonly]').count()).toBe(1);
    expect(await card.locator('.cv-unknown').count()).toBe(0);
    // The thread shows the note Baton just wrote.
    expect(await page.locator('.thread .part.note').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
