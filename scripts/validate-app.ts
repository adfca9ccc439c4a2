/**
 * `npm run validate:app` → tsx scripts/validate-app.ts dist
 * Checks a built Zendesk app package offline with the rules of Zendesk's own validator (see
 * scripts/validate-app/rules.ts). Exits 1 on any error; warnings are printed but do not fail.
 */
import { resolve } from 'node:path';
import { formatIssue, validatePackage } from './validate-app/rules.ts';

export function main(argv: string[]): number {
  const dir = resolve(argv[0] ?? 'dist');
  const { errors, warnings } = validatePackage(dir);
  if (warnings.length) {
    console.warn(`${warnings.length} warning(s):`);
    for (const w of warnings) console.warn(formatIssue(w));
  }
  if (errors.length) {
    console.error(`✗ ${dir} is not a valid Zendesk app package: ${errors.length} error(s):`);
    for (const e of errors) console.error(formatIssue(e));
    return 1;
  }
  console.log(`✓ ${dir} passes the Zendesk app package checks${warnings.length ? ` (${warnings.length} warning(s))` : ''}.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('validate-app.ts')) {
  process.exitCode = main(process.argv.slice(2));
}
