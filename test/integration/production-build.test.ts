/**
 * The production build (issue 13): `npm run build` in a copy of this checkout, then the compiled server started
 * with plain `node` and no TypeScript loader available at all (the copy's node_modules lacks tsx, typescript,
 * vite, vitest and esbuild, so an import of any of them would fail), `npm run package`'s zip, and bin/baton.js
 * on the compiled CLI. Built once, in beforeAll (slow: tsc and Vite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { startZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { postHandoff, writeConfig, type Sandbox } from '../helpers/harness.ts';
import { freePort } from '../helpers/child-server.ts';
import { describeIfPostgres, freshDatabase } from '../helpers/postgres.ts';
import { validatePackage } from '../../scripts/validate-app/rules.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** Not part of a checkout (ignored or generated): never copied. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'dist-server', 'release', 'data', 'coverage', '.tmp', 'dist.build-lock']);
/** Development tools that must not be needed at run time. */
const DEV_ONLY = new Set(['tsx', 'typescript', 'vite', 'vitest', 'esbuild', '@esbuild', '.bin']);

/** Production seals stored secrets with it (docs/deploy.md); any 32 bytes. */
const MASTER_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

let root: string;
let sandbox: Sandbox;
let build: { status: number | null; output: string };
let pack: { status: number | null; output: string };
const children: ChildProcess[] = [];

function npm(args: string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 280_000 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** node_modules with every installed package except the development tools (symlinks to the real ones). */
function runtimeNodeModules(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (!DEV_ONLY.has(name)) symlinkSync(join(repo, 'node_modules', name), join(dir, name));
  }
}

/** Plain `node FILE` in the copy (data directories live beside the copy, removed with it), no flags and no NODE_OPTIONS. */
function startNode(file: string, env: NodeJS.ProcessEnv): ChildProcess & { output: () => string } {
  let output = '';
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', BATON_MASTER_KEY: MASTER_KEY };
  // SQLite unless the test names a database.
  delete childEnv.BATON_DATABASE_URL;
  const child = spawn(process.execPath, [file], { cwd: root, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  children.push(child);
  return Object.assign(child, { output: () => output });
}

/** Polls `fn` until it gives a value (not undefined); throws after `timeoutMs`. */
async function until<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

beforeAll(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'baton-prod-')), 'baton');
  cpSync(repo, root, { recursive: true, filter: (src) => !SKIP.has(src.slice(repo.length).split('/').filter(Boolean)[0] ?? '') });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  build = npm(['run', 'build'], root);
  pack = build.status === 0 ? npm(['run', 'package'], root) : { status: null, output: 'not run: the build failed' };
  // From here on, the copy has only what a production install has.
  rmSync(join(root, 'node_modules'));
  runtimeNodeModules(join(root, 'node_modules'));
  sandbox = await startZendeskSandbox({ credentials: [{ email: 'bot@acme.test', apiToken: 'tok_1' }] });
}, 300_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await sandbox?.close();
  if (root) rmSync(dirname(root), { recursive: true, force: true });
});

describe('npm run build', () => {
  it('compiles the server to JavaScript in dist-server/ and the app package into dist/', () => {
    expect(build.status, build.output).toBe(0);
    expect(existsSync(join(root, 'dist-server/server/production-main.js'))).toBe(true);
    expect(existsSync(join(root, 'dist-server/server/pipeline/analysis-worker.mjs'))).toBe(true);
    expect(existsSync(join(root, 'dist-server/server/pipeline/analysis-task.js'))).toBe(true);
    expect(existsSync(join(root, 'dist/manifest.json'))).toBe(true);
    expect(existsSync(join(root, 'dist/assets/iframe.html'))).toBe(true);
    // Imports were rewritten to the emitted .js files.
    const main = readFileSync(join(root, 'dist-server/server/main.js'), 'utf8');
    expect(main).toMatch(/from "\.\/start\.js"/);
    expect(main).not.toMatch(/\.ts['"]/);
  });
});

describe('npm run start:prod', () => {
  it('serves /healthz and delivers a signed webhook with no TypeScript loader in the process', async () => {
    expect(build.status, build.output).toBe(0);
    const dir = mkdtempSync(join(dirname(root), 'data-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const configFile = writeConfig(dir, sandbox.url);
    const child = startNode('dist-server/server/production-main.js', { BATON_CONFIG: configFile, BATON_DATA_DIR: dir, PORT: String(port) });
    try {
      const health = await until(
        async () => {
          if (child.exitCode !== null) throw new Error(`start:prod exited ${child.exitCode}: ${child.output()}`);
          return fetch(`${url}/healthz`).then(
            (r) => (r.ok ? r : undefined),
            () => undefined,
          );
        },
        'start:prod healthy',
      );
      expect(await health.json()).toEqual({ status: 'ok' });
      // Exactly `node <file>`: no --import/--loader flag (and NODE_OPTIONS was empty).
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(argv).toEqual([process.execPath, 'dist-server/server/production-main.js']);

      const body = JSON.parse(readFileSync(join(root, 'samples/01-lost-cancellation.json'), 'utf8')) as { id: string; ticket?: { id: number } };
      body.id = 'evt_prod_build_1';
      const res = await postHandoff(url, 'acme', JSON.stringify(body));
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ status: 'queued' });
      // The worker analysed it on a worker thread (the compiled task) and wrote the ticket.
      const write = await until(() => sandbox.writes().find((c) => c.operation === 'UpdateTicket' || c.operation === 'CreateTicket'), 'the ticket write');
      if (body.ticket) expect(write.ticketId).toBe(body.ticket.id);
      expect(child.output()).not.toMatch(/tsx|ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
      // SIGTERM: a clean shutdown.
      child.kill('SIGTERM');
      const code = await exited(child);
      expect({ code, signal: child.signalCode }, child.output()).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses sandbox mode (no BATON_CONFIG) with exit 78 and says what to do', async () => {
    expect(build.status, build.output).toBe(0);
    const env: NodeJS.ProcessEnv = { BATON_CONFIG: '', BATON_DATA_DIR: mkdtempSync(join(dirname(root), 'sandbox-mode-')), PORT: String(await freePort()) };
    const child = startNode('dist-server/server/production-main.js', env);
    const code = await exited(child);
    expect(code).toBe(78);
    expect(child.output()).toMatch(/does not run sandbox mode/);
  });
});

describeIfPostgres('npm run start:prod on Postgres', () => {
  it('migrates a fresh database, is ready, and accepts a signed webhook', async () => {
    expect(build.status, build.output).toBe(0);
    const db = await freshDatabase('baton_prod_build');
    const dir = mkdtempSync(join(dirname(root), 'pg-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = startNode('dist-server/server/production-main.js', { BATON_CONFIG: writeConfig(dir, sandbox.url), BATON_DATA_DIR: dir, PORT: String(port), BATON_DATABASE_URL: db.url, BATON_WORKER: 'off' });
    try {
      await until(async () => {
        if (child.exitCode !== null) throw new Error(`start:prod exited ${child.exitCode}: ${child.output()}`);
        return fetch(`${url}/readyz`).then(
          (r) => (r.ok ? r : undefined),
          () => undefined,
        );
      }, 'start:prod ready on Postgres');
      const body = JSON.parse(readFileSync(join(root, 'samples/01-lost-cancellation.json'), 'utf8')) as { id: string };
      body.id = 'evt_prod_build_pg_1';
      const res = await postHandoff(url, 'acme', JSON.stringify(body));
      expect(res.status).toBe(202);
      child.kill('SIGTERM');
      expect(await exited(child), child.output()).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await db.drop();
    }
  });
});

describe('paths at run time', () => {
  it('the compiled server finds the app package in dist/ beside dist-server/ (the signed-URL sidebar serves it)', () => {
    expect(build.status, build.output).toBe(0);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('./dist-server/server/http/build-app.js'); console.log(m.DEFAULT_DIST_DIR)"], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(root, 'dist'));
  });
});

describe('bin/baton.js', () => {
  it('runs the compiled CLI when dist-server/ is there (tsx is not even installed)', () => {
    expect(build.status, build.output).toBe(0);
    const r = spawnSync(process.execPath, ['bin/baton.js', 'analyze', 'samples/01-lost-cancellation.json'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
  });

  it('runs the sources instead when one is newer than the build (here: tsx is missing, so it says so)', () => {
    expect(build.status, build.output).toBe(0);
    const source = join(root, 'server/cli/analyze-command.ts');
    const { atime, mtime } = statSync(source);
    utimesSync(source, new Date(), new Date(Date.now() + 60_000));
    try {
      const r = spawnSync(process.execPath, ['bin/baton.js', 'analyze', 'samples/01-lost-cancellation.json'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/tsx/);
    } finally {
      utimesSync(source, atime, mtime);
    }
  });
});

describe('npm run package', () => {
  it('writes release/baton-zendesk-app.zip: manifest.json at its root, every file the manifest names, and it validates', () => {
    expect(pack.status, pack.output).toBe(0);
    const zip = join(root, 'release/baton-zendesk-app.zip');
    expect(existsSync(zip)).toBe(true);
    const files = unzipSync(readFileSync(zip));
    const names = Object.keys(files);
    expect(names).toContain('manifest.json');
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as {
      defaultLocale: string;
      location: Record<string, Record<string, { url: string }>>;
    };
    const named = Object.values(manifest.location)
      .flatMap((locations) => Object.values(locations).map((l) => l.url))
      .filter((u) => !/^https?:/.test(u));
    expect(named.length).toBeGreaterThan(0);
    for (const f of [...named, 'assets/logo.png', 'assets/logo-small.png', `translations/${manifest.defaultLocale}.json`]) expect(names, f).toContain(f);

    // Unpacked, it passes the same validator `npm run validate:app` runs.
    const out = mkdtempSync(join(tmpdir(), 'baton-zip-'));
    for (const [name, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(out, name)), { recursive: true });
      writeFileSync(join(out, name), bytes);
    }
    const { errors } = validatePackage(out);
    expect(errors).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });
});
