/** A Zendesk sandbox in its own process, so the benchmark's fake helpdesk does not share Baton's event loop. */
import { startZendeskSandbox } from '../sandbox/zendesk/index.ts';

const sandbox = await startZendeskSandbox({
  latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 50),
  rateLimitPerMinute: 1_000_000,
  credentials: { email: 'bench@baton.test', apiToken: 'bench' },
  // Validation parses each body against the spec; it is part of the fake, not of Baton, so keep it off here.
  specPath: false,
});
process.stdout.write(`${sandbox.url}\n`);
process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
