/**
 * `baton migrate` and `openStore`: Postgres when BATON_DATABASE_URL is set (those cases run when a server is
 * configured), SQLite in the data directory otherwise.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../server/cli/migrate-command.ts';
import { openStore } from '../../../server/store/open-store.ts';
import { DataDirInUseError } from '../../../server/store/process-lock.ts';
import { POSTGRES_MIGRATIONS } from '../../../server/store/postgres/migrations/index.ts';
import { MIGRATIONS } from '../../../server/store/schema.ts';
import { describeIfPostgres, freshDatabase, type FreshDatabase } from '../../helpers/postgres.ts';
import { freePort } from '../../helpers/child-server.ts';

const saved = { url: process.env.BATON_DATABASE_URL, dir: process.env.BATON_DATA_DIR };
const dbs: FreshDatabase[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  if (saved.url === undefined) delete process.env.BATON_DATABASE_URL;
  else process.env.BATON_DATABASE_URL = saved.url;
  if (saved.dir === undefined) delete process.env.BATON_DATA_DIR;
  else process.env.BATON_DATA_DIR = saved.dir;
  for (const d of dbs.splice(0)) await d.drop();
});

/** Runs the command with output captured. */
async function migrate(argv: string[] = []) {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const code = await run(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('baton migrate on SQLite', () => {
  it('opens (creating) the store in BATON_DATA_DIR, which migrates it, and says so', async () => {
    delete process.env.BATON_DATABASE_URL;
    const dir = mkdtempSync(join(tmpdir(), 'baton-migrate-'));
    process.env.BATON_DATA_DIR = dir;
    const first = await migrate();
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain(`created and migrated to version ${MIGRATIONS.length} of ${MIGRATIONS.length}`);
    expect(existsSync(join(dir, 'baton.sqlite'))).toBe(true);
    expect((await migrate()).out).toContain('opened and migrated');
  });

  it('refuses arguments it does not know', async () => {
    const r = await migrate(['--down']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unexpected argument --down');
  });
});

describe('openStore', () => {
  it('without a database URL: SQLite under the data-directory lock, released when the store closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-open-'));
    const config = { dbFile: join(dir, 'baton.sqlite'), durability: 'normal' as const };
    const store = await openStore(config);
    expect(store.kind).toBe('sqlite');
    await expect(openStore(config)).rejects.toBeInstanceOf(DataDirInUseError);
    // A CLI command beside the server does not take the lock.
    const beside = await openStore(config, { processLock: false });
    await beside.close();
    await store.close();
    const again = await openStore(config);
    await again.close();
  });
});

describeIfPostgres('baton migrate and openStore on Postgres', () => {
  it('applies every migration once and prints them; a second run finds nothing to do', async () => {
    const db = await freshDatabase('baton_migrate');
    dbs.push(db);
    process.env.BATON_DATABASE_URL = db.url;
    const first = await migrate();
    expect(first.code).toBe(0);
    expect(first.out.trim().split('\n')).toEqual(POSTGRES_MIGRATIONS.map((m) => expect.stringMatching(new RegExp(`^applied ${String(m.version).padStart(4, '0')}-${m.name} to postgres .*/${db.name}$`))));
    const second = await migrate();
    expect(second.out).toContain(`is up to date (version ${POSTGRES_MIGRATIONS.length})`);
    // A store opening afterwards has nothing left to apply.
    const store = await openStore({ dbFile: '/nonexistent/baton.sqlite', durability: 'normal', databaseUrl: db.url });
    expect(store.kind).toBe('postgres');
    expect((store as unknown as { migrations: { applied: unknown[] } }).migrations.applied).toEqual([]);
    await store.close();
  });

  it('an unreachable server fails with exit 1 and never prints the password', async () => {
    process.env.BATON_DATABASE_URL = `postgres://baton:s3cret-pw@127.0.0.1:${await freePort()}/nowhere`;
    const r = await migrate();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^baton migrate: postgres 127\.0\.0\.1:\d+\/nowhere: /);
    expect(r.err + r.out).not.toContain('s3cret-pw');
  });
});
