#!/usr/bin/env node
// Baton CLI entry. Registers tsx so the TypeScript sources run directly after `npm install` (no build
// step), then dispatches to one module per subcommand. Each module exports `run(argv): Promise<number>`.
import { register } from 'tsx/esm/api';

register();

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
  const mod = await import(new URL(modulePath, import.meta.url).href);
  process.exitCode = await mod.run(args);
} catch (err) {
  process.stderr.write(`baton ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
