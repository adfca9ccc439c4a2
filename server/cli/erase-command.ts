/**
 * `baton erase --tenant ID (--email ADDRESS | --customer-id ID)` deletes every handoff of one customer of one
 * tenant (GDPR/CCPA erasure), whatever its state, and prints the counts. Other tenants' rows are never
 * touched. Works on the store directly (the SQLite file in BATON_DATA_DIR, or Postgres at BATON_DATABASE_URL), so it needs no admin token.
 */
import { parseArgs } from 'node:util';
import { openCliStore } from './open-store.ts';
import { parseErasureRequest } from '../http/erasure-request.ts';

const USAGE = 'usage: baton erase --tenant ID (--email ADDRESS | --customer-id ID)\n';

export async function run(argv: string[]): Promise<number> {
  let values: { tenant?: string; email?: string; 'customer-id'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { tenant: { type: 'string' }, email: { type: 'string' }, 'customer-id': { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`baton erase: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const parsed = parseErasureRequest({
    ...(values.email !== undefined ? { email: values.email } : {}),
    ...(values['customer-id'] !== undefined ? { customerId: values['customer-id'] } : {}),
  });
  const problems = 'problems' in parsed ? parsed.problems.map((p) => `${p.field === 'customerId' ? '--customer-id' : `--${p.field}`} ${p.problem}`) : [];
  if (!values.tenant) problems.unshift('--tenant is required');
  if (problems.length || 'problems' in parsed || !values.tenant) {
    process.stderr.write(`baton erase: ${problems.join('; ')}\n${USAGE}`);
    return 2;
  }
  const store = await openCliStore();
  if (!store) return 1;
  try {
    const c = await store.eraseCustomer(values.tenant, parsed.who);
    process.stdout.write(
      `Erased for tenant ${values.tenant}: events=${c.events} jobs=${c.jobs} reports=${c.reports} deliveries=${c.deliveries} feedback=${c.feedback}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
