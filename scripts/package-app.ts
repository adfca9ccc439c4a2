/**
 * `npm run package`: writes release/baton-zendesk-app.zip, the Zendesk app package to upload, offline.
 * Builds the app into dist/ when it is missing or stale (always when BATON_PUBLIC_URL or BATON_APP_DOMAINS is
 * set, since they change the packaged manifest), runs our implementation of Zendesk's validator on it
 * (scripts/validate-app/rules.ts) and refuses to package on any error, then zips it the way `zcli apps:package`
 * does: every file of the app folder except dotfiles, manifest.json at the root of the archive.
 *
 * Options: --dist DIR (the built app; default dist/ or $BATON_DIST_DIR), --out FILE, --no-build (package DIR as it is).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync, type Zippable } from 'fflate';
import { formatIssue, validatePackage } from './validate-app/rules.ts';
import { REPO_ROOT } from '../server/util/repo-root.ts';

export const DEFAULT_ZIP = join(REPO_ROOT, 'release', 'baton-zendesk-app.zip');

/** A fixed timestamp for every entry (the earliest a zip can hold), so the same files give the same zip. */
const ZIP_MTIME = new Date('1980-01-01T00:00:00Z');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** The zip's bytes: each file under `dir` at its path relative to `dir` (forward slashes). */
export function zipAppDir(dir: string): Uint8Array {
  const tree: Zippable = {};
  for (const path of filesUnder(dir)) {
    tree[relative(dir, path).split(sep).join('/')] = [readFileSync(path), { mtime: ZIP_MTIME }];
  }
  return zipSync(tree, { level: 9 });
}

export async function packageApp(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dist: { type: 'string' }, out: { type: 'string' }, 'no-build': { type: 'boolean' } } });
  const distDir = resolve(values.dist ?? process.env.BATON_DIST_DIR ?? join(REPO_ROOT, 'dist'));
  const out = resolve(values.out ?? DEFAULT_ZIP);
  if (!values['no-build']) {
    const { ensureAppBuilt } = await import('../server/http/build-app.ts');
    const force = Boolean(process.env.BATON_PUBLIC_URL || process.env.BATON_APP_DOMAINS);
    const { built } = await ensureAppBuilt({ distDir, force, quiet: true });
    process.stdout.write(built ? `package: built the app into ${distDir}\n` : `package: ${distDir} is up to date\n`);
  }
  const { errors, warnings } = validatePackage(distDir);
  for (const w of warnings) process.stderr.write(`${formatIssue(w)}\n`);
  if (errors.length) {
    process.stderr.write(`package: ${distDir} is not a valid Zendesk app package (${errors.length} error(s)); nothing written:\n`);
    for (const e of errors) process.stderr.write(`${formatIssue(e)}\n`);
    return 1;
  }
  const zip = zipAppDir(distDir);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  process.stdout.write(`package: ${out} (${(zip.length / 1024).toFixed(0)} KB), validated\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await packageApp(process.argv.slice(2));
