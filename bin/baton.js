#!/usr/bin/env node
// Baton CLI entry: dispatches to one module per subcommand; each exports `run(argv): Promise<number>`.
// Runs the compiled JavaScript in dist-server/ (npm run build) when it is there and not older than the sources
// beside it (a production install has no sources); otherwise registers tsx so the TypeScript sources run
// directly after `npm install`, with no build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Subcommand -> module (relative to this file). Add a line here to add a subcommand. */
const commands = {
  analyze: '../server/cli/analyze-command.ts',
  'dead-letters': '../server/cli/dead-letters-command.ts',
  purge: '../server/cli/purge-command.ts',
  erase: '../server/cli/erase-command.ts',
  migrate: '../server/cli/migrate-command.ts',
  tenants: '../server/cli/tenants-command.ts',
  report: '../server/cli/report-command.ts',
};

function usage() {
  return `usage: baton <command> [args]\n\ncommands:\n${Object.keys(commands)
    .map((c) => `  ${c}`)
    .join('\n')}\n`;
}

/** Newest modification time of a TypeScript source under `dir` (0 when there are none). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The compiled module of `tsPath` when the build is usable, else undefined (run the sources). */
function compiledModule(tsPath) {
  if (process.env.BATON_CLI_SOURCES === '1') return undefined;
  const info = fileURLToPath(new URL('../dist-server/build-info.json', import.meta.url));
  const js = new URL(tsPath.replace(/^\.\.\//, '../dist-server/').replace(/\.ts$/, '.js'), import.meta.url);
  if (!existsSync(info) || !existsSync(fileURLToPath(js))) return undefined;
  const sources = fileURLToPath(new URL('../server', import.meta.url));
  // A build older than an edited source would run stale code: prefer the sources then.
  if (existsSync(sources) && newestSource(sources) > statSync(info).mtimeMs) return undefined;
  return js;
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(usage());
  process.exit(name ? 0 : 1);
}
const modulePath = Object.hasOwn(commands, name) ? commands[name] : undefined;
if (!modulePath) {
  process.stderr.write(`baton: unknown command "${name}"\n${usage()}`);
  process.exit(1);
}
try {
  let url = compiledModule(modulePath);
  if (!url) {
    const { register } = await import('tsx/esm/api');
    register();
    url = new URL(modulePath, import.meta.url);
  }
  const mod = await import(url.href);
  process.exitCode = await mod.run(args);
} catch (err) {
  process.stderr.write(`baton ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
