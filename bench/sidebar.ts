/**
 * Sidebar budgets, measured (never asserted in tests):
 *   - JavaScript shipped to the sidebar, gzip (budget ≤ 150 KB);
 *   - time from `app.registered` reaching the iframe to the briefing painted, in headless Chromium,
 *     through the /preview host and a real Baton on localhost (budget ≤ 300 ms);
 *   - server requests per ticket open (budget: exactly 1).
 * Run: npx tsx bench/sidebar.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_DIST_DIR, ensureAppBuilt } from '../server/http/build-app.ts';
import { settledPhase, startHarness } from '../test/e2e/harness.ts';
import { seedHandoff } from '../test/e2e/seed.ts';
import { sampleReport, SAMPLE_TICKET_ID } from '../app/src/demo/sample-report.ts';

const RUNS = 15;

/** Runs in every frame before any page script: timestamps registration arrival and first paint of the briefing. */
const PROBE = `(() => {
  const t = (window.__batonBench = { registeredAt: undefined, visibleAt: undefined });
  window.addEventListener('message', (e) => {
    if (t.registeredAt === undefined && typeof e.data === 'string' && e.data.includes('"zaf.app.registered"')) t.registeredAt = performance.now();
  }, true);
  const seen = () => {
    if (t.visibleAt !== undefined || !document.querySelector('[data-testid=briefing]')) return false;
    requestAnimationFrame(() => requestAnimationFrame(() => { if (t.visibleAt === undefined) t.visibleAt = performance.now(); }));
    return true;
  };
  new MutationObserver(() => seen()).observe(document, { childList: true, subtree: true });
})();`;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

export async function runSidebarBench(): Promise<string> {
  await ensureAppBuilt({ quiet: true });
  const assets = join(DEFAULT_DIST_DIR, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gz = (f: string) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  const raw = (f: string) => readFileSync(join(assets, f)).length;
  // What iframe.html loads at start-up (its entry and modulepreloads): not the nav_bar page's chunks, not the lazy SDK.
  const html = readFileSync(join(assets, 'iframe.html'), 'utf8');
  const main = js.filter((f) => !f.startsWith('bundled-sdk') && html.includes(`./${f}"`));
  const sdk = js.filter((f) => f.startsWith('bundled-sdk'));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const mainGz = main.reduce((a, f) => a + gz(f), 0);
  const sdkGz = sdk.reduce((a, f) => a + gz(f), 0);

  const h = await startHarness();
  const times: number[] = [];
  const requests: number[] = [];
  try {
    seedHandoff(h.baton.store, 'demo', SAMPLE_TICKET_ID, sampleReport());
    const ctx = await h.browser.newContext({ viewport: { width: 1024, height: 768 } });
    await ctx.addInitScript({ content: PROBE });
    for (let i = 0; i < RUNS + 1; i++) {
      const page = await ctx.newPage();
      const proxyCalls: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/preview/proxy')) proxyCalls.push(r.url());
      });
      // The proxy mode: this bench counts the requests the app makes through the request proxy.
      const qs = `ticket=${SAMPLE_TICKET_ID}&auth=proxy`;
      await page.goto(`${h.baton.url}/preview?${qs}`);
      const frame = await (await page.waitForSelector('#app-frame')).contentFrame();
      if (!frame) throw new Error('no frame');
      if ((await settledPhase(frame)) !== 'ready') throw new Error('briefing did not render');
      await frame.waitForFunction(() => (window as unknown as { __batonBench: { visibleAt?: number } }).__batonBench.visibleAt !== undefined);
      const t = await frame.evaluate(() => (window as unknown as { __batonBench: { registeredAt: number; visibleAt: number } }).__batonBench);
      if (i > 0) {
        times.push(t.visibleAt - t.registeredAt);
        requests.push(proxyCalls.length);
      }
      await page.close();
    }
    await ctx.close();
  } finally {
    await h.close();
  }

  const lines = [
    'Baton sidebar budgets',
    `  JS shipped (gzip, level 9): ${kb(mainGz)} app bundle at start-up [budget ≤ 150 KB] ${mainGz <= 150 * 1024 ? 'OK' : 'OVER'}`,
    `    ${main.map((f) => `${f} ${kb(raw(f))} raw / ${kb(gz(f))} gzip`).join('; ')}`,
    `    + ${kb(sdkGz)} bundled ZAF SDK chunk, loaded only when Zendesk's CDN SDK is absent (local preview/tests)`,
    `  app.registered → briefing painted (Chromium headless, localhost, ${times.length} runs after 1 warm-up):`,
    `    median ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms [budget ≤ 300 ms, judged on the median] ${quantile(times, 0.5) <= 300 ? 'OK' : 'OVER'}`,
    `  server requests per ticket open: ${[...new Set(requests)].join(', ')} [budget: exactly 1] ${requests.every((r) => r === 1) ? 'OK' : 'OVER'}`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runSidebarBench().then(
    (s) => console.log(s),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
