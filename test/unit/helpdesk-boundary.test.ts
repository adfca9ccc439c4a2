/**
 * The helpdesk seam holds (issue 8): production code outside `server/helpdesks/<name>/` reaches a helpdesk only
 * through the registry (`server/helpdesks/registry.ts`) and the contract (`helpdesk-module.ts`), never by
 * importing a module's files. Exceptions, by design: the bot registry, and a bot adapter importing the helpdesk
 * module of the same platform (Intercom is both: its webhook adapter fetches with the helpdesk's API client;
 * Sunshine Conversations is Zendesk messaging: its relay fills Zendesk ticket fields and tags at ticket creation).
 * Static imports only: sandbox mode loads `sandbox/` with `await import()`, which ESLint checks separately.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER = join(ROOT, 'server');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? tsFiles(p) : d.name.endsWith('.ts') ? [p] : [];
  });
}

/** `import … from '…'` and `export … from '…'`, type-only ones included (they still couple the code). */
function staticImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm)) out.push(m[1] as string);
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1] as string);
  return out;
}

/** `server/helpdesks/<name>/…` → name; undefined for anything else (the contract and the registry included). */
function helpdeskOf(path: string): string | undefined {
  return /^server\/helpdesks\/([^/]+)\//.exec(path)?.[1];
}

/** Bot platforms run by a helpdesk vendor under another name: Sunshine Conversations is Zendesk's messaging platform. */
const PLATFORM_HELPDESK: Readonly<Record<string, string>> = { sunshine: 'zendesk' };

function allowed(from: string, to: string): boolean {
  const target = helpdeskOf(to);
  if (target === undefined || helpdeskOf(from) === target) return true;
  if (from === 'server/helpdesks/registry.ts' || from === 'server/bots/registry.ts') return true;
  const platform = /^server\/bots\/([^/]+)\//.exec(from)?.[1];
  return platform !== undefined && (platform === target || PLATFORM_HELPDESK[platform] === target);
}

function boundaryViolations(files: ReadonlyArray<{ path: string; source: string }>): string[] {
  const out: string[] = [];
  for (const { path, source } of files) {
    for (const spec of staticImports(source)) {
      if (!spec.startsWith('.')) continue;
      const to = relative(ROOT, resolve(ROOT, dirname(path), spec)).split('\\').join('/');
      if (!allowed(path, to)) out.push(`${path} imports ${to}`);
    }
  }
  return out;
}

describe('helpdesk boundary', () => {
  it('no production file outside server/helpdesks/<name>/ imports a helpdesk module directly', () => {
    const files = tsFiles(SERVER).map((p) => ({ path: relative(ROOT, p).split('\\').join('/'), source: readFileSync(p, 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(boundaryViolations(files)).toEqual([]);
  });

  it('would catch one (the check itself)', () => {
    expect(
      boundaryViolations([
        { path: 'server/pipeline/worker.ts', source: "import { ZendeskWriter } from '../helpdesks/zendesk/writer.ts';\n" },
        { path: 'server/http/x.ts', source: "import type { IntercomConfig } from '../helpdesks/intercom/intercom-config.ts';\n" },
        { path: 'server/bots/rasa/adapter.ts', source: "export { x } from '../../helpdesks/zendesk/client.ts';\n" },
        // Allowed: the registry, a module's own files, the contract, and a bot adapter of the same platform.
        { path: 'server/helpdesks/registry.ts', source: "import zendesk from './zendesk/index.ts';\n" },
        { path: 'server/helpdesks/zendesk/index.ts', source: "import { x } from './writer.ts';\nimport type { HelpdeskModule } from '../helpdesk-module.ts';\n" },
        { path: 'server/bots/intercom/client.ts', source: "import { c } from '../../helpdesks/intercom/client.ts';\n" },
      ]),
    ).toEqual([
      'server/pipeline/worker.ts imports server/helpdesks/zendesk/writer.ts',
      'server/http/x.ts imports server/helpdesks/intercom/intercom-config.ts',
      'server/bots/rasa/adapter.ts imports server/helpdesks/zendesk/client.ts',
    ]);
  });
});
