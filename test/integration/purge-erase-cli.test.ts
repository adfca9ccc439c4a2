/** `baton purge --before` and `baton erase` on the store file (BATON_DATA_DIR): counts, bad input, raw bytes. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { openSqliteStore } from '../../server/store/store.ts';
import { normalizeGenericHandoff } from '../../server/bots/generic/normalize.ts';
import { filesContaining } from '../helpers/raw-store-bytes.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

async function baton(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, BATON_DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// SQLite in the Postgres pass too (BATON_TEST_STORE): the CLI gets no BATON_DATABASE_URL, as the checks read the file's raw bytes.

/** A store with one delivered handoff per (tenant, email, text), accepted at `at` (ms). */
async function seeded(rows: Array<{ tenant: string; id: string; email: string; text: string; at: number }>) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-purge-'));
  let now = 0;
  const store = openSqliteStore(join(dir, 'baton.sqlite'), () => now);
  for (const r of rows) {
    now = r.at;
    const ev = normalizeGenericHandoff({ id: r.id, conversation: { id: 'c' }, customer: { email: r.email }, messages: [{ role: 'customer', text: r.text }] }, r.tenant, new Date(r.at).toISOString());
    const { handoffId } = await store.accept(ev);
    await store.claim(now, 5000, 10);
    await store.complete({ handoffId, tenantId: r.tenant, ref: { helpdesk: 'zendesk', id: '1' }, outcome: 'updated' }, { version: 1, summary: { text: r.text } } as never);
  }
  await store.close();
  return { dir, dbFile: join(dir, 'baton.sqlite') };
}

describe('baton purge', () => {
  it('deletes finished handoffs received before the date and prints the counts', async () => {
    const old = `OLD-${randomBytes(6).toString('hex')}`;
    const fresh = `FRESH-${randomBytes(6).toString('hex')}`;
    const { dir, dbFile } = await seeded([
      { tenant: 'acme', id: 'e_old', email: 'a@x.test', text: old, at: Date.parse('2026-01-10T00:00:00Z') },
      { tenant: 'acme', id: 'e_new', email: 'a@x.test', text: fresh, at: Date.parse('2026-03-10T00:00:00Z') },
    ]);
    const r = await baton(dir, 'purge', '--before', '2026-02-01');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('events=1 jobs=1 reports=1 deliveries=1 feedback=0');
    expect(filesContaining(dbFile, old)).toEqual([]);
    expect(filesContaining(dbFile, fresh).length).toBeGreaterThan(0);
  });

  it('refuses a missing or bad date with usage and exit 2', async () => {
    const { dir } = await seeded([]);
    for (const args of [[], ['--before'], ['--before', 'yesterday'], ['--before', '2026-13-45'], ['--after', '2026-01-01']]) {
      const r = await baton(dir, 'purge', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: baton purge');
    }
  });
});

describe('baton erase', () => {
  it("erases one customer's handoffs for one tenant only and prints the counts", async () => {
    const mine = `MINE-${randomBytes(6).toString('hex')}`;
    const otherTenant = `GLOBEX-${randomBytes(6).toString('hex')}`;
    const { dir, dbFile } = await seeded([
      { tenant: 'acme', id: 'e1', email: 'x@y.test', text: mine, at: Date.now() },
      { tenant: 'globex', id: 'e1', email: 'x@y.test', text: otherTenant, at: Date.now() },
    ]);
    const r = await baton(dir, 'erase', '--tenant', 'acme', '--email', 'X@Y.test');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Erased for tenant acme: events=1 jobs=1 reports=1 deliveries=1 feedback=0');
    expect(filesContaining(dbFile, mine)).toEqual([]);
    expect(filesContaining(dbFile, otherTenant).length).toBeGreaterThan(0);
  });

  it('names the problem on bad arguments (exit 2)', async () => {
    const { dir } = await seeded([]);
    const cases: Array<[string[], string]> = [
      [['--email', 'x@y.test'], '--tenant is required'],
      [['--tenant', 'acme'], '--email give email or customerId'],
      [['--tenant', 'acme', '--email', 'x@y.test', '--customer-id', 'c1'], 'not both'],
      [['--tenant', 'acme', '--email', 'nope'], '--email must be an email address'],
      [['--tenant', 'acme', '--phone', '1'], "Unknown option '--phone'"],
    ];
    for (const [args, message] of cases) {
      const r = await baton(dir, 'erase', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});
