/** Issue 7, item 8: only links on the tenant's knowledge-base allow-list are marked live in the report. */
import { describe, expect, it } from 'vitest';
import { hostAllowed, linkHost } from '../../../server/analysis/allowed-links.ts';
import { analyze } from '../../../server/analysis/index.ts';
import { normalizeGenericHandoff } from '../../../server/bots/generic/normalize.ts';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/config.ts';

const event = normalizeGenericHandoff({
  messages: [
    { role: 'customer', text: 'How do I cancel?' },
    {
      role: 'bot',
      text: 'Here you go. Also see https://evil.example/cancel-now for more.',
      bot: { articles: [{ title: 'Cancel an order', url: 'https://help.example.com/cancel' }, { title: 'Cancel (other)', url: 'https://help.example.com.evil.test/x' }] },
    },
    { role: 'customer', text: 'That did not help' },
  ],
});

describe('knowledge-base allow-list', () => {
  it('matches the exact host, case-insensitively, and only for http(s) URLs without credentials', () => {
    expect(linkHost('HTTPS://Help.Example.com/a')).toBe('help.example.com');
    expect(hostAllowed('https://help.example.com/a', ['help.example.com'])).toBe(true);
    expect(hostAllowed('https://help.example.com.evil.test/a', ['help.example.com'])).toBe(false);
    expect(hostAllowed('https://user:pw@help.example.com/a', ['help.example.com'])).toBe(false);
    expect(hostAllowed('javascript:alert(1)', ['help.example.com'])).toBe(false);
  });

  it('marks nothing live by default, and only allow-listed article hosts when the tenant lists them', () => {
    expect(analyze(event).attemptedSolutions.filter((s) => s.linkAllowed)).toEqual([]);
    const live = analyze(event, { knowledgeBaseHosts: ['help.example.com'] }).attemptedSolutions.filter((s) => s.linkAllowed);
    expect(live.map((s) => s.url)).toEqual(['https://help.example.com/cancel']);
  });
});

describe('tenants[].knowledgeBaseHosts', () => {
  const withConfig = (tenant: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-kb-'));
    const file = join(dir, 'baton.json');
    writeFileSync(file, JSON.stringify({ tenants: [{ id: 'acme', webhookSecrets: ['whsec_test_1'], ...tenant }] }));
    return () => loadConfig({ BATON_CONFIG: file, BATON_DATA_DIR: dir });
  };

  it('is empty by default and reaches analysis lowercased', () => {
    expect(withConfig({})().tenants[0]!.analysis.knowledgeBaseHosts).toEqual([]);
    const t = withConfig({ knowledgeBaseHosts: ['Help.Acme.com', 'kb.acme.com:8443'] })().tenants[0]!;
    expect(t.knowledgeBaseHosts).toEqual(['help.acme.com', 'kb.acme.com:8443']);
    expect(t.analysis.knowledgeBaseHosts).toEqual(['help.acme.com', 'kb.acme.com:8443']);
    expect(withConfig({ knowledgeBaseHosts: ['https://help.acme.com/'] })).toThrow(/knowledgeBaseHosts/);
  });

  it('lists the host of every sample article for the demo tenant in sandbox mode', () => {
    const demo = loadConfig({ BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-kb-')) }).tenants[0]!;
    const dir = new URL('../../../samples/', import.meta.url);
    const hosts = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { messages: Array<{ bot?: { articles?: Array<{ url: string }> } }> }).messages)
      .flatMap((m) => m.bot?.articles ?? [])
      .map((a) => linkHost(a.url));
    expect(hosts.length).toBeGreaterThan(0);
    for (const h of hosts) expect(demo.analysis.knowledgeBaseHosts).toContain(h);
  });
});
