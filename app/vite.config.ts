/**
 * Builds the complete ZAF app package into dist/:
 *   dist/manifest.json, dist/requirements.json, dist/translations/*.json   (copied by zafPackage())
 *   dist/assets/iframe.html + JS/CSS bundle (flat, relative paths: base './')
 *   dist/assets/logo.png, logo-small.png, screenshot-*.png                (from app/public)
 * Zendesk serves assets under a prefix such as /<app id>/assets/, so every URL must be relative.
 *
 * BATON_APP_DOMAINS=baton.example.com,… adds a `domainWhitelist` to the packaged manifest.
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
  return {
    name: 'baton-zaf-package',
    apply: 'build',
    buildStart() {
      // The package is generated: start from nothing so no stale file ships.
      rmSync(dist, { recursive: true, force: true });
    },
    closeBundle() {
      mkdirSync(join(dist, 'translations'), { recursive: true });
      const manifest = JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      const domains = (process.env.BATON_APP_DOMAINS ?? '').split(',').map((d) => d.trim()).filter(Boolean);
      if (domains.length) manifest.domainWhitelist = domains;
      writeFileSync(join(dist, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      copyFileSync(join(repo, 'requirements.json'), join(dist, 'requirements.json'));
      for (const f of readdirSync(join(repo, 'translations'))) {
        if (f.endsWith('.json')) copyFileSync(join(repo, 'translations', f), join(dist, 'translations', f));
      }
      // Budget: JavaScript the sidebar loads at start-up (excludes the lazy bundled-SDK chunk used only off-Zendesk).
      const assets = join(dist, 'assets');
      const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
      const size = (f: string) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
      const initial = js.filter((f) => !f.startsWith('bundled-sdk'));
      const kb = (n: number) => (n / 1024).toFixed(1);
      const initialGz = initial.reduce((a, f) => a + size(f), 0);
      const allGz = js.reduce((a, f) => a + size(f), 0);
      if (process.env.BATON_QUIET_BUILD !== '1') console.log(`[baton] sidebar JS gzip: ${kb(initialGz)} KB at start-up (budget 150 KB); ${kb(allGz)} KB incl. lazy bundled SDK chunk`);
    },
  };
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
      input: join(appDir, 'iframe.html'),
      output: {
        entryFileNames: 'sidebar-[hash].js',
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
      },
    },
  },
  plugins: [zafPackage({ distDir })],
  };
}

export default defineConfig(createViteConfig());
