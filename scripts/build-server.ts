/**
 * `npm run build:server`: compiles the server to JavaScript in dist-server/ with tsc (tsconfig.build.json,
 * `rewriteRelativeImportExtensions`, TS 5.7+), so `npm run start:prod` runs with plain `node`, no TypeScript loader.
 * tsc rather than esbuild: it type-checks as it emits (a build with type errors fails), keeps one file per
 * source file (so `import.meta.url`-relative paths such as the analysis worker's still hold), and emits the JSON
 * the server imports (models, schemas). Files the server loads by path that tsc does not emit are copied here.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../server/util/repo-root.ts';

export const OUT_DIR = join(REPO_ROOT, 'dist-server');

/** Loaded by path at run time (not imported), so tsc does not emit them: repo-relative, copied as they are. */
export const COPIED = ['server/pipeline/analysis-worker.mjs'];

export function buildServer(): number {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.build.json')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`build:server: tsc failed (exit ${r.status ?? r.signal}); dist-server/ is incomplete\n`);
    rmSync(OUT_DIR, { recursive: true, force: true });
    return 1;
  }
  for (const f of COPIED) {
    mkdirSync(dirname(join(OUT_DIR, f)), { recursive: true });
    copyFileSync(join(REPO_ROOT, f), join(OUT_DIR, f));
  }
  // Compiled ES modules: a package.json here makes `type: module` explicit for anything copied out on its own.
  writeFileSync(join(OUT_DIR, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  writeFileSync(join(OUT_DIR, 'build-info.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), node: process.version }, null, 2)}\n`);
  process.stdout.write(`build:server: compiled the server into ${OUT_DIR}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = buildServer();
