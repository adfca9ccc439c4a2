/**
 * Regenerates the Marketplace images in app/public/ (copied to dist/assets/ by the build):
 *   logo.png 320×320, logo-small.png 128×128 — rendered from the SVG below in Chromium;
 *   screenshot-1..3.png 1024×768 — the REAL sidebar in the /preview host, from a real Baton with a
 *   stored report.
 * Run: npx tsx app/scripts/render-assets.ts   (then `npm run build` to package them)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../test/helpers/chromium.ts';
import { openPreview, settledPhase, startHarness } from '../../test/e2e/harness.ts';
import { seedHandoff } from '../../test/e2e/seed.ts';
import { sampleReport, SAMPLE_TICKET_ID } from '../src/demo/sample-report.ts';

const publicDir = fileURLToPath(new URL('../public/', import.meta.url));

export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 320">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#0b5e67"/><stop offset="1" stop-color="#03363d"/>
    </linearGradient>
    <linearGradient id="baton" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="#ffd166"/><stop offset="1" stop-color="#f4a261"/>
    </linearGradient>
  </defs>
  <rect width="320" height="320" rx="72" fill="url(#bg)"/>
  <!-- speech bubble: the briefing -->
  <path d="M92 84h136a28 28 0 0 1 28 28v64a28 28 0 0 1-28 28h-70l-38 32v-32H92a28 28 0 0 1-28-28v-64a28 28 0 0 1 28-28z" fill="#ffffff" opacity="0.95"/>
  <rect x="96" y="118" width="112" height="14" rx="7" fill="#0b5e67" opacity="0.55"/>
  <rect x="96" y="148" width="80" height="14" rx="7" fill="#0b5e67" opacity="0.35"/>
  <!-- the relay baton, passed across -->
  <g transform="rotate(-32 190 230)">
    <rect x="120" y="214" width="150" height="34" rx="17" fill="url(#baton)"/>
    <rect x="146" y="214" width="10" height="34" fill="#e76f51" opacity="0.7"/>
    <rect x="234" y="214" width="10" height="34" fill="#e76f51" opacity="0.7"/>
  </g>
</svg>`;

async function renderLogos(): Promise<void> {
  const browser = await launchChromium();
  try {
    for (const [file, size] of [['logo.png', 320], ['logo-small.png', 128]] as const) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      await page.setContent(`<html><body style="margin:0;background:transparent">${LOGO_SVG.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
      writeFileSync(join(publicDir, file), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

async function renderScreenshots(): Promise<void> {
  const h = await startHarness();
  try {
    seedHandoff(h.baton.store, 'demo', SAMPLE_TICKET_ID, sampleReport());
    const shots: Array<{ file: string; query: Record<string, string | number>; act?: (p: Awaited<ReturnType<typeof openPreview>>) => Promise<void> }> = [
      { file: 'screenshot-1.png', query: { ticket: SAMPLE_TICKET_ID } },
      {
        file: 'screenshot-2.png',
        query: { ticket: SAMPLE_TICKET_ID, theme: 'dark', locale: 'de' },
      },
      {
        file: 'screenshot-3.png',
        query: { ticket: SAMPLE_TICKET_ID },
        act: async ({ page, frame }) => {
          await frame.getByRole('button', { name: 'Insert into reply' }).click();
          await page.waitForFunction(() => (document.getElementById('reply-editor') as HTMLTextAreaElement).value.length > 0);
          await page.evaluate(() => document.getElementById('reply-editor')?.scrollIntoView({ block: 'end' }));
        },
      },
    ];
    for (const s of shots) {
      const p = await openPreview(h.browser, h.baton.url, s.query);
      await settledPhase(p.frame);
      await s.act?.(p);
      writeFileSync(join(publicDir, s.file), await p.page.screenshot());
      await p.page.close();
    }
  } finally {
    await h.close();
  }
}

await renderLogos();
await renderScreenshots();
console.log(`wrote logo.png, logo-small.png, screenshot-1..3.png to ${publicDir}`);
