/**
 * Which ZAF SDK runs the app:
 *  - In Zendesk, iframe.html loads the official SDK from Zendesk's CDN (a classic <script> that runs
 *    before our module), so `window.ZAFClient` exists and we use it.
 *  - Where that script is absent or could not load (the local /preview host strips it because the
 *    browser may have no internet; tests), we load the bundled copy of the npm package
 *    `zendesk_app_framework_sdk`, which speaks the same postMessage protocol. It is a separate lazy
 *    chunk, so production never downloads it.
 */
import type { ZafSdk } from './types.ts';

export const ZAF_CDN_URL = 'https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js';

export type SdkSource = 'cdn' | 'bundled';

export async function loadZafSdk(win: Window = window): Promise<{ sdk: ZafSdk; source: SdkSource }> {
  if (win.ZAFClient && typeof win.ZAFClient.init === 'function') return { sdk: win.ZAFClient, source: 'cdn' };
  const mod = (await import('./bundled-sdk.ts')) as { default: ZafSdk };
  return { sdk: mod.default, source: 'bundled' };
}
