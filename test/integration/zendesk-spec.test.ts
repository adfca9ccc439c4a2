/**
 * The Zendesk spec ships in the repo, and a sandbox without it fails loudly: in tests (constructor throws) and
 * in `npm start`'s sandbox mode (start-up exits 78 naming the file). Issue 7, item 11.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_ZENDESK_SPEC_PATH,
  requireZendeskSpecValidator,
  resolveZendeskSpecPath,
  ZendeskSpecUnavailableError,
} from '../../sandbox/zendesk/spec-validator.ts';
import { createZendeskSandbox } from '../../sandbox/zendesk/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the Zendesk spec fixture', () => {
  it('is found inside the repo by default, not outside it', () => {
    const rel = relative(root, DEFAULT_ZENDESK_SPEC_PATH);
    expect(rel).toBe(join('test', 'fixtures', 'api-specs', 'zendesk-support-oas.yaml'));
    expect(resolveZendeskSpecPath(undefined, {})).toBe(DEFAULT_ZENDESK_SPEC_PATH);
  });

  it('is the byte-for-byte copy its SOURCES.md names', () => {
    const sources = readFileSync(join(root, 'test/fixtures/api-specs/SOURCES.md'), 'utf8');
    const row = sources.split('\n').find((l) => l.startsWith('| zendesk-support-oas.yaml |'));
    const expected = /`([0-9a-f]{64})`/.exec(row ?? '')?.[1];
    expect(expected).toBeDefined();
    expect(createHash('sha256').update(readFileSync(DEFAULT_ZENDESK_SPEC_PATH)).digest('hex')).toBe(expected);
    expect(sources).toContain('emberstack/ES.FX'); // the provenance line came with it
  });

  it('loads and knows the operations Baton calls', () => {
    const v = requireZendeskSpecValidator(DEFAULT_ZENDESK_SPEC_PATH);
    expect(v.validateRequestBody('UpdateTicket', { ticket: { comment: { body: 'x', public: false } } })).toEqual([]);
    expect(v.validateRequestBody('CreateTicket', { ticket: { priority: 'super' } }).map((i) => i.path)).toEqual(['ticket.priority']);
  });
});

describe('a validator without its spec', () => {
  it('throws, naming the missing file', () => {
    const missing = join(tmpdir(), 'no-such-dir', 'zendesk-support-oas.yaml');
    expect(() => requireZendeskSpecValidator(missing)).toThrow(ZendeskSpecUnavailableError);
    expect(() => requireZendeskSpecValidator(missing)).toThrow(missing);
  });

  it('throws for a file that is not an OpenAPI document', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-spec-')), 'oas.yaml');
    writeFileSync(file, 'hello: world\n');
    expect(() => requireZendeskSpecValidator(file)).toThrow(/no paths or components\.schemas/);
  });

  it('makes the sandbox refuse to be built, also through BATON_ZENDESK_SPEC', () => {
    const missing = '/nonexistent/zendesk-support-oas.yaml';
    expect(() => createZendeskSandbox({ specPath: missing })).toThrow(ZendeskSpecUnavailableError);
    const before = process.env.BATON_ZENDESK_SPEC;
    process.env.BATON_ZENDESK_SPEC = missing;
    try {
      expect(() => createZendeskSandbox({})).toThrow(missing);
    } finally {
      if (before === undefined) delete process.env.BATON_ZENDESK_SPEC;
      else process.env.BATON_ZENDESK_SPEC = before;
    }
  });

  it('fails `npm start` in sandbox mode with exit 78 and a message naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-nospec-'));
    const missing = join(dir, 'gone', 'zendesk-support-oas.yaml');
    const env: NodeJS.ProcessEnv = { ...process.env, BATON_ZENDESK_SPEC: missing, BATON_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' };
    delete env.BATON_CONFIG; // no config: sandbox mode
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toMatch(/^baton: Zendesk sandbox: cannot validate requests/m);
    expect(r.status).toBe(78);
  });
});
