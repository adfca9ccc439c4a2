/**
 * Builds the complete ZAF app package into dist/:
 *   dist/manifest.json, dist/requirements.json, dist/translations/*.json   (copied by zafPackage())
 *   dist/assets/iframe.html + JS/CSS bundle (flat, relative paths: base './')   the ticket_sidebar location
 *   dist/assets/insights.html + its entry chunk                                  the nav_bar location (Baton insights)
 *   dist/assets/logo.png, logo-small.png, screenshot-*.png                (from app/public)
 * Zendesk serves assets under a prefix such as /<app id>/assets/, so every URL must be relative.
 *
 * BATON_APP_DOMAINS=baton.example.com,… adds a `domainWhitelist` to the packaged manifest.
 * BATON_PUBLIC_URL=https://baton.example.com makes a signed-URL package: the ticket_sidebar location's url is
 * `${BATON_PUBLIC_URL}/zendesk/sidebar` (Baton serves the sidebar after verifying Zendesk's RS256 token), the
 * nav_bar location's `${BATON_PUBLIC_URL}/zendesk/insights` (the insights dashboard, the same way), and
 * the manifest gets `"signedUrls": true` (docs/sidebar.md, "Signed-URL install").
 */
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const appDir = dirname(fileURLToPath(import.meta.url));
const repo = resolve(appDir, '..');

export function zafPackage(opts: { distDir: string }): Plugin {
  const dist = opts.distDir;
  // Entry/chunk file -> the chunks it imports statically (from generateBundle), for the per-location budget.
  const graph = new Map<string, string[]>();
  return {
    name: 'baton-zaf-package',
    apply: 'build',
    generateBundle(_options, bundle) {
      graph.clear();
      for (const [file, out] of Object.entries(bundle)) if (out.type === 'chunk') graph.set(file, out.imports);
    },
    buildStart() {
      // The package is generated: start from nothing so no stale file ships.
      rmSync(dist, { recursive: true, force: true });
    },
    closeBundle() {
      mkdirSync(join(dist, 'translations'), { recursive: true });
      const manifest = JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      const domains = (process.env.BATON_APP_DOMAINS ?? '').split(',').map((d) => d.trim()).filter(Boolean);
      if (domains.length) manifest.domainWhitelist = domains;
      const publicUrl = signedUrlBase(process.env.BATON_PUBLIC_URL);
      if (publicUrl) {
        const support = (manifest.location as { support: Record<string, { url: string }> }).support;
        support.ticket_sidebar = { ...support.ticket_sidebar, url: `${publicUrl}/zendesk/sidebar` };
        // Insights need the signed session too (the request-proxy token cannot prove an admin): docs/insights.md.
        if (support.nav_bar) support.nav_bar = { ...support.nav_bar, url: `${publicUrl}/zendesk/insights` };
        manifest.signedUrls = true;
      }
      writeFileSync(join(dist, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      copyFileSync(join(repo, 'requirements.json'), join(dist, 'requirements.json'));
      for (const f of readdirSync(join(repo, 'translations'))) {
        if (f.endsWith('.json')) copyFileSync(join(repo, 'translations', f), join(dist, 'translations', f));
      }
      // Budget: JavaScript each location loads at start-up (its entry chunk and what it imports statically; the
      // lazy bundled-SDK chunk used only off-Zendesk is excluded).
      const assets = join(dist, 'assets');
      const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
      const size = (f: string) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
      const kb = (n: number) => (n / 1024).toFixed(1);
      const allGz = js.reduce((a, f) => a + size(f), 0);
      const startup = (entry: string) => [...staticClosure(graph, entry)].filter((f) => js.includes(f)).reduce((a, f) => a + size(f), 0);
      const sidebarEntry = [...graph.keys()].find((f) => f.startsWith('sidebar-'));
      const insightsEntry = [...graph.keys()].find((f) => f.startsWith('insights-'));
      if (process.env.BATON_QUIET_BUILD !== '1') {
        console.log(`[baton] sidebar JS gzip: ${sidebarEntry ? kb(startup(sidebarEntry)) : '?'} KB at start-up (budget 150 KB); ${kb(allGz)} KB all chunks incl. lazy bundled SDK`);
        if (insightsEntry) console.log(`[baton] nav_bar (insights) JS gzip: ${kb(startup(insightsEntry))} KB at start-up`);
      }
    },
  };
}

/** The chunk files `entry` loads at start-up: itself and its static imports, transitively. */
export function staticClosure(graph: ReadonlyMap<string, readonly string[]>, entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(graph.get(f) ?? []));
  }
  return seen;
}

/** BATON_PUBLIC_URL normalised (no trailing slash); https only (Zendesk's validator), localhost allowed for zcli. */
export function signedUrlBase(raw: string | undefined): string | undefined {
  const v = (raw ?? '').trim().replace(/\/+$/, '');
  if (!v) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`BATON_PUBLIC_URL is not a URL: ${v}`);
  }
  if (u.protocol !== 'https:' && u.hostname !== 'localhost') throw new Error(`BATON_PUBLIC_URL must be https: ${v}`);
  if (u.search || u.hash) throw new Error(`BATON_PUBLIC_URL must not have a query or fragment: ${v}`);
  return v;
}

/** The Vite config for a package written to `distDir` (default: <repo>/dist, or $BATON_DIST_DIR). */
export function createViteConfig(opts: { distDir?: string } = {}): UserConfig {
  const distDir = resolve(opts.distDir ?? process.env.BATON_DIST_DIR ?? join(repo, 'dist'));
  return {
  root: appDir,
  base: './',
  // Always a production bundle, even when built from inside vitest (NODE_ENV=test) by the e2e tests.
  mode: 'production',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  publicDir: join(appDir, 'public'),
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: join(distDir, 'assets'),
    emptyOutDir: true,
    assetsDir: '',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // Two locations in one package: the ticket sidebar (iframe.html) and the nav_bar "Baton insights" (insights.html).
      input: { iframe: join(appDir, 'iframe.html'), insights: join(appDir, 'insights.html') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'insights' ? 'insights-[hash].js' : 'sidebar-[hash].js'),
        // Chunks both locations load (React, Garden…) are `shared-*`; lazy chunks keep their name (bundled-sdk-*).
        chunkFileNames: (chunk) => (chunk.isDynamicEntry ? '[name]-[hash].js' : 'shared-[hash].js'),
        assetFileNames: '[name]-[hash][extname]',
      },
    },
  },
  plugins: [zafPackage({ distDir })],
  };
}

export default defineConfig(createViteConfig());
