/**
 * One server per data directory: a second one, in another process or this one, refuses to start instead of
 * taking back the first one's running jobs and writing them twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { startBaton } from '../../server/start.ts';
import { DataDirInUseError } from '../../server/store/process-lock.ts';
import { createLogger } from '../../server/logger.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// store: 'sqlite' even in the Postgres pass (BATON_TEST_STORE=postgres): this is about SQLite's data-directory lock.
describe('data directory lock', () => {
  it('a second server process on the same data directory exits 75 and says why', async () => {
    h = await startHarness({ store: 'sqlite', worker: false });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, BATON_CONFIG: h.configFile, BATON_DATA_DIR: h.dir, PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(75);
    expect(r.stderr).toContain(`another Baton server is already using the data directory ${h.dir}`);
    // The running server is untouched.
    expect(await h.baton.store.ping()).toBe(true);
  });

  it('in one process too, and the directory is free again once the first server has stopped', async () => {
    h = await startHarness({ store: 'sqlite', worker: false });
    const logger = createLogger('silent');
    await expect(startBaton(h.config, { logger, worker: false })).rejects.toBeInstanceOf(DataDirInUseError);
    await h.baton.close();
    const again = await startBaton(h.config, { logger, worker: false });
    expect(await again.store.ping()).toBe(true);
    await again.close();
  });
});
