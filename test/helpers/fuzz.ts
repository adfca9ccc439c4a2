/**
 * Seeded HTTP fuzzing of every endpoint Baton serves (issue 7, "Done when"): two real Batons in this process,
 * each on a loopback port with a real SQLite file in a temp dir — one configured like the test harness (tenants
 * acme and globex writing to a Zendesk sandbox on another port, admin API on), one in sandbox mode (demo
 * tenant, /preview, the built-in /sandbox/zendesk). Requests are plans drawn by fast-check from a seed, so a
 * failure shrinks to a minimal reproducing request and replays from (seed, path).
 *
 * A request fails the run when the answer is 5xx, or the connection errors or times out. Everything else
 * (any 1xx–4xx) only counts. Used by `npm run fuzz` (scripts/fuzz.ts) and test/integration/fuzz.test.ts.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import http from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { Express } from 'express';
import { match } from 'path-to-regexp';
import { DEMO_APP_SECRET, DEMO_TENANT_ID, DEMO_WEBHOOK_SECRET, loadConfig } from '../../server/config.ts';
import { DEMO_SUBDOMAIN } from '../../server/helpdesks/zendesk/zendesk-config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from './test-store.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { PREVIEW_APP_PREFIX } from '../../app/preview/preview-routes.ts';
import { botAdapters } from '../../server/bots/registry.ts';
import { signHubPayload } from '../../server/bots/intercom/verify.ts';
import { signCanvasBody } from '../../server/helpdesks/intercom/canvas-signature.ts';
import { FEEDBACK_NO_ID, FEEDBACK_YES_ID } from '../../server/helpdesks/intercom/canvas.ts';
import { DEMO_INTERCOM_CLIENT_SECRET } from '../../server/helpdesks/intercom/intercom-config.ts';
import { DEMO_WEBHOOK_SIGNING_SECRET } from '../../server/helpdesks/zendesk/zendesk-config.ts';
import { signZendeskWebhook } from '../../server/helpdesks/zendesk/webhook-signature.ts';
import { ACME, GLOBEX, startHarness, type Harness } from './harness.ts';
import { freePort } from './child-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FUZZ_ADMIN_TOKEN = 'fuzz_admin_token_0123456789';
const AGENT = '4242';
const SEEDED_TICKETS = [35436, 35437, 35438];

// ---------------------------------------------------------------------------------------------------------
// Targets

export type TargetName = 'cfg' | 'sbx';

export interface RouteInfo {
  target: TargetName;
  /** Upper-case methods, or `*` for a middleware mount that answers any method. */
  methods: string[];
  path: string;
}

export interface Targets {
  cfg: { baton: BatonInstance; harness: Harness; host: string; port: number };
  sbx: { baton: BatonInstance; host: string; port: number };
  routes: RouteInfo[];
  /** Log lines at level error or above from either Baton (the why behind a 5xx). */
  errorLogs: string[];
  close(): Promise<void>;
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: unknown };

/** Every route of an Express 5 app, read from its router stack (mounted routers included). */
export function listRoutes(app: Express, target: TargetName): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      const raws = (Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath]).map((p) => (typeof p === 'string' && p !== '/' ? p : ''));
      if (layer.route) {
        const methods = Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => m.toUpperCase());
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) out.push({ target, methods: layer.route.methods._all ? ['*'] : methods, path: prefix + p });
      } else {
        for (const raw of raws) {
          if (layer.handle?.stack) walk(layer.handle.stack, prefix + raw);
          else if (raw) out.push({ target, methods: ['*'], path: prefix + raw }); // router.use('/prefix', fn): answers below it
        }
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const seen = new Set<string>();
  return out.filter((r) => {
    const k = `${r.target} ${r.methods.join(',')} ${r.path}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** A stand-in for the built app (sidebar and insights pages), so /preview and /preview/insights answer its page instead of "not built" (503). */
function fakeDist(dir: string): string {
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'assets', 'iframe.html'), '<!doctype html><html><head><title>app</title></head><body>app</body></html>');
  // The nav_bar dashboard's page (/preview/insights serves it with the sandbox figures).
  writeFileSync(join(dist, 'assets', 'insights.html'), '<!doctype html><html><head><title>insights</title></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dist, 'assets', 'main.js'), 'console.log("app");');
  return dist;
}

export async function startTargets(): Promise<Targets> {
  // As in production: tenants created through the admin API are sealed with a master key (server/tenants).
  process.env.BATON_MASTER_KEY ||= randomBytes(32).toString('base64');
  const errorLogs: string[] = [];
  const logStream = {
    write(line: string): void {
      // Dead letters are expected here (fuzzed ticket ids do not exist); anything else at error level is kept.
      if (/"level":(5\d|60)/.test(line) && !line.includes('"msg":"job dead-lettered"') && errorLogs.length < 200) errorLogs.push(line.trim());
    },
  };
  const harness = await startHarness({
    acmeTenant: { bots: fuzzBotsSection() },
    sandbox: { rateLimitPerMinute: 1_000_000, ticketUpdateLimit: { max: 1_000_000, windowMs: 600_000 } },
    extra: { adminToken: FUZZ_ADMIN_TOKEN },
    logStream,
    logLevel: 'error',
  });
  const sbxDir = mkdtempSync(join(tmpdir(), 'baton-fuzz-sbx-'));
  const port = await freePort();
  const sbxConfig = loadConfig({ PORT: String(port), HOST: '127.0.0.1', BATON_DATA_DIR: sbxDir });
  const sbxBaton = await startTestBaton(sbxConfig, { logger: createLogger('error', logStream), distDir: fakeDist(sbxDir) });
  const cfgUrl = new URL(harness.baton.url);
  return {
    cfg: { baton: harness.baton, harness, host: cfgUrl.hostname, port: harness.baton.port },
    sbx: { baton: sbxBaton, host: '127.0.0.1', port: sbxBaton.port },
    routes: [...listRoutes(harness.baton.app, 'cfg'), ...listRoutes(sbxBaton.app, 'sbx')],
    errorLogs,
    close: async () => {
      await sbxBaton.close();
      await harness.close();
      rmSync(sbxDir, { recursive: true, force: true });
      rmSync(harness.dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Inputs

function loadSamples(): Array<Record<string, unknown>> {
  const files = [
    ...readdirSync(join(ROOT, 'samples')).map((f) => join(ROOT, 'samples', f)),
    ...readdirSync(join(ROOT, 'test/fixtures/transcripts')).map((f) => join(ROOT, 'test/fixtures/transcripts', f)),
  ].filter((f) => f.endsWith('.json'));
  return files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>);
}
const SAMPLES = loadSamples();

const specialStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '💥🧨',
  'e\u0301\u200d\u202e',
  '{{setting.shared_secret}}',
  '{{jwt.token}}',
  '{% raw %}x{% endraw %}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '%00',
  '%zz',
  'null',
  '__proto__',
  'constructor',
  'prototype',
  '4111 1111 1111 1111',
  'javascript:alert(1)',
  '9'.repeat(400),
  '-0',
  '1e400',
);

/** Long strings built cheaply (and shrunk by their repeat count), with the run `a.a.a.…@x` that once stalled analysis. */
const hugeString = fc.oneof(
  fc
    .record({ unit: fc.constantFrom('a', 'a.', 'a@', 'a.a@x ', '€', '😀', ' ', '\n', 'http://a.b/', '4111 1111 1111 1111 ', 'Ab1-'), times: fc.noBias(fc.integer({ min: 1, max: 400_000 })) })
    .map(({ unit, times }) => unit.repeat(Math.min(times, Math.floor(600_000 / unit.length)))),
  fc.constantFrom(1_000, 10_000, 100_000).map((n) => `${'a.'.repeat(n)}@x`),
);

const weirdString = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 3, arbitrary: specialStrings },
  { weight: 1, arbitrary: hugeString },
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: weirdString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 2 ** 53 + 1, 1e308, -1e-308, 0.5) },
  { weight: 1, arbitrary: fc.array(weirdString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(weirdString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) },
);

/** A change to the parsed sample: which node (each step picks a child by index) and what to do there. */
type TreeMutation = { op: 'delete' | 'set' | 'add' | 'arrayify' | 'wrap' | 'empty' | 'setString'; path: number[]; key: string; value: unknown };
const treeMutation: fc.Arbitrary<TreeMutation> = fc.record({
  op: fc.constantFrom('delete', 'set', 'set', 'add', 'arrayify', 'wrap', 'empty'),
  path: fc.array(fc.nat(), { maxLength: 5 }),
  key: fc.oneof(fc.constantFrom('id', 'text', 'role', 'messages', 'at', 'extra', '__proto__', 'constructor'), weirdString),
  value: anyJson,
});

/** Replaces a string leaf (or adds an unknown string field): content the schema still accepts. */
const stringMutation: fc.Arbitrary<TreeMutation> = fc.record({
  op: fc.constant('setString' as const),
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
  key: fc.constantFrom('text', 'name', 'reason', 'intent', 'title'),
  value: weirdString,
});

/** An unknown field nested deep (unknown fields pass the schema): once failed a whole group commit. */
const deepMutation = fc.record({
  kind: fc.constant('deep' as const),
  depth: fc.oneof(fc.constantFrom(100, 1_000, 5_000, 10_000, 20_000), fc.noBias(fc.integer({ min: 1, max: 20_000 }))),
  bracket: fc.constantFrom('[' as const, '{' as const),
});

/** A change to the serialized text: the parser's problems, not the schema's. */
type RawMutation =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicateKey'; key: string; value: string; first: boolean }
  | { kind: 'deep'; depth: number; bracket: '[' | '{' }
  | { kind: 'garbage'; text: string }
  | { kind: 'bom' }
  | { kind: 'replace'; text: string }
  | { kind: 'bytes'; bytes: number[] };
const rawMutation: fc.Arbitrary<RawMutation> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('duplicateKey' as const),
      key: fc.constantFrom('id', 'messages', 'ticket', 'handoff', 'customer', 'conversation'),
      value: fc.constantFrom('null', '"x"', '[]', '{}', '1', '[{"role":"customer","text":"dup"}]', '{"id":1}'),
      first: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: deepMutation },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), text: weirdString }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), text: weirdString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }) }) },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'APPLICATION/JSON',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/json; charset=utf-16le',
  'application/json; charset=bogus',
  'application/json; charset="utf-8"',
  'application/vnd.api+json',
  'application/json, text/plain',
  'text/plain',
  'text/html; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  '*/*',
  '',
  '(none)',
);

const encoding = fc.constantFrom('utf8', 'utf8', 'utf8', 'utf16le', 'latin1', 'gzip-claimed');

function headerSafe(s: string): string {
  // Node refuses to send other characters; the server never sees them anyway.
  return [...s].map((c) => (/^[\t\x20-\x7e\x80-\xff]$/.test(c) ? c : '?')).join('').slice(0, 4096);
}

/** Lone surrogates cannot be percent-encoded as UTF-8; replace them (raw bad escapes are drawn separately). */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function segment(s: string): string {
  return encodeURIComponent(wellFormed(s.slice(0, 2000)));
}

/** Already-encoded path pieces that no encoder would produce: bad escapes, overlong and surrogate UTF-8. */
const rawSegment = fc.constantFrom('%', '%zz', '%00', '%ED%A0%80', '%C0%AF', '%FF', '..', '.', '', '%2e%2e', '%2F');

// ---------------------------------------------------------------------------------------------------------
// Bot platforms (issue 9): every adapter with its own route under /v1/tenants/:tenantId/bots/<platform>.

/** The configured Baton's acme tenant sends from every bot platform (Sunshine once its adapter is registered). */
export const FUZZ_BOT_TOKENS = { dialogflowCx: 'fuzz_df_token_1', rasa: 'fuzz_rasa_token_1', botFramework: 'fuzz_bf_token_1', fin: 'fuzz_fin_token_1' } as const;
const FUZZ_SUNSHINE = {
  appId: '5e4af71a81966cfff3ef6550',
  keyId: 'app_5e4af71a81966cfff3ef6551',
  keySecret: 'sc_key_secret_1',
  webhookSecret: 'sc_webhook_secret_fuzz_1',
  // Nothing listens there: transcript fetches fail fast and are retried, then dead-lettered.
  baseUrl: 'http://127.0.0.1:9',
  mode: 'relay',
};
const hasAdapter = (key: string): boolean => botAdapters().some((a) => a.configKey === key);

export function fuzzBotsSection(): Record<string, unknown> {
  return {
    dialogflowCx: { token: FUZZ_BOT_TOKENS.dialogflowCx },
    rasa: { token: FUZZ_BOT_TOKENS.rasa },
    botFramework: { token: FUZZ_BOT_TOKENS.botFramework },
    fin: { token: FUZZ_BOT_TOKENS.fin },
    ...(hasAdapter('sunshine') ? { sunshine: FUZZ_SUNSHINE } : {}),
  };
}

type Json = Record<string, unknown>;
const botFixture = (p: string): Json => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/bot-platforms', p), 'utf8')) as Json;

const INTERCOM_WEBHOOK = botFixture('intercom/webhook-conversation-admin-assigned-fin.assembled.json');
/** The sandbox Intercom's seeded Fin conversation (the demo's), which the canvas looks up. */
const INTERCOM_CONVERSATION = '215468352873095';

/** A platform's real payloads, addressed to a seeded ticket and (when `fresh` is given) made new. */
type BotSample = (ticket: number, fresh: string | undefined) => unknown;
interface BotPlatform {
  /** Route segment and adapter name. */
  name: string;
  configKey: string;
  /** How its own credential travels. */
  auth: 'bearer' | 'api-key';
  samples: BotSample[];
}

function loadBotPlatforms(): BotPlatform[] {
  const df = botFixture('dialogflow-cx/webhook-request-handoff.assembled.json');
  const telecom = botFixture('dialogflow-cx/webhook-request-telecom-sample.json');
  const rasaBot = botFixture('rasa/tracker-moodbot-with-bot-events.assembled.json');
  const rasaRaw = botFixture('rasa/tracker-moodbot.json');
  const bf = botFixture('microsoft-bot-framework/copilot-studio-directline-handoff-initiate.json');
  const finStatus = botFixture('fin/fin-agent-status-updated-escalated.assembled-from-schema-examples.json');
  const finStart = botFixture('fin/fin-agent-start-request-with-history.json') as { message: Json; user: Json; conversation_metadata: { history: Json[] } };
  const list: BotPlatform[] = [
    {
      name: 'dialogflow-cx',
      configKey: 'dialogflowCx',
      auth: 'bearer',
      samples: [
        (ticket, fresh) => ({ ...structuredClone(df), ...(fresh ? { detectIntentResponseId: fresh } : {}), payload: { ...(df.payload as Json), ticket: { id: ticket } } }),
        // No ticket: Baton creates one for the payload's customer.
        (_t, fresh) => ({ ...structuredClone(df), ...(fresh ? { detectIntentResponseId: fresh } : {}) }),
        // Not a handoff tag: 200 with an empty WebhookResponse.
        (_t, fresh) => ({ ...structuredClone(telecom), detectIntentResponseId: fresh ?? 'telecom-1', text: 'my bill looks wrong' }),
      ],
    },
    {
      name: 'rasa',
      configKey: 'rasa',
      auth: 'bearer',
      samples: [
        (ticket, fresh) => ({ ...structuredClone(rasaBot), ...(fresh ? { sender_id: fresh } : {}), baton: { ticket: { id: ticket } } }),
        (ticket, fresh) => ({ ...structuredClone(rasaRaw), ...(fresh ? { sender_id: fresh } : {}), baton: { ticket: { id: ticket }, handoff: { reason: 'customer_request' } } }),
      ],
    },
    {
      name: 'botframework',
      configKey: 'botFramework',
      auth: 'bearer',
      samples: [
        (ticket, fresh) => {
          const b = structuredClone(bf) as { activities: Json[] };
          const a = b.activities[0]!;
          if (fresh) a.id = fresh;
          a.value = { ...(a.value as Json), ticket: { id: ticket } };
          return b;
        },
        (ticket, fresh) => {
          const a = structuredClone((bf as { activities: Json[] }).activities[0]!);
          if (fresh) a.id = fresh;
          a.value = { ...(a.value as Json), customer: { email: 'c2@example.com' }, ticket: { id: ticket } };
          return a;
        },
        () => ({ type: 'event', name: 'handoff.status', value: { state: 'completed' }, conversation: { id: 'c1' } }),
      ],
    },
    {
      name: 'fin',
      configKey: 'fin',
      auth: 'bearer',
      samples: [
        (ticket, fresh) => ({ ...structuredClone(finStatus), ...(fresh ? { conversation_id: fresh } : {}), history: structuredClone([...finStart.conversation_metadata.history, finStart.message]), user: structuredClone(finStart.user), baton: { ticket: { id: ticket } } }),
        (_t, fresh) => ({ ...structuredClone(finStatus), ...(fresh ? { conversation_id: fresh } : {}), history: structuredClone(finStart.conversation_metadata.history), user: structuredClone(finStart.user) }),
        () => ({ ...structuredClone(finStatus), status: 'resolved' }),
      ],
    },
  ];
  if (hasAdapter('sunshine')) {
    const files = ['webhook-switchboard-passControl.json', 'webhook-switchboard-offerControl.json', 'webhook-conversation-message.json', 'webhook-switchboard-releaseControl.json'];
    const bodies = files.map((f) => botFixture(`sunshine-conversations/${f}`));
    list.push({
      name: 'sunshine',
      configKey: 'sunshine',
      auth: 'api-key',
      samples: bodies.map((b) => (_t: number, fresh: string | undefined) => {
        const c = structuredClone(b) as { events?: Json[] };
        if (fresh && Array.isArray(c.events)) c.events.forEach((e, i) => (e.id = `${fresh}_${i}`));
        return c;
      }),
    });
  }
  return list;
}
const BOT_PLATFORMS = loadBotPlatforms();

/** A raw setting of a platform's section: the fuzz config's on `cfg`, the demo tenant's (sandbox mode) on `sbx`. */
function botSetting(platform: BotPlatform, target: TargetName, key: string): string {
  const section = target === 'cfg' ? (fuzzBotsSection()[platform.configKey] as Json | undefined) : botAdapters().find((a) => a.configKey === platform.configKey)?.sandboxSection?.('http://127.0.0.1:0');
  const v = section?.[key];
  return typeof v === 'string' ? v : `no-${key}`;
}

/** The credential a platform's route accepts for the target's tenant. */
function botCredential(platform: BotPlatform, target: TargetName): string {
  return botSetting(platform, target, platform.auth === 'api-key' ? 'webhookSecret' : 'token');
}

// ---------------------------------------------------------------------------------------------------------
// Plans: pure data (what fast-check draws and shrinks); build() turns one into an HTTP request.

/** `null` but once in `every` draws (fc.option's freq is the other way round). */
function rarely<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

const otherMethods = fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'FOO');

const webhookPlan = fc.record({
  endpoint: fc.constant('webhook' as const),
  target: fc.constantFrom('cfg', 'cfg', 'cfg', 'sbx') as fc.Arbitrary<TargetName>,
  tenant: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('acme', 'globex', 'acme') }, { weight: 1, arbitrary: fc.constantFrom('unknown', '', 'ACME', '..') }, { weight: 1, arbitrary: weirdString }),
  rawTenant: rarely(rawSegment, 20),
  sample: fc.nat({ max: SAMPLES.length - 1 }),
  freshId: fc.boolean(),
  // Weighted towards bodies the schema accepts, so the inbox, the worker and analysis see hostile content too.
  mutations: fc.oneof(
    { weight: 3, arbitrary: fc.array(stringMutation, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(treeMutation, { maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(treeMutation, stringMutation), { maxLength: 4 }) },
  ),
  raw: fc.oneof({ weight: 6, arbitrary: fc.constant({ kind: 'none' } as RawMutation) }, { weight: 1, arbitrary: deepMutation as fc.Arbitrary<RawMutation> }, { weight: 2, arbitrary: rawMutation }),
  contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
  encoding: fc.oneof({ weight: 5, arbitrary: fc.constant('utf8') }, { weight: 1, arbitrary: encoding }),
  signature: fc.oneof(
    { weight: 5, arbitrary: fc.constant('valid') },
    { weight: 1, arbitrary: fc.constantFrom('second-secret', 'missing', 'wrong-secret', 'stale', 'future', 'malformed', 'other-tenant', 'empty', 'twice', 'body-before-mutation') },
  ),
  method: fc.oneof({ weight: 19, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: otherMethods }),
});

const botPlan = fc.record({
  endpoint: fc.constant('bot' as const),
  target: fc.constantFrom('cfg', 'cfg', 'cfg', 'sbx') as fc.Arbitrary<TargetName>,
  /** Index into BOT_PLATFORMS; one past the end = a platform no adapter serves. */
  platform: fc.nat({ max: BOT_PLATFORMS.length }),
  unknownPlatform: fc.oneof(fc.constantFrom('nope', 'Rasa', 'dialogflow', 'generic', 'handoffs', '..'), weirdString),
  tenant: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('acme', 'acme', 'acme', 'globex') }, { weight: 1, arbitrary: fc.constantFrom('unknown', '', 'ACME', '..') }, { weight: 1, arbitrary: weirdString }),
  rawTenant: rarely(rawSegment, 20),
  sample: fc.nat(),
  ticket: fc.constantFrom(...SEEDED_TICKETS),
  freshId: fc.boolean(),
  // Weighted towards bodies the adapter accepts, so the inbox, the worker and analysis see these platforms too.
  mutations: fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as TreeMutation[]) },
    { weight: 3, arbitrary: fc.array(stringMutation, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(treeMutation, { maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(treeMutation, stringMutation), { maxLength: 4 }) },
  ),
  raw: fc.oneof({ weight: 6, arbitrary: fc.constant({ kind: 'none' } as RawMutation) }, { weight: 1, arbitrary: deepMutation as fc.Arbitrary<RawMutation> }, { weight: 2, arbitrary: rawMutation }),
  contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
  encoding: fc.oneof({ weight: 5, arbitrary: fc.constant('utf8') }, { weight: 1, arbitrary: encoding }),
  auth: fc.oneof(
    { weight: 6, arbitrary: fc.constant('valid') },
    { weight: 2, arbitrary: fc.constant('signature') },
    { weight: 2, arbitrary: fc.constantFrom('wrong', 'other-platform', 'missing', 'lower', 'basic', 'twice', 'empty', 'stale-signature', 'other-tenant-signature', 'both') },
  ),
  method: fc.oneof({ weight: 19, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: otherMethods }),
});

/**
 * Routes signed with the platform's own HMAC rather than Baton-Signature (Intercom's webhook and Canvas Kit
 * requests, Zendesk's ticket-created webhook), valid on the sandbox-mode Baton whose demo tenant holds the
 * secrets, so their bodies get past the signature and into parsing, dedupe and the store.
 */
const hmacPlan = fc.record({
  endpoint: fc.constant('hmac' as const),
  target: fc.constantFrom('sbx', 'sbx', 'sbx', 'cfg') as fc.Arbitrary<TargetName>,
  route: fc.constantFrom('intercom-webhook', 'canvas-initialize', 'canvas-submit', 'ticket-created'),
  tenant: fc.oneof({ weight: 8, arbitrary: fc.constant(DEMO_TENANT_ID) }, { weight: 1, arbitrary: fc.constantFrom('acme', 'unknown', '') }, { weight: 1, arbitrary: weirdString }),
  freshId: fc.boolean(),
  mutations: fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as TreeMutation[]) },
    { weight: 3, arbitrary: fc.array(stringMutation, { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.array(fc.oneof(treeMutation, stringMutation), { maxLength: 4 }) },
  ),
  raw: fc.oneof({ weight: 6, arbitrary: fc.constant({ kind: 'none' } as RawMutation) }, { weight: 1, arbitrary: deepMutation as fc.Arbitrary<RawMutation> }, { weight: 2, arbitrary: rawMutation }),
  contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
  encoding: fc.oneof({ weight: 5, arbitrary: fc.constant('utf8') }, { weight: 1, arbitrary: encoding }),
  signature: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'wrong', 'missing', 'malformed', 'before-mutation', 'stale'),
  method: fc.oneof({ weight: 19, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: otherMethods }),
});

const sidebarPlan = fc.record({
  endpoint: fc.constant('sidebar' as const),
  target: fc.constantFrom('cfg', 'cfg', 'cfg', 'sbx') as fc.Arbitrary<TargetName>,
  route: fc.constantFrom('handoff', 'feedback'),
  method: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: otherMethods }),
  ticket: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...SEEDED_TICKETS.map(String), '101', '40001') }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1e3', '9'.repeat(30), 'abc', '35436.json', ' 35436') }, { weight: 1, arbitrary: weirdString }),
  rawTicket: rarely(rawSegment, 10),
  iss: fc.oneof({ weight: 6, arbitrary: fc.constant('tenant') }, { weight: 1, arbitrary: fc.constantFrom('globex', 'unknown', '') }, { weight: 1, arbitrary: weirdString }),
  secret: fc.constantFrom('right', 'right', 'right', 'wrong', 'other-tenant', 'empty'),
  claimTicket: fc.constantFrom('match', 'match', 'match', 'other', 'string', 'missing', 'float', 'huge', 'array'),
  sub: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(AGENT, AGENT, '4243', '4244') }, { weight: 1, arbitrary: fc.constantFrom('missing', '0', '99999999') }, { weight: 1, arbitrary: weirdString }),
  iat: fc.constantFrom('now', 'now', 'now', 'missing', 'future-day', 'hour-ago', 'string'),
  exp: fc.constantFrom('soon', 'soon', 'soon', 'missing', 'year3000', 'expired', 'string'),
  alg: fc.constantFrom('HS256', 'HS256', 'HS256', 'HS512', 'none'),
  auth: fc.constantFrom('bearer', 'bearer', 'bearer', 'bearer', 'missing', 'lower', 'basic', 'garbage', 'twice', 'extra-space'),
  body: fc.oneof(
    { weight: 4, arbitrary: fc.record({ handoffId: fc.oneof(fc.constantFrom('ho_x', 'preview_sample'), weirdString), accurate: fc.oneof(fc.boolean(), anyJson), comment: fc.option(weirdString) }) },
    { weight: 2, arbitrary: anyJson },
  ),
  raw: rawMutation,
  contentType,
  encoding,
});

const adminPlan = fc.record({
  endpoint: fc.constant('admin' as const),
  target: fc.constantFrom('cfg', 'cfg', 'cfg', 'sbx') as fc.Arbitrary<TargetName>,
  // tenants/tenant/rotate: the tenants admin API (issue 13), with tenant-shaped bodies below.
  route: fc.constantFrom('jobs', 'jobs', 'replay', 'erasure', 'below', 'tenants', 'tenants', 'tenant', 'rotate', 'connect-link', 'alerts', 'alerts-test'),
  method: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 2, arbitrary: fc.constantFrom('PATCH', 'DELETE') }, { weight: 1, arbitrary: otherMethods }),
  auth: fc.constantFrom('right', 'right', 'right', 'wrong', 'missing', 'basic', 'lower'),
  query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('state', 'limit', 'tenant', 'state[]', 'limit[x]'), weirdString), fc.oneof(fc.constantFrom('dead', 'queued', 'done', 'running', '1', '500', '501', '0', '-1', '1e2', 'acme'), weirdString)), { maxLength: 4 }),
  id: fc.oneof(fc.constantFrom('acme', 'globex', 'demo', 'ho_1'), weirdString),
  body: fc.oneof(
    { weight: 3, arbitrary: fc.record({ email: fc.option(weirdString), customerId: fc.option(weirdString) }) },
    { weight: 2, arbitrary: anyJson },
    // A tenant for POST /v1/admin/tenants or a PATCH: valid ids and sections sometimes, hostile values often.
    {
      weight: 3,
      arbitrary: fc.record(
        {
          id: fc.oneof(fc.constantFrom('fuzzco', 'acme', 'ab', 'x', 'Bad_Id', '-a'), weirdString),
          zendesk: fc.oneof(
            fc.record({ subdomain: fc.oneof(fc.constantFrom('fuzzco', 'acme', 'UPPER'), weirdString), email: fc.constantFrom('bot@fuzz.test', ''), apiToken: fc.constantFrom('tok_fuzz', '') }, { requiredKeys: [] }),
            anyJson,
          ),
          which: fc.constantFrom('webhook', 'app', 'both', 1),
          keepPrevious: fc.constantFrom(true, false, 'yes'),
          knowledgeBaseHosts: fc.oneof(fc.constant(['help.fuzz.test']), anyJson),
          // POST /v1/admin/connect-links and PUT …/alerts (issue 13).
          helpdesk: fc.oneof(fc.constantFrom('zendesk', 'intercom', 'nope'), weirdString),
          account: fc.oneof(fc.constantFrom('initech', 'bad name', ''), weirdString),
          tenantId: fc.oneof(fc.constantFrom('acme', 'nobody'), weirdString),
          url: fc.oneof(fc.constantFrom('http://127.0.0.1:9/alerts', 'https://hooks.slack.com/services/T/B/x', 'http://example.com/x', 'not a url'), weirdString),
          format: fc.constantFrom('slack', 'json', 'xml', 1),
          minIntervalMinutes: fc.constantFrom(1, 0, 1441, 'x'),
        },
        { requiredKeys: [] },
      ),
    },
  ),
  raw: rawMutation,
  contentType,
  encoding,
});

/** The Connect flow and the app's Connect state (issue 13): hostile queries, cookies and tokens. */
const connectPlan = fc.record({
  endpoint: fc.constant('connect' as const),
  target: fc.constantFrom('cfg', 'sbx', 'sbx') as fc.Arbitrary<TargetName>,
  route: fc.constantFrom('start', 'start', 'callback', 'callback', 'connection'),
  helpdesk: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('zendesk', 'intercom') }, { weight: 1, arbitrary: weirdString }),
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: otherMethods }),
  query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('subdomain', 'link', 'code', 'state', 'error', 'subdomain[]'), weirdString), fc.oneof(fc.constantFrom('acme', 'access_denied', 'x'.repeat(43), 'eyJoIjoiemVuZGVzayJ9.AAAA', ''), weirdString)), { maxLength: 4 }),
  cookie: fc.oneof(fc.constant(null), fc.constantFrom('baton_connect=x', 'baton_connect=', 'baton_connect=a; baton_connect=b'), weirdString),
  bearer: fc.oneof(fc.constant(null), fc.constantFrom('eyJhbGciOiJIUzI1NiJ9.e30.x', 'nope'), weirdString),
});

const healthPlan = fc.record({
  endpoint: fc.constant('health' as const),
  target: fc.constantFrom('cfg', 'sbx') as fc.Arbitrary<TargetName>,
  path: fc.constantFrom('/healthz', '/readyz', '/healthz/', '/READYZ', '/healthz.json'),
  method: fc.oneof({ weight: 4, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'POST', 'DELETE', 'OPTIONS') }),
  query: fc.option(weirdString),
});

const previewPlan = fc.record({
  endpoint: fc.constant('preview' as const),
  target: fc.constantFrom('sbx', 'sbx', 'sbx', 'cfg') as fc.Arbitrary<TargetName>,
  route: fc.constantFrom('page', 'page', 'host.js', 'asset', 'proxy', 'proxy', 'seed'),
  method: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: otherMethods }),
  query: fc.array(fc.tuple(fc.constantFrom('ticket', 'theme', 'locale', 'sdk', 'server', 'secret', 'x'), fc.oneof(fc.constantFrom('35436', '0', 'dark', 'cdn', 'down', 'bad', 'de-DE', '-1'), weirdString)), { maxLength: 4 }),
  file: fc.oneof(fc.constantFrom('iframe.html', 'main.js', 'missing.js', '.env', '..', 'a%2F..%2Fb'), weirdString),
  // The proxy fetches what it is given: only loopback URLs or ones no client can fetch (the run stays local).
  proxyUrl: fc.oneof(
    fc.constantFrom('{{setting.server_url}}/v1/tickets/35436/handoff', '{{setting.server_url}}/healthz', '{{setting.server_url}}/v1/tickets/{{ticket.id}}/handoff', 'SELF/readyz', 'http://127.0.0.1:1/x'),
    fc.constantFrom('', 'not a url', 'file:///etc/hostname', 'data:text/plain,hi', 'javascript:alert(1)', '//'),
  ),
  proxyExtra: fc.dictionary(fc.constantFrom('type', 'method', 'headers', 'jwt', 'secure', 'data', 'contentType', 'timeout', 'cors'), anyJson, { maxKeys: 4 }),
  scenario: fc.option(fc.dictionary(fc.constantFrom('server', 'secret', 'x'), anyJson, { maxKeys: 3 })),
  bodyKind: fc.constantFrom('proxy', 'proxy', 'proxy', 'json', 'form'),
  body: anyJson,
  origin: fc.constantFrom('(none)', '(self)', 'http://evil.example', 'null', 'http://127.0.0.1'),
  raw: rawMutation,
  contentType,
});

const zendeskSandboxPlan = fc.record({
  endpoint: fc.constant('sandbox-zendesk' as const),
  target: fc.constant('sbx' as TargetName),
  path: fc.oneof(
    fc.constantFrom('/', '/tickets/35436', '/tickets/0', '/api/v2/tickets.json', '/api/v2/tickets/35436.json', '/api/v2/tickets/35436/comments.json', '/api/v2/ticket_fields.json', '/api/v2/users/4242.json', '/api/v2/users/4242/group_memberships.json', '/api/v2/search.json'),
    weirdString.map((s) => `/api/v2/${segment(s)}`),
  ),
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT'), otherMethods),
  auth: fc.constantFrom('right', 'right', 'wrong', 'missing', 'bearer'),
  body: fc.oneof(fc.record({ ticket: fc.dictionary(fc.constantFrom('comment', 'priority', 'tags', 'custom_fields', 'external_id', 'id', 'subject'), anyJson, { maxKeys: 4 }) }), anyJson),
  raw: rawMutation,
  contentType,
});

const unknownPlan = fc.record({
  endpoint: fc.constant('unknown' as const),
  target: fc.constantFrom('cfg', 'sbx') as fc.Arbitrary<TargetName>,
  segments: fc.array(fc.oneof(fc.constantFrom('v1', 'v2', 'tenants', 'acme', 'handoffs', 'tickets', 'admin', 'sandbox', 'preview'), rawSegment, weirdString.map(segment)), { minLength: 1, maxLength: 8 }),
  method: fc.oneof(fc.constantFrom('GET', 'POST'), otherMethods),
  body: fc.option(anyJson),
  contentType,
});

/** Any route the app lists, with made-up parameters: a route added later is fuzzed without new code here. */
const listedPlan = (routes: RouteInfo[]) =>
  fc.record({
    endpoint: fc.constant('listed' as const),
    route: fc.nat({ max: Math.max(0, routes.length - 1) }),
    params: fc.array(fc.oneof(fc.constantFrom('acme', '35436', 'demo', 'ho_1'), weirdString), { minLength: 4, maxLength: 4 }),
    method: fc.oneof({ weight: 3, arbitrary: fc.constant('(declared)') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') }),
    body: fc.option(anyJson),
    contentType,
  });

type WebhookPlan = typeof webhookPlan extends fc.Arbitrary<infer T> ? T : never;
/** The evaluate API (issue 11): the webhook's plans (same signatures, bodies and mutations) sent to /evaluate. */
const evaluatePlan = webhookPlan.map((p) => ({ ...p, endpoint: 'evaluate' as const }));
type EvaluatePlan = typeof evaluatePlan extends fc.Arbitrary<infer T> ? T : never;
type BotPlan = typeof botPlan extends fc.Arbitrary<infer T> ? T : never;
type HmacPlan = typeof hmacPlan extends fc.Arbitrary<infer T> ? T : never;
type SidebarPlan = typeof sidebarPlan extends fc.Arbitrary<infer T> ? T : never;
type AdminPlan = typeof adminPlan extends fc.Arbitrary<infer T> ? T : never;
type HealthPlan = typeof healthPlan extends fc.Arbitrary<infer T> ? T : never;
type ConnectPlan = typeof connectPlan extends fc.Arbitrary<infer T> ? T : never;
type PreviewPlan = typeof previewPlan extends fc.Arbitrary<infer T> ? T : never;
type ZendeskSandboxPlan = typeof zendeskSandboxPlan extends fc.Arbitrary<infer T> ? T : never;
type UnknownPlan = typeof unknownPlan extends fc.Arbitrary<infer T> ? T : never;
type ListedPlan = ReturnType<typeof listedPlan> extends fc.Arbitrary<infer T> ? T : never;
export type AnyPlan = WebhookPlan | EvaluatePlan | BotPlan | HmacPlan | SidebarPlan | AdminPlan | HealthPlan | PreviewPlan | ZendeskSandboxPlan | UnknownPlan | ListedPlan | ConnectPlan;

export function planArbitrary(routes: RouteInfo[]): fc.Arbitrary<AnyPlan> {
  return fc.oneof(
    { weight: 40, arbitrary: webhookPlan },
    { weight: 10, arbitrary: evaluatePlan },
    { weight: 24, arbitrary: botPlan },
    { weight: 8, arbitrary: hmacPlan },
    { weight: 14, arbitrary: sidebarPlan },
    { weight: 10, arbitrary: adminPlan },
    { weight: 5, arbitrary: healthPlan },
    { weight: 6, arbitrary: connectPlan },
    { weight: 10, arbitrary: previewPlan },
    { weight: 6, arbitrary: zendeskSandboxPlan },
    { weight: 8, arbitrary: unknownPlan },
    { weight: 7, arbitrary: listedPlan(routes) },
  ) as fc.Arbitrary<AnyPlan>;
}

// ---------------------------------------------------------------------------------------------------------
// Building requests

export interface FuzzRequest {
  target: TargetName;
  /** The endpoint this request aims at, for the per-endpoint counts. */
  endpoint: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

let counter = 0;

function pick<T>(items: readonly T[], i: number): T | undefined {
  return items.length ? items[i % items.length] : undefined;
}

function applyTree(root: unknown, m: TreeMutation): unknown {
  if (m.path.length === 0 && m.op === 'set') return m.value;
  let parent: unknown = undefined;
  let key: string | number | undefined;
  let node = root;
  for (const step of m.path) {
    if (Array.isArray(node)) {
      if (!node.length) break;
      parent = node;
      key = step % node.length;
      node = node[key];
    } else if (node && typeof node === 'object') {
      const keys = Object.keys(node);
      const k = pick(keys, step);
      if (k === undefined) break;
      parent = node;
      key = k;
      node = (node as Record<string, unknown>)[k];
    } else break;
  }
  const setHere = (v: unknown): void => {
    if (parent === undefined || key === undefined) return;
    if (Array.isArray(parent)) parent[key as number] = v;
    else Object.defineProperty(parent, key as string, { value: v, enumerable: true, configurable: true, writable: true });
  };
  switch (m.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[key as string];
      break;
    case 'set':
      setHere(m.value);
      break;
    case 'setString':
      if (typeof node === 'string') setHere(m.value);
      break;
    case 'add':
      if (Array.isArray(node)) node.push(m.value);
      else if (node && typeof node === 'object') Object.defineProperty(node, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      break;
    case 'arrayify':
      setHere([node]);
      break;
    case 'wrap':
      setHere({ [m.key]: node });
      break;
    case 'empty':
      setHere(Array.isArray(node) ? [] : node && typeof node === 'object' ? {} : '');
      break;
  }
  return root;
}

function applyRaw(text: string, raw: RawMutation): Buffer {
  switch (raw.kind) {
    case 'none':
      return Buffer.from(text);
    case 'truncate':
      return Buffer.from(text.slice(0, Math.floor(text.length * raw.at)));
    case 'duplicateKey': {
      const i = raw.first ? text.indexOf('{') : text.lastIndexOf('}');
      if (i < 0) return Buffer.from(text);
      return Buffer.from(raw.first ? `${text.slice(0, i + 1)}"${raw.key}":${raw.value},${text.slice(i + 1)}` : `${text.slice(0, i)},"${raw.key}":${raw.value}}`);
    }
    case 'deep': {
      const open = raw.bracket === '[' ? '[' : '{"a":';
      const close = raw.bracket === '[' ? ']' : '}';
      const deep = `${open.repeat(raw.depth)}1${close.repeat(raw.depth)}`;
      const i = text.lastIndexOf('}');
      return Buffer.from(i < 0 ? deep : `${text.slice(0, i)},"zz_deep":${deep}}`);
    }
    case 'garbage':
      return Buffer.from(text + raw.text);
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'replace':
      return Buffer.from(raw.text);
    case 'bytes':
      return Buffer.concat([Buffer.from(text.slice(0, text.length >> 1)), Buffer.from(raw.bytes), Buffer.from(text.slice(text.length >> 1))]);
  }
}

function encodeBody(buf: Buffer, enc: string): Buffer {
  if (enc === 'utf16le') return Buffer.from(buf.toString('utf8'), 'utf16le');
  if (enc === 'latin1') return Buffer.from(buf.toString('utf8'), 'latin1');
  return buf;
}

function withContentType(headers: Record<string, string | string[]>, ct: string, enc?: string): void {
  if (ct !== '(none)') headers['content-type'] = ct;
  if (enc === 'gzip-claimed') headers['content-encoding'] = 'gzip';
}

function serialize(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '"unserializable"';
  }
}

async function jwt(plan: SidebarPlan, tenant: { iss: string; secret: string; other: string }, pathTicket: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  const n = Number(pathTicket);
  const ticketClaims: Record<string, unknown> = { match: Number.isFinite(n) ? n : pathTicket, other: 35437 === n ? 35436 : 35437, string: pathTicket, float: 35436.5, huge: 2 ** 60, array: [n] };
  if (plan.claimTicket !== 'missing') claims.ticket_id = ticketClaims[plan.claimTicket];
  if (plan.iat === 'string') claims.iat = 'now';
  if (plan.exp === 'string') claims.exp = 'later';
  const iss = plan.iss === 'tenant' ? tenant.iss : plan.iss;
  const secret = plan.secret === 'right' ? tenant.secret : plan.secret === 'other-tenant' ? tenant.other : plan.secret === 'wrong' ? 'not-the-secret' : '';
  if (plan.alg === 'none') {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss, sub: plan.sub, iat: now, exp: now + 60 })}.`;
  }
  const j = new SignJWT(claims).setProtectedHeader({ alg: plan.alg, typ: 'JWT' });
  if (plan.sub !== 'missing') j.setSubject(plan.sub);
  if (iss !== '') j.setIssuer(iss);
  if (plan.iat === 'now') j.setIssuedAt(now);
  else if (plan.iat === 'future-day') j.setIssuedAt(now + 86_400);
  else if (plan.iat === 'hour-ago') j.setIssuedAt(now - 3600);
  if (plan.exp === 'soon') j.setExpirationTime(now + 120);
  else if (plan.exp === 'year3000') j.setExpirationTime(32_503_680_000);
  else if (plan.exp === 'expired') j.setExpirationTime(now - 10);
  // HS512 with an empty key would throw in jose; sign with a throwaway key instead (still wrong for the server).
  return j.sign(new TextEncoder().encode(secret || 'x'));
}

function query(pairs: Array<[string, string]>): string {
  if (!pairs.length) return '';
  return `?${pairs.map(([k, v]) => `${encodeURIComponent(wellFormed(k.slice(0, 500)))}=${encodeURIComponent(wellFormed(v.slice(0, 2000)))}`).join('&')}`;
}

export async function buildRequest(plan: AnyPlan, t: Targets): Promise<FuzzRequest> {
  const headers: Record<string, string | string[]> = {};
  switch (plan.endpoint) {
    case 'webhook': {
      const sample = structuredClone(SAMPLES[plan.sample]!);
      if (plan.freshId) sample.id = `evt_fuzz_${process.pid}_${++counter}`;
      let value: unknown = sample;
      for (const m of plan.mutations) value = applyTree(value, m);
      const before = Buffer.from(serialize(sample));
      const body = encodeBody(applyRaw(serialize(value), plan.raw), plan.encoding);
      const secrets: Record<string, string> = { acme: ACME.secrets[0]!, globex: GLOBEX.secrets[0]!, demo: DEMO_WEBHOOK_SECRET };
      const tenant = plan.target === 'sbx' && (plan.tenant === 'acme' || plan.tenant === 'globex') ? DEMO_TENANT_ID : plan.tenant;
      const secret = Object.hasOwn(secrets, tenant) ? secrets[tenant]! : 'whsec_unknown';
      const now = Math.floor(Date.now() / 1000);
      const sig: Record<string, string | string[] | undefined> = {
        valid: signBatonPayload(secret, body, now),
        'second-secret': signBatonPayload(tenant === 'acme' ? ACME.secrets[1]! : secret, body, now),
        missing: undefined,
        'wrong-secret': signBatonPayload('whsec_wrong', body, now),
        stale: signBatonPayload(secret, body, now - 3600),
        future: signBatonPayload(secret, body, now + 3600),
        malformed: `t=${now},v1=zz${'0'.repeat(62)}`,
        'other-tenant': signBatonPayload(tenant === 'acme' ? GLOBEX.secrets[0]! : ACME.secrets[0]!, body, now),
        empty: '',
        twice: [signBatonPayload(secret, body, now), signBatonPayload('whsec_wrong', body, now)],
        'body-before-mutation': signBatonPayload(secret, before, now),
      };
      const s = sig[plan.signature];
      if (s !== undefined) headers['baton-signature'] = s;
      withContentType(headers, plan.contentType, plan.encoding);
      return { target: plan.target, endpoint: 'POST /v1/tenants/:tenantId/handoffs', method: plan.method, path: `/v1/tenants/${plan.rawTenant ?? segment(tenant)}/handoffs`, headers, body };
    }
    case 'evaluate': {
      const r = await buildRequest({ ...plan, endpoint: 'webhook' }, t);
      return { ...r, endpoint: 'POST /v1/tenants/:tenantId/evaluate', path: r.path.replace(/\/handoffs$/, '/evaluate') };
    }
    case 'bot': {
      const platform = BOT_PLATFORMS[plan.platform];
      const tenant = plan.target === 'sbx' && (plan.tenant === 'acme' || plan.tenant === 'globex') ? DEMO_TENANT_ID : plan.tenant;
      const path = `/v1/tenants/${plan.rawTenant ?? segment(tenant)}/bots/${platform ? platform.name : segment(plan.unknownPlatform)}`;
      const endpoint = `POST /v1/tenants/:tenantId/bots/${platform ? platform.name : ':platform'}`;
      const samples = platform?.samples ?? BOT_PLATFORMS[0]!.samples;
      const sample = samples[plan.sample % samples.length]!(plan.ticket, plan.freshId ? `fuzz_${process.pid}_${++counter}` : undefined);
      // Sunshine checks the body's app id against the tenant's app: address the target's.
      if (platform?.configKey === 'sunshine') (sample as { app?: Json }).app = { id: botSetting(platform, plan.target, 'appId') };
      let value: unknown = sample;
      for (const m of plan.mutations) value = applyTree(value, m);
      const body = encodeBody(applyRaw(serialize(value), plan.raw), plan.encoding);
      const credential = platform ? botCredential(platform, plan.target) : 'nope';
      const other = BOT_PLATFORMS.find((p) => p !== platform && p.auth === 'bearer');
      const secrets: Record<string, string> = { acme: ACME.secrets[0]!, globex: GLOBEX.secrets[0]!, demo: DEMO_WEBHOOK_SECRET };
      const secret = Object.hasOwn(secrets, tenant) ? secrets[tenant]! : 'whsec_unknown';
      const now = Math.floor(Date.now() / 1000);
      const own = (c: string): [string, string] => (platform?.auth === 'api-key' ? ['x-api-key', c] : ['authorization', `Bearer ${c}`]);
      const auth: Record<string, Array<[string, string | string[]]>> = {
        valid: [own(credential)],
        signature: [['baton-signature', signBatonPayload(secret, body, now)]],
        wrong: [own('wrong_credential_123')],
        'other-platform': [own(other ? botCredential(other, plan.target) : 'x')],
        missing: [],
        lower: [['authorization', `bearer ${credential}`]],
        basic: [['authorization', `Basic ${Buffer.from(`x:${credential}`).toString('base64')}`]],
        twice: [['authorization', [`Bearer ${credential}`, `Bearer ${credential}`]]],
        empty: [own('')],
        'stale-signature': [['baton-signature', signBatonPayload(secret, body, now - 3600)]],
        'other-tenant-signature': [['baton-signature', signBatonPayload(tenant === 'acme' ? GLOBEX.secrets[0]! : ACME.secrets[0]!, body, now)]],
        both: [own(credential), ['baton-signature', signBatonPayload('whsec_wrong', body, now)]],
      };
      for (const [k, v] of auth[plan.auth] ?? []) headers[k] = v;
      withContentType(headers, plan.contentType, plan.encoding);
      return { target: plan.target, endpoint, method: plan.method, path, headers, body };
    }
    case 'hmac': {
      const fresh = plan.freshId ? `fuzz_${process.pid}_${++counter}` : undefined;
      const canvas = (extra: Json): Json => ({ workspace_id: 'ws_demo', workspace_region: 'us', admin: { id: '814860', type: 'admin' }, conversation: { id: fresh ?? INTERCOM_CONVERSATION }, contact: { id: 'c1', type: 'user' }, context: { location: 'conversation' }, ...extra });
      const samples: Record<typeof plan.route, () => unknown> = {
        'intercom-webhook': () => {
          const w = structuredClone(INTERCOM_WEBHOOK) as { id?: string; data?: { item?: Json } };
          if (fresh) w.id = fresh;
          return w;
        },
        'canvas-initialize': () => canvas({}),
        'canvas-submit': () => canvas({ component_id: counter % 2 ? FEEDBACK_YES_ID : FEEDBACK_NO_ID, input_values: {}, current_canvas: { content: { components: [] } } }),
        'ticket-created': () => ({ ticket_id: String(SEEDED_TICKETS[counter % SEEDED_TICKETS.length]), baton_handoff_id: fresh ? `ho_${fresh}` : 'ho_missing', sunshine_conversation_id: fresh ?? 'conv_1' }),
      };
      const original = serialize(samples[plan.route]());
      let value: unknown = JSON.parse(original);
      for (const m of plan.mutations) value = applyTree(value, m);
      const body = encodeBody(applyRaw(serialize(value), plan.raw), plan.encoding);
      const signed = plan.signature === 'before-mutation' ? Buffer.from(original) : body;
      const secret = plan.signature === 'wrong' ? 'wrong_secret_123456' : plan.route === 'ticket-created' ? DEMO_WEBHOOK_SIGNING_SECRET : DEMO_INTERCOM_CLIENT_SECRET;
      const tenant = segment(plan.tenant);
      const paths: Record<typeof plan.route, [string, string]> = {
        'intercom-webhook': [`/v1/tenants/${tenant}/bots/intercom`, 'POST /v1/tenants/:tenantId/bots/intercom'],
        'canvas-initialize': [`/v1/tenants/${tenant}/intercom/canvas/initialize`, 'POST /v1/tenants/:tenantId/intercom/canvas/initialize'],
        'canvas-submit': [`/v1/tenants/${tenant}/intercom/canvas/submit`, 'POST /v1/tenants/:tenantId/intercom/canvas/submit'],
        'ticket-created': [`/v1/tenants/${tenant}/zendesk/ticket-created`, 'POST /v1/tenants/:tenantId/zendesk/ticket-created'],
      };
      if (plan.signature !== 'missing') {
        if (plan.route === 'intercom-webhook') headers['x-hub-signature'] = plan.signature === 'malformed' ? 'sha256=00' : signHubPayload(secret, signed);
        else if (plan.route === 'ticket-created') {
          // Zendesk's timestamp header is an ISO 8601 time.
          const at = new Date(Date.now() - (plan.signature === 'stale' ? 3_600_000 : 0)).toISOString();
          for (const [k, v] of Object.entries(signZendeskWebhook(secret, at, signed))) headers[k.toLowerCase()] = plan.signature === 'malformed' ? '%%%' : v;
        } else headers['x-body-signature'] = plan.signature === 'malformed' ? 'zz' : signCanvasBody(signed, secret);
      }
      withContentType(headers, plan.contentType, plan.encoding);
      const [path, endpoint] = paths[plan.route];
      return { target: plan.target, endpoint, method: plan.method, path, headers, body };
    }
    case 'sidebar': {
      const tenant = plan.target === 'cfg' ? { iss: 'acme', secret: ACME.appSecret, other: GLOBEX.appSecret } : { iss: DEMO_SUBDOMAIN, secret: DEMO_APP_SECRET, other: ACME.appSecret };
      const token = await jwt(plan, tenant, plan.ticket);
      const auth: Record<string, string | string[] | undefined> = {
        bearer: `Bearer ${token}`,
        missing: undefined,
        lower: `bearer ${token}`,
        basic: `Basic ${Buffer.from('a:b').toString('base64')}`,
        garbage: `Bearer ${token.slice(0, token.length >> 1)}`,
        twice: [`Bearer ${token}`, `Bearer ${token}`],
        'extra-space': `Bearer  ${token}`,
      };
      const a = auth[plan.auth];
      if (a !== undefined) headers.authorization = a;
      const path = `/v1/tickets/${plan.rawTicket ?? segment(plan.ticket)}/handoff${plan.route === 'feedback' ? '/feedback' : ''}`;
      let body: Buffer | undefined;
      if (plan.method !== 'GET' && plan.method !== 'HEAD') {
        body = encodeBody(applyRaw(serialize(plan.body), plan.raw), plan.encoding);
        withContentType(headers, plan.contentType, plan.encoding);
      }
      return { target: plan.target, endpoint: plan.route === 'feedback' ? 'POST /v1/tickets/:ticketId/handoff/feedback' : 'GET /v1/tickets/:ticketId/handoff', method: plan.method, path, headers, ...(body ? { body } : {}) };
    }
    case 'admin': {
      const auth: Record<string, string | undefined> = { right: `Bearer ${FUZZ_ADMIN_TOKEN}`, wrong: 'Bearer nope', missing: undefined, basic: `Basic ${FUZZ_ADMIN_TOKEN}`, lower: `bearer ${FUZZ_ADMIN_TOKEN}` };
      const a = auth[plan.auth];
      if (a !== undefined) headers.authorization = a;
      const paths: Record<string, [string, string]> = {
        jobs: ['GET /v1/admin/jobs', `/v1/admin/jobs${query(plan.query)}`],
        replay: ['POST /v1/admin/jobs/:handoffId/replay', `/v1/admin/jobs/${segment(plan.id)}/replay`],
        erasure: ['POST /v1/admin/tenants/:tenantId/erasure', `/v1/admin/tenants/${segment(plan.id)}/erasure`],
        below: ['* /v1/admin', `/v1/admin/${segment(plan.id)}`],
        tenants: [`${plan.method === 'GET' ? 'GET' : 'POST'} /v1/admin/tenants`, '/v1/admin/tenants'],
        tenant: [`${plan.method === 'DELETE' || plan.method === 'PATCH' ? plan.method : 'GET'} /v1/admin/tenants/:id`, `/v1/admin/tenants/${segment(plan.id)}`],
        rotate: ['POST /v1/admin/tenants/:id/rotate-secret', `/v1/admin/tenants/${segment(plan.id)}/rotate-secret`],
        'connect-link': ['POST /v1/admin/connect-links', '/v1/admin/connect-links'],
        alerts: [`${plan.method === 'DELETE' ? 'DELETE' : 'PUT'} /v1/admin/tenants/:tenantId/alerts`, `/v1/admin/tenants/${segment(plan.id)}/alerts`],
        'alerts-test': ['POST /v1/admin/tenants/:tenantId/alerts/test', `/v1/admin/tenants/${segment(plan.id)}/alerts/test`],
      };
      // The alerts route is PUT or DELETE; connect-links and the test button POST (other methods stay as drawn).
      const method =
        plan.route === 'alerts' && (plan.method === 'GET' || plan.method === 'POST')
          ? 'PUT'
          : (plan.route === 'connect-link' || plan.route === 'alerts-test') && plan.method === 'GET'
            ? 'POST'
            : plan.method;
      const [endpoint, path] = paths[plan.route]!;
      let body: Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        body = encodeBody(applyRaw(serialize(plan.body), plan.raw), plan.encoding);
        withContentType(headers, plan.contentType, plan.encoding);
      }
      return { target: plan.target, endpoint, method, path, headers, ...(body ? { body } : {}) };
    }
    case 'connect': {
      const h = segment(plan.helpdesk);
      if (plan.cookie !== null) headers.cookie = wellFormed(plan.cookie).replace(/[\r\n]/g, '');
      if (plan.route === 'connection') {
        if (plan.bearer !== null) headers.authorization = `Bearer ${wellFormed(plan.bearer).replace(/[\r\n]/g, '')}`;
        return { target: plan.target, endpoint: 'GET /v1/zendesk/connection', method: plan.method, path: `/v1/zendesk/connection${query(plan.query)}`, headers };
      }
      const callback = plan.route === 'callback';
      return { target: plan.target, endpoint: callback ? 'GET /connect/:helpdesk/callback' : 'GET /connect/:helpdesk', method: plan.method, path: `/connect/${h}${callback ? '/callback' : ''}${query(plan.query)}`, headers };
    }
    case 'health':
      return { target: plan.target, endpoint: `GET ${plan.path.toLowerCase().startsWith('/ready') ? '/readyz' : '/healthz'}`, method: plan.method, path: plan.path + (plan.query !== null ? `?q=${segment(plan.query)}` : ''), headers };
    case 'preview': {
      const self = `http://127.0.0.1:${t[plan.target].port}`;
      if (plan.origin !== '(none)') headers.origin = plan.origin === '(self)' ? self : plan.origin;
      const q = query(plan.query);
      if (plan.route === 'page') return { target: plan.target, endpoint: 'GET /preview', method: plan.method, path: `/preview${q}`, headers };
      if (plan.route === 'host.js') return { target: plan.target, endpoint: 'GET /preview/host.js', method: plan.method, path: `/preview/host.js${q}`, headers };
      if (plan.route === 'asset') return { target: plan.target, endpoint: `GET ${PREVIEW_APP_PREFIX}/:file`, method: plan.method, path: `${PREVIEW_APP_PREFIX}/${segment(plan.file)}${q}`, headers };
      if (plan.route === 'seed') return { target: plan.target, endpoint: 'POST /preview/seed', method: plan.method, path: `/preview/seed${q}`, headers };
      const url = plan.proxyUrl.replace('SELF', self);
      const value = plan.bodyKind === 'proxy' ? { options: { ...plan.proxyExtra, url }, ...(plan.scenario ? { scenario: plan.scenario } : {}) } : plan.body;
      const text = plan.bodyKind === 'form' ? `options=${encodeURIComponent(url)}` : serialize(value);
      withContentType(headers, plan.bodyKind === 'form' ? 'application/x-www-form-urlencoded' : plan.contentType);
      return { target: plan.target, endpoint: 'POST /preview/proxy', method: plan.method, path: `/preview/proxy${q}`, headers, body: applyRaw(text, plan.raw) };
    }
    case 'sandbox-zendesk': {
      const auth: Record<string, string | undefined> = {
        right: `Basic ${Buffer.from('demo@baton.local/token:sandbox').toString('base64')}`,
        wrong: `Basic ${Buffer.from('demo@baton.local/token:nope').toString('base64')}`,
        missing: undefined,
        bearer: 'Bearer nope',
      };
      const a = auth[plan.auth];
      if (a !== undefined) headers.authorization = a;
      let body: Buffer | undefined;
      if (plan.method !== 'GET' && plan.method !== 'HEAD') {
        body = applyRaw(serialize(plan.body), plan.raw);
        withContentType(headers, plan.contentType);
      }
      return { target: 'sbx', endpoint: '* /sandbox/zendesk', method: plan.method, path: `/sandbox/zendesk${plan.path}`, headers, ...(body ? { body } : {}) };
    }
    case 'unknown': {
      let body: Buffer | undefined;
      if (plan.body !== null && plan.method !== 'GET' && plan.method !== 'HEAD') {
        body = Buffer.from(serialize(plan.body));
        withContentType(headers, plan.contentType);
      }
      return { target: plan.target, endpoint: 'unknown path', method: plan.method, path: `/${plan.segments.join('/')}`, headers, ...(body ? { body } : {}) };
    }
    case 'listed': {
      const route = t.routes[plan.route % Math.max(1, t.routes.length)];
      if (!route) return { target: 'cfg', endpoint: 'GET /healthz', method: 'GET', path: '/healthz', headers };
      let i = 0;
      const path = route.path.replace(/:(\w+)/g, () => segment(plan.params[i++ % plan.params.length] ?? 'x')).replace(/\*\w*/g, 'x');
      const declared = route.methods.filter((m) => m !== '*');
      const method = plan.method === '(declared)' ? (declared[0] ?? 'GET') : plan.method;
      let body: Buffer | undefined;
      if (plan.body !== null && method !== 'GET' && method !== 'HEAD') {
        body = Buffer.from(serialize(plan.body));
        withContentType(headers, plan.contentType);
      }
      return { target: route.target, endpoint: `${route.methods.join(',')} ${route.path}`, method, path, headers, ...(body ? { body } : {}) };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Sending

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'error';

export interface Answer {
  status?: number;
  error?: string;
  body: string;
}

export function send(t: Targets, req: FuzzRequest, timeoutMs: number): Promise<Answer> {
  const { host, port } = t[req.target];
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer): void => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    let r: http.ClientRequest;
    try {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.map(headerSafe) : headerSafe(v);
      if (req.body) headers['content-length'] = String(req.body.length);
      r = http.request({ host, port, method: req.method, path: req.path, headers: { host: `${host}:${port}`, ...headers }, agent: false, timeout: timeoutMs });
    } catch (err) {
      // The client refused to send it (e.g. a method Node cannot write): not the server's fault.
      return done({ error: `client:${(err as Error).message}`, body: '' });
    }
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 8192) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
      res.on('error', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
    });
    r.on('timeout', () => {
      r.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    r.on('error', (err) => done({ error: (err as NodeJS.ErrnoException).code ?? err.message, body: '' }));
    r.end(req.body);
  });
}

export function classOf(a: Answer): StatusClass {
  if (a.status === undefined) return 'error';
  return `${Math.floor(a.status / 100)}xx` as StatusClass;
}

/** Node's client refused to write the request (e.g. a method it cannot send): never reached the server. */
function isClientSideOnly(a: Answer): boolean {
  return a.error?.startsWith('client:') ?? false;
}

// ---------------------------------------------------------------------------------------------------------
// The run

export interface FuzzOptions {
  seed: number;
  count: number;
  timeLimitMs: number;
  /** Parallel request streams (each its own seed: seed + index). */
  streams?: number;
  /** Replay one fast-check path (with streams: 1 and the stream's seed). */
  path?: string;
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface FuzzFailure {
  stream: number;
  seed: number;
  path: string;
  request: FuzzRequest;
  answer: Answer;
  plan: AnyPlan;
  /** Whether the shrunk request failed again when sent on its own (if not, the failure depends on load or state). */
  reproduced?: boolean;
  /** The first failing request of the stream, before shrinking. */
  first?: { request: FuzzRequest; answer: Answer };
}

export interface FuzzResult {
  seed: number;
  sent: number;
  counts: Record<string, Partial<Record<StatusClass, number>>>;
  routes: RouteInfo[];
  /** Listed routes no request reached. */
  uncovered: RouteInfo[];
  failures: FuzzFailure[];
  interrupted: boolean;
  elapsedMs: number;
  errorLogs: string[];
}

function routeMatches(route: RouteInfo, req: FuzzRequest): boolean {
  if (route.target !== req.target) return false;
  const pathOnly = req.path.split('?')[0] ?? '';
  if (route.methods[0] === '*') return pathOnly === route.path || pathOnly.startsWith(`${route.path}/`);
  if (!route.methods.includes(req.method) && !(req.method === 'HEAD' && route.methods.includes('GET'))) return false;
  try {
    return Boolean(match(route.path, { decode: false })(pathOnly));
  } catch {
    return false;
  }
}

export async function runFuzz(opts: FuzzOptions, targets?: Targets): Promise<FuzzResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const t = targets ?? (await startTargets());
  const streams = opts.path ? 1 : Math.max(1, opts.streams ?? 4);
  const timeoutMs = opts.requestTimeoutMs ?? 20_000;
  const counts: FuzzResult['counts'] = {};
  const reached = new Set<RouteInfo>();
  const failures: FuzzFailure[] = [];
  let sent = 0;
  let interrupted = false;
  const arb = planArbitrary(t.routes);
  // A crash inside a request handler that Express did not catch would end the process: record it instead.
  const crashes: string[] = [];
  const onCrash = (err: unknown): void => void crashes.push(String((err as Error)?.stack ?? err));
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const record = (request: FuzzRequest, answer: Answer): void => {
    sent++;
    const c = (counts[`${request.target} ${request.endpoint}`] ??= {});
    c[classOf(answer)] = (c[classOf(answer)] ?? 0) + 1;
    for (const r of t.routes) if (routeMatches(r, request)) reached.add(r);
    if (sent % 1000 === 0) log(`  ${sent} requests, ${Math.round((Date.now() - started) / 1000)} s`);
  };
  try {
    // One plain request per listed route first, so every route is reached whatever the draw.
    if (!opts.path) {
      for (let i = 0; i < t.routes.length; i++) {
        const plan: ListedPlan = { endpoint: 'listed', route: i, params: ['acme', '35436', 'demo', 'ho_1'], method: '(declared)', body: null, contentType: 'application/json' };
        const request = await buildRequest(plan, t);
        const answer = await send(t, request, timeoutMs);
        record(request, answer);
        if (classOf(answer) === '5xx' || classOf(answer) === 'error') failures.push({ stream: -1, seed: opts.seed, path: '', plan, request, answer });
      }
    }
    const perStream = Math.ceil(opts.count / streams);
    const runs = Array.from({ length: streams }, async (_, i) => {
      const seed = opts.seed + i;
      let failedOnce = false;
      let first: { request: FuzzRequest; answer: Answer } | undefined;
      const property = fc.asyncProperty(arb, async (plan) => {
        const request = await buildRequest(plan, t);
        const answer = await send(t, request, timeoutMs);
        if (isClientSideOnly(answer)) return true;
        const bad = classOf(answer) === '5xx' || classOf(answer) === 'error';
        if (!failedOnce) record(request, answer); // shrinking replays requests; only the original run counts
        if (bad && !failedOnce) first = { request, answer };
        if (bad) failedOnce = true;
        return !bad;
      });
      const details = await fc.check(property, {
        seed,
        numRuns: perStream,
        ...(opts.path ? { path: opts.path } : {}),
        interruptAfterTimeLimit: opts.timeLimitMs,
        markInterruptAsFailure: false,
        endOnFailure: false,
      });
      if (details.interrupted) interrupted = true;
      if (details.failed && details.counterexample) {
        const plan = details.counterexample[0] as AnyPlan;
        // Rebuild from the shrunk plan and send it once more, so the printed answer is the minimal one's.
        let request: FuzzRequest;
        try {
          request = await buildRequest(plan, t);
        } catch (err) {
          throw new Error(`fuzz: cannot build a request from ${JSON.stringify(plan).slice(0, 500)}: ${(err as Error).message}`);
        }
        const answer = await send(t, request, timeoutMs);
        const reproduced = classOf(answer) === '5xx' || classOf(answer) === 'error';
        failures.push({ stream: i, seed, path: details.counterexamplePath ?? '', plan, request, answer, reproduced, ...(first ? { first } : {}) });
      }
    });
    await Promise.all(runs);
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    if (!targets) await t.close();
  }
  for (const c of crashes) failures.push({ stream: -1, seed: opts.seed, path: '', plan: { endpoint: 'unknown' } as AnyPlan, request: { target: 'cfg', endpoint: 'crash', method: '', path: '', headers: {} }, answer: { error: `uncaught: ${c}`, body: '' } });
  return {
    seed: opts.seed,
    sent,
    counts,
    routes: t.routes,
    uncovered: t.routes.filter((r) => !reached.has(r)),
    failures,
    interrupted,
    elapsedMs: Date.now() - started,
    errorLogs: [...t.errorLogs],
  };
}

/** A request as text a person can paste: method, path, headers, and the body (cut when long). */
export function describeRequest(r: FuzzRequest, max = 1500): string {
  const body = r.body ? r.body.toString('utf8') : '';
  const shown = body.length > max ? `${body.slice(0, max)}… (${r.body!.length} bytes in all)` : body;
  return [`${r.method} ${r.path}   [${r.target === 'cfg' ? 'configured Baton' : 'sandbox-mode Baton'}]`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' | ') : v}`), '', shown].join('\n');
}

export function formatCounts(result: FuzzResult): string {
  const classes: StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'error'];
  const rows = Object.entries(result.counts).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...rows.map(([k]) => k.length), 8);
  const lines = [`${'endpoint'.padEnd(width)}  ${classes.map((c) => c.padStart(6)).join('')}`];
  for (const [k, c] of rows) lines.push(`${k.padEnd(width)}  ${classes.map((cl) => String(c[cl] ?? 0).padStart(6)).join('')}`);
  return lines.join('\n');
}
