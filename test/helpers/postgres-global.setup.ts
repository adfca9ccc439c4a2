/**
 * Vitest global setup: the Postgres cases run whenever they can, not only in CI. With no server named
 * (BATON_DATABASE_URL), a throwaway cluster is started for the run when the machine has PostgreSQL's binaries
 * (scripts/ci/postgres-cluster.sh) and stopped after it. Without them the Postgres cases are skipped with a warning,
 * except under BATON_REQUIRE_POSTGRES=1 (.ci/run), where the run fails instead.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/ci/postgres-cluster.sh', import.meta.url));

export default function setup(): (() => void) | undefined {
  if (process.env.BATON_DATABASE_URL || process.env.BATON_TEST_DATABASE_URL) return undefined;
  let exports: string;
  try {
    exports = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const why = `no Postgres server named (BATON_DATABASE_URL) and none could be started: ${((err as { stderr?: string }).stderr ?? String(err)).trim().split('\n').pop()}`;
    if (process.env.BATON_REQUIRE_POSTGRES === '1') throw new Error(why);
    process.stderr.write(`\n*** ${why}\n*** the Postgres cases of this run are SKIPPED (install postgresql to run them)\n\n`);
    return undefined;
  }
  const value = (name: string): string | undefined =>
    [...exports.matchAll(/^export (\w+)=(.*)$/gm)].find((m) => m[1] === name)?.[2]?.replace(/^'(.*)'$/, '$1');
  const url = value('BATON_DATABASE_URL');
  const dir = value('BATON_PG_CLUSTER_DIR');
  if (!url || !dir) throw new Error(`postgres-cluster.sh printed no URL: ${exports}`);
  // Read by test/helpers/postgres.ts in every worker (forked after this runs); never BATON_DATABASE_URL itself.
  process.env.BATON_TEST_DATABASE_URL = url;
  return () => {
    execFileSync('bash', [script, 'stop', dir], { stdio: 'ignore' });
  };
}
