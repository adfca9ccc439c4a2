/**
 * Test-only entry point: the real server (config from the environment, like server/main.ts) whose analysis
 * freezes the process for good on any handoff containing FREEZE_MARKER, the way a catastrophic regular
 * expression did. Used by test/integration/analysis-crash-loop.test.ts; production code has no such hook.
 */
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startBaton } from '../../server/start.ts';
import { analyze } from '../../server/analysis/index.ts';
import { FREEZE_MARKER } from './freeze-marker.ts';

const config = loadConfig(process.env);
const baton = await startBaton(config, {
  logger: createLogger(config.logLevel),
  analyze: (event, options) => {
    if (event.messages.some((m) => m.text.includes(FREEZE_MARKER))) {
      // Blocks the main thread forever without burning a core, like a frozen event loop.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    return analyze(event, options);
  },
});
process.once('SIGTERM', () => void baton.close().then(() => process.exit(0)));
