import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import { zendeskConfigOf } from '../../../server/helpdesks/zendesk/zendesk-config.ts';

function withFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const issueExample = `{ "tenants": [ { "id": "acme", "webhookSecrets": ["whsec_test_1"],
    "zendesk": { "subdomain": "acme", "baseUrl": "http://127.0.0.1:9100",
                 "email": "bot@acme.test", "apiToken": "tok_1" } } ] }`;

describe('config', () => {
  it('accepts the documented example exactly as written', () => {
    const c = loadConfig({ BATON_CONFIG: withFile('baton.json', issueExample) });
    expect(c.sandbox).toBe(false);
    expect(c.port).toBe(3000);
    expect(c.maxBodyBytes).toBe(1024 * 1024);
    expect(c.tenants[0]).toMatchObject({ id: 'acme', webhookSecrets: ['whsec_test_1'], defaultHelpdesk: 'zendesk', helpdesks: { zendesk: { baseUrl: 'http://127.0.0.1:9100', email: 'bot@acme.test' } } });
    expect(Object.isFrozen(zendeskConfigOf(c.tenants[0]!))).toBe(true);
  });

  it('defaults baseUrl to the subdomain, reads YAML, and accepts an OAuth token instead of email + token', () => {
    const yaml = 'tenants:\n  - id: globex\n    webhookSecrets: [whsec_globex_1]\n    zendesk:\n      subdomain: globex\n      oauthToken: oat_1\n';
    const c = loadConfig({ BATON_CONFIG: withFile('baton.yaml', yaml), PORT: '8080', BATON_DATA_DIR: '/tmp/x' });
    expect(zendeskConfigOf(c.tenants[0]!)?.baseUrl).toBe('https://globex.zendesk.com');
    expect(zendeskConfigOf(c.tenants[0]!)?.oauthToken).toBe('oat_1');
    expect(c.port).toBe(8080);
    expect(c.dbFile).toBe('/tmp/x/baton.sqlite');
  });

  it('runs in sandbox mode with a demo tenant when no BATON_CONFIG is given', () => {
    const c = loadConfig({ PORT: '4123' });
    expect(c.sandbox).toBe(true);
    expect(zendeskConfigOf(c.tenants[0]!)?.baseUrl).toBe('http://127.0.0.1:4123/sandbox/zendesk');
  });

  it.each([
    ['{"tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"],"zendesk":{"subdomain":"acme","email":"a@b.c"}}]}', 'tenants[0].zendesk needs either "oauthToken" or both "email" and "apiToken"'],
    ['{"tenants":[{"id":"acme","webhookSecret":"x"}]}', 'tenants[0].webhookSecret is not a known key'],
    ['{"tenants":[{"id":"acme"}]}', 'tenants[0].webhookSecrets is required'],
    ['{"tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"],"zendesk":{"subdomain":"acme","baseUrl":"ftp://x","oauthToken":"t"}}]}', 'tenants[0].zendesk.baseUrl'],
    ['{"tenants":[{"id":"a","webhookSecrets":["whsec_test_1"]},{"id":"a","webhookSecrets":["whsec_test_2"]}]}', 'tenants[1].id "a" is used by another tenant'],
    ['{"tenants": [', 'is not valid JSON'],
    ['{"tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"],"freshdesk":{"domain":"acme"}}]}', 'tenants[0].freshdesk is not a known key'],
    ['{"tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"],"defaultHelpdesk":"zendesk"}]}', 'tenants[0].defaultHelpdesk "zendesk" is not a helpdesk this tenant connects (none)'],
    [
      '{"tenants":[{"id":"a","webhookSecrets":["whsec_test_1"],"zendesk":{"subdomain":"same","oauthToken":"t"}},{"id":"b","webhookSecrets":["whsec_test_2"],"zendesk":{"subdomain":"same","oauthToken":"u"}}]}',
      'tenants[1].zendesk.subdomain "same" is used by another tenant',
    ],
  ])('names the bad key: %s', (text, message) => {
    expect(() => loadConfig({ BATON_CONFIG: withFile('baton.json', text) })).toThrow(ConfigError);
    expect(() => loadConfig({ BATON_CONFIG: withFile('baton.json', text) })).toThrow(message);
  });

  it('keeps synchronous=NORMAL durability unless the file or BATON_DURABILITY asks for full', () => {
    expect(loadConfig({}).durability).toBe('normal');
    expect(loadConfig({ BATON_DURABILITY: 'FULL' }).durability).toBe('full');
    const file = withFile('durable.json', '{"durability":"full","tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"]}]}');
    expect(loadConfig({ BATON_CONFIG: file }).durability).toBe('full');
    expect(loadConfig({ BATON_CONFIG: file, BATON_DURABILITY: 'normal' }).durability).toBe('normal');
    expect(() => loadConfig({ BATON_DURABILITY: 'paranoid' })).toThrow('BATON_DURABILITY must be one of normal, full');
    const bad = withFile('bad-durability.json', '{"durability":"always","tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"]}]}');
    expect(() => loadConfig({ BATON_CONFIG: bad })).toThrow('durability');
  });

  it('keeps each helpdesk section under its module name; the default helpdesk is the only one connected, or none', () => {
    const file = withFile(
      'two.json',
      '{"tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"],"zendesk":{"subdomain":"acme","oauthToken":"t"}},{"id":"bare","webhookSecrets":["whsec_test_2"]}]}',
    );
    const [acme, bare] = loadConfig({ BATON_CONFIG: file }).tenants;
    expect(Object.keys(acme!.helpdesks)).toEqual(['zendesk']);
    expect(acme!.defaultHelpdesk).toBe('zendesk');
    expect(bare!.helpdesks).toEqual({});
    expect(bare!).not.toHaveProperty('defaultHelpdesk');
    const named = withFile('named.json', '{"tenants":[{"id":"acme","webhookSecrets":["whsec_test_1"],"defaultHelpdesk":"zendesk","zendesk":{"subdomain":"acme","oauthToken":"t"}}]}');
    expect(loadConfig({ BATON_CONFIG: named }).tenants[0]!.defaultHelpdesk).toBe('zendesk');
  });

  it('accepts the Intercom example of issue 8 exactly as written, beside a Zendesk tenant', () => {
    const text =
      '{"tenants":[{"id":"acme","webhookSecrets":["whsec_acme_1"],"zendesk":{"subdomain":"acme","oauthToken":"t"}},' +
      '{"id":"globex","webhookSecrets":["whsec_globex_1"],"intercom":{"accessToken":"ic_tok_1","adminId":"814860","clientSecret":"ic_client_secret_1","region":"us","baseUrl":"http://127.0.0.1:9200"}}]}';
    const [acme, globex] = loadConfig({ BATON_CONFIG: withFile('both.json', text) }).tenants;
    expect(Object.keys(acme!.helpdesks)).toEqual(['zendesk']);
    expect(Object.keys(globex!.helpdesks)).toEqual(['intercom']);
    expect(globex!.defaultHelpdesk).toBe('intercom');
    expect(globex!.helpdesks.intercom).toMatchObject({ accessToken: 'ic_tok_1', adminId: '814860' });
  });

  it("sandbox mode's demo tenant connects every helpdesk that has a sandbox, at this process's port", () => {
    const demo = loadConfig({ PORT: '4123' }).tenants[0]!;
    expect(demo.defaultHelpdesk).toBe('zendesk');
    for (const section of Object.values(demo.helpdesks)) expect(JSON.stringify(section)).toContain('http://127.0.0.1:4123/sandbox/');
  });

  it('rejects a bad PORT and a missing file with a clear message', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT must be an integer');
    expect(() => loadConfig({ BATON_CONFIG: '/nonexistent/baton.json' })).toThrow('cannot read');
  });
});
