/**
 * `npm run start:prod` → `node dist-server/server/production-main.js`: the compiled server (npm run build), no
 * TypeScript loader. Sandbox mode (no BATON_CONFIG) is refused here: it is a development aid whose pieces are not
 * part of a production install (the helpdesks' OpenAPI specs under test/fixtures, Vite to build /preview), and its
 * pages show transcripts without authentication. Everything else is `main.ts`, unchanged.
 */
import { loadConfig } from './config.ts';

let sandbox = false;
try {
  sandbox = loadConfig(process.env).sandbox;
} catch {
  // main.ts reports a bad config itself (exit 78), in its own words.
}
if (sandbox) {
  process.stderr.write(
    'baton: start:prod does not run sandbox mode (no BATON_CONFIG was given). Set BATON_CONFIG to your config file ' +
      '(docs/deploy.md), or use `npm start` for the local sandbox.\n',
  );
  process.exit(78); // EX_CONFIG
}
await import('./main.ts');
