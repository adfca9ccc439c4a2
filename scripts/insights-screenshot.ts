/**
 * Renders docs/images/insights-dashboard.png: a real Baton in sandbox mode (startHarness: the demo tenant, whose
 * insights /preview/insights seeds on first use with the deterministic data set), the REAL built nav_bar page
 * ("Baton insights") in headless Chromium (/usr/bin/chromium, playwright-core), like the sidebar screenshots.
 * Run: npx tsx scripts/insights-screenshot.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../server/http/build-app.ts';
import { startHarness } from '../test/e2e/harness.ts';

const out = join(REPO_ROOT, 'docs', 'images', 'insights-dashboard.png');
const distDir = mkdtempSync(join(tmpdir(), 'baton-insights-shot-'));
const h = await startHarness({ distDir });
try {
  const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${h.baton.url}/preview/insights`);
  await page.waitForSelector('main[data-phase=ready]');
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await h.close();
  rmSync(distDir, { recursive: true, force: true });
}
