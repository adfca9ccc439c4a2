/**
 * Launches Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) headless through playwright-core.
 * The flags keep it from touching the network on its own (the sandbox has none).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p));
}

export function hasChromium(): boolean {
  return chromiumPath() !== undefined;
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: install Debian\'s "chromium" package or set CHROMIUM_PATH');
  return chromium.launch({ executablePath, headless: true, ...opts, args: [...CHROMIUM_ARGS, ...(opts.args ?? [])] });
}
