/**
 * Shared set-up for the browser tests, the screenshots and the bench: a real Baton (startBaton, sandbox
 * config, free port, temp data dir) serving a freshly built dist/, plus headless Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Frame, Page } from 'playwright-core';
import { loadConfig } from '../../server/config.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { DEFAULT_DIST_DIR, ensureAppBuilt } from '../../server/http/build-app.ts';
import { launchChromium } from '../helpers/chromium.ts';

export interface Harness {
  baton: BatonInstance;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(opts: { distDir?: string } = {}): Promise<Harness> {
  const distDir = opts.distDir ?? DEFAULT_DIST_DIR;
  await ensureAppBuilt({ distDir, quiet: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', BATON_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const baton = await startTestBaton(config, { logger: pino({ level: 'silent' }), distDir });
  const browser = await launchChromium();
  return {
    baton,
    browser,
    dataDir,
    async close() {
      await browser.close().catch(() => undefined);
      await baton.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface PreviewPage {
  page: Page;
  frame: Frame;
  /** Requests the page made to the preview's request proxy (what the app sent through ZAF). */
  proxyCalls: string[];
  /** Every URL the page and its frames requested (e.g. which ZAF SDK chunk the app loaded). */
  requests: string[];
  errors: string[];
}

/** Opens /preview with the given query and returns once the app iframe has loaded. */
export async function openPreview(
  browser: Browser,
  baseUrl: string,
  query: Record<string, string | number> = {},
  viewport = { width: 1024, height: 768 },
  /** Runs on the new page before it navigates (e.g. to observe requests). */
  beforeGoto?: (page: Page) => void,
): Promise<PreviewPage> {
  const page = await browser.newPage({ viewport });
  beforeGoto?.(page);
  const proxyCalls: string[] = [];
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    requests.push(r.url());
    if (r.url().endsWith('/preview/proxy')) proxyCalls.push(r.postData() ?? '');
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  // The preview's default is the signed-URL mode; these helpers' callers observe the request proxy unless they ask for `auth: 'signed'`.
  const qs = new URLSearchParams(Object.entries({ auth: 'proxy', ...query }).map(([k, v]) => [k, String(v)])).toString();
  await page.goto(`${baseUrl}/preview${qs ? `?${qs}` : ''}`);
  const handle = await page.waitForSelector('#app-frame');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('app iframe has no frame');
  await frame.waitForLoadState('load');
  return { page, frame, proxyCalls, requests, errors };
}

/** Waits until the sidebar left the loading phase; returns the phase it settled in. */
export async function settledPhase(frame: Frame): Promise<string> {
  const el = await frame.waitForSelector('main[data-phase]:not([data-phase="waiting"]):not([data-phase="loading"])');
  return (await el.getAttribute('data-phase')) ?? '';
}
