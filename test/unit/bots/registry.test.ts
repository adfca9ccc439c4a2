/** The bot registry and `tenants[].bots` config: the issue's JSON works as written; bad sections name the key. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/config.ts';
import { botAdapters, botsConfigSchema, fetchesTranscripts } from '../../../server/bots/registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-bots-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(tenantExtra: Record<string, unknown>, name = 'c.json') {
  const file = join(dir, name);
  const t = { id: 'acme', webhookSecrets: ['whsec_acme_1'], zendesk: { subdomain: 'acme', baseUrl: 'http://127.0.0.1:9100', email: 'bot@acme.test', apiToken: 'tok_1' }, ...tenantExtra };
  writeFileSync(file, JSON.stringify({ tenants: [t] }));
  return loadConfig({ BATON_CONFIG: file, BATON_DATA_DIR: dir });
}

const ISSUE_BOTS = {
  sunshine: { appId: '5e4af71a81966cfff3ef6550', keyId: 'app_5e4af71a81966cfff3ef6551', keySecret: 'sc_key_secret_1', webhookSecret: 'sc_webhook_secret_1', baseUrl: 'http://127.0.0.1:9300', mode: 'relay' },
  dialogflowCx: { token: 'df_token_1' },
  rasa: { token: 'rasa_token_1' },
  botFramework: { token: 'bf_token_1' },
};

const BOTS_DIR = join(import.meta.dirname, '../../../server/bots');

describe('bot registry', () => {
  it('every platform folder has the same shape (adapter.ts, verify.ts, normalize.ts) and its adapter is registered', async () => {
    const folders = readdirSync(BOTS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders).toEqual(expect.arrayContaining(['generic', 'intercom', 'dialogflow-cx', 'rasa', 'botframework', 'fin']));
    for (const f of folders) {
      expect(readdirSync(join(BOTS_DIR, f)), f).toEqual(expect.arrayContaining(['adapter.ts', 'verify.ts', 'normalize.ts']));
      const mod = (await import(join(BOTS_DIR, f, 'adapter.ts'))) as { default: unknown };
      expect(botAdapters(), `${f}/adapter.ts is not in bots/registry.ts`).toContain(mod.default);
    }
  });

  it('adapters have distinct names, routes and config keys, every route under /v1/tenants/:tenantId/', () => {
    const a = botAdapters();
    expect(new Set(a.map((x) => x.name)).size).toBe(a.length);
    expect(new Set(a.map((x) => x.path)).size).toBe(a.length);
    const keys = a.flatMap((x) => (x.configKey ? [x.configKey] : []));
    expect(new Set(keys).size).toBe(keys.length);
    for (const x of a) expect(x.path.startsWith('/v1/tenants/:tenantId/')).toBe(true);
    expect(a.map((x) => x.path)).toEqual(expect.arrayContaining(['/v1/tenants/:tenantId/handoffs', '/v1/tenants/:tenantId/bots/intercom', '/v1/tenants/:tenantId/bots/dialogflow-cx', '/v1/tenants/:tenantId/bots/rasa', '/v1/tenants/:tenantId/bots/botframework']));
    expect(Object.keys((botsConfigSchema().properties as Record<string, unknown>) ?? {})).toEqual(expect.arrayContaining(['dialogflowCx', 'rasa', 'botFramework']));
    expect(fetchesTranscripts('intercom')).toBe(true);
    expect(fetchesTranscripts('rasa')).toBe(false);
  });

  it('reads the issue\'s per-platform sections (without Sunshine until its adapter is registered)', () => {
    const { sunshine: _s, ...rest } = ISSUE_BOTS;
    const t = load({ bots: rest }).tenants[0]!;
    expect(t.bots).toMatchObject({ dialogflowCx: { tokens: ['df_token_1'], handoffTags: ['handoff'], transcriptParameter: 'baton_transcript' }, rasa: { tokens: ['rasa_token_1'] }, botFramework: { tokens: ['bf_token_1'] } });
    expect(load({}, 'none.json').tenants[0]!.bots).toBeUndefined();
  });

  it.skipIf(!botAdapters().some((a) => a.configKey === 'sunshine'))('the issue\'s JSON as written, Sunshine included', () => {
    const t = load({ bots: ISSUE_BOTS }, 'issue.json').tenants[0]!;
    expect(Object.keys(t.bots ?? {}).sort()).toEqual(['botFramework', 'dialogflowCx', 'rasa', 'sunshine']);
  });

  it('a bad section stops start-up naming the key', () => {
    expect(() => load({ bots: { rasa: { token: 'short' } } }, 'b1.json')).toThrow(/tenants\[0\]\.bots\.rasa\.token/);
    expect(() => load({ bots: { watson: {} } }, 'b2.json')).toThrow(/tenants\[0\]\.bots/);
    expect(() => load({ bots: { dialogflowCx: { token: 'df_token_1', handoffTags: [] } } }, 'b3.json')).toThrow(/handoffTags/);
    expect(() => load({ bots: { dialogflowCx: { transitionMessages: { 'not a lang': 'x' } } } }, 'b4.json')).toThrow(/tenants\[0\]\.bots\.dialogflowCx\.transitionMessages: "not a lang" is not a language code/);
  });
});
