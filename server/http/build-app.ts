/**
 * Builds the Zendesk app package (dist/) with Vite's programmatic API. Used by `npm start` when dist/
 * is missing, by the e2e tests when it is missing or older than its sources, and by the bench.
 * Vite is imported lazily: a production server that never builds does not need it installed.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../util/repo-root.ts';

// The same root from the sources and from the compiled build (dist-server/server/http/): where dist/ lives.
export { REPO_ROOT };
export const DEFAULT_DIST_DIR = join(REPO_ROOT, 'dist');

/** Everything the package is made from. */
const SOURCES = ['app/src', 'app/iframe.html', 'app/insights.html', 'app/public', 'app/vite.config.ts', 'translations', 'manifest.json', 'requirements.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(path)) max = Math.max(max, newestMtime(join(path, e)));
  return max;
}

/** True when dist/ lacks the package or any source is newer than the last build. */
export function appBuildIsStale(distDir: string = DEFAULT_DIST_DIR): boolean {
  const marker = join(distDir, 'assets', 'iframe.html');
  // A package from before the nav_bar location (no insights.html) is stale too.
  if (!existsSync(marker) || !existsSync(join(distDir, 'manifest.json')) || !existsSync(join(distDir, 'assets', 'insights.html'))) return true;
  const built = statSync(marker).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(REPO_ROOT, s)) > built);
}

export async function buildApp(opts: { distDir?: string; quiet?: boolean } = {}): Promise<void> {
  const distDir = resolve(opts.distDir ?? DEFAULT_DIST_DIR);
  const [{ build }, { createViteConfig }] = await Promise.all([import('vite'), import('../../app/vite.config.ts')]);
  const prevQuiet = process.env.BATON_QUIET_BUILD;
  // Vite picks export conditions (development/production) from NODE_ENV; under vitest it is "test".
  const prevNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  if (opts.quiet) process.env.BATON_QUIET_BUILD = '1';
  try {
    await build({ ...createViteConfig({ distDir }), configFile: false, logLevel: 'error' });
  } finally {
    if (prevNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = prevNodeEnv;
    if (opts.quiet) {
      if (prevQuiet === undefined) delete process.env.BATON_QUIET_BUILD;
      else process.env.BATON_QUIET_BUILD = prevQuiet;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds dist/ if it is missing or stale. A lock directory keeps concurrent callers (parallel test
 * files, a second process) from building over each other; the loser waits and re-checks.
 */
export async function ensureAppBuilt(opts: { distDir?: string; force?: boolean; quiet?: boolean; timeoutMs?: number } = {}): Promise<{ built: boolean }> {
  const distDir = resolve(opts.distDir ?? DEFAULT_DIST_DIR);
  if (!opts.force && !appBuildIsStale(distDir)) return { built: false };
  const lock = `${distDir}.build-lock`;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  mkdirSync(dirname(distDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building. A lock older than 2 minutes is from a crashed build.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* lock vanished meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`ensureAppBuilt: timed out waiting for ${lock}`);
      await sleep(100);
      if (!opts.force && !existsSync(lock) && !appBuildIsStale(distDir)) return { built: false };
    }
  }
  try {
    if (!opts.force && !appBuildIsStale(distDir)) return { built: false };
    await buildApp({ distDir, quiet: opts.quiet ?? false });
    return { built: true };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
