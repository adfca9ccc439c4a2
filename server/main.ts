/**
 * `npm start`: read config once, start Baton, shut down cleanly on SIGTERM/SIGINT (within 10 s).
 */
import { ConfigError, DEMO_TENANT_ID, DEMO_WEBHOOK_SECRET, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startBaton } from './start.ts';
import { DataDirInUseError } from './store/process-lock.ts';
import { appBuildIsStale, ensureAppBuilt } from './http/build-app.ts';
import { sandboxConnectLines } from './connect/connect-wiring.ts';
import { helpdeskModules } from './helpdesks/registry.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`baton: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.sandbox && config.allowPublicSandbox) {
    // Forced with BATON_ALLOW_PUBLIC_SANDBOX=1: say it loudly, every start.
    const line = '!'.repeat(100);
    process.stderr.write(
      `${line}\nbaton: WARNING: sandbox mode is reachable beyond this machine (HOST=${config.host}, BATON_ALLOW_PUBLIC_SANDBOX=1).\n` +
        `baton: /preview and the /sandbox/<helpdesk> pages show every stored transcript to anyone who can reach it, without authentication.\n${line}\n`,
    );
    logger.warn({ host: config.host }, 'sandbox mode exposed beyond loopback (BATON_ALLOW_PUBLIC_SANDBOX=1)');
  }
  let baton;
  try {
    baton = await startBaton(config, { logger });
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      process.stderr.write(`baton: ${err.message}; stop it, or set BATON_DATA_DIR to another directory\n`);
      process.exit(75); // EX_TEMPFAIL: try again once the other server has stopped
    }
    if (err instanceof Error && /SpecUnavailableError$/.test(err.name)) {
      // By name: production code does not import sandbox/ (e.g. sandbox/zendesk/spec-validator.ts).
      process.stderr.write(`baton: ${err.message}\n`);
      process.exit(78); // EX_CONFIG: sandbox mode needs the helpdesk's API spec file
    }
    throw err;
  }
  logger.info({ url: baton.url, tenants: [...baton.tenants.keys()], sandbox: config.sandbox, dataDir: config.dataDir, store: await baton.store.describe() }, 'baton listening');
  if (config.sandbox && appBuildIsStale()) {
    // /preview hosts the built sidebar; build it once so the quick start needs no extra step.
    logger.info('building the sidebar app into dist/ for /preview');
    ensureAppBuilt({ quiet: true }).then(
      () => logger.info({ preview: `${baton.url}/preview?ticket=35436` }, 'sidebar app built'),
      (err: unknown) => logger.warn({ err }, 'could not build the sidebar app; run `npm run build`'),
    );
  }
  if (config.sandbox) {
    process.stdout.write(
      [
        '',
        `Baton is running in sandbox mode on ${baton.url}`,
        `  demo tenant "${DEMO_TENANT_ID}", webhook secret "${DEMO_WEBHOOK_SECRET}"`,
        ...Object.keys(config.tenants[0]?.helpdesks ?? {}).map((name) => `  ${name} sandbox:${' '.repeat(Math.max(1, 19 - name.length))}${baton.url}/sandbox/${name}/`),
        `  send the sample handoffs:   npm run demo`,
        `  see the agent sidebar:      ${baton.url}/preview?ticket=35436`,
        `  or send one yourself:       POST ${baton.url}/v1/tenants/${DEMO_TENANT_ID}/handoffs (see README, "Generic webhook")`,
        // The same Connect flow an admin uses in production, against the sandboxes' OAuth (issue 13).
        ...sandboxConnectLines(baton.url, new Map(helpdeskModules().flatMap((m) => (m.oauth ? [[m.name, m.oauth] as const] : [])))).map((l) => `  ${l}`),
        '',
      ].join('\n'),
    );
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const hardStop = setTimeout(() => process.exit(1), 10_000);
    hardStop.unref();
    baton.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`baton: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
