/**
 * Renders docs/images/insights-dashboard.png: the REAL built nav_bar page ("Baton insights") served by the
 * /preview/insights router with its sandbox figures, in headless Chromium (/usr/bin/chromium, playwright-core),
 * like the sidebar screenshots. Run: npx tsx scripts/insights-screenshot.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { insightsPreviewRouter } from '../app/preview/insights-preview.ts';
import { ensureAppBuilt, REPO_ROOT } from '../server/http/build-app.ts';
import { errorHandler } from '../server/http/errors.ts';
import { securityHeaders } from '../server/http/security-headers.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import { listen } from '../test/helpers/listen.ts';

const out = join(REPO_ROOT, 'docs', 'images', 'insights-dashboard.png');
const distDir = mkdtempSync(join(tmpdir(), 'baton-insights-shot-'));
await ensureAppBuilt({ distDir, quiet: true });
const app = express();
app.use(securityHeaders());
app.use(insightsPreviewRouter({ config: { allowPublicSandbox: false }, distDir }));
app.use(errorHandler(pino({ level: 'silent' })));
const { server, base } = await listen(app);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${base}/preview/insights`);
  await page.waitForSelector('main[data-phase=ready]');
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.close();
  rmSync(distDir, { recursive: true, force: true });
}
