/**
 * The evaluate route alone in its own process, for bench/evaluate.ts: the real config loader, router, middleware
 * and error handler, with a fixed FirstReplyStats (40 replies, median 290 s) so the wait path runs on every
 * request. Prints nothing; answers /healthz when up.
 */
import express from 'express';
import { loadConfig, type TenantConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { errorHandler } from '../server/http/errors.ts';
import { securityHeaders } from '../server/http/security-headers.ts';
import { evaluateRouter } from '../server/evaluate/evaluate-route.ts';
import { parseBusinessHours, parseEvaluateConfig } from '../server/evaluate/evaluate-config.ts';

const config = loadConfig();
const hours = parseBusinessHours({ timeZone: 'Europe/Berlin', weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]])), holidays: ['2026-12-25'] });
const tenants = new Map<string, TenantConfig>(config.tenants.map((t) => [t.id, { ...t, evaluate: parseEvaluateConfig(undefined), businessHours: hours } as TenantConfig]));
const logger = createLogger('error');
const app = express();
app.disable('x-powered-by');
app.use(securityHeaders());
app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
app.use(evaluateRouter({ config, tenants, logger, firstReplyStats: async () => ({ count: 40, p50Seconds: 290, p90Seconds: 1500 }) }));
app.use(errorHandler(logger));
app.listen(config.port, '127.0.0.1');
