import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const baton = (args: string[], input?: string) => spawnSync(process.execPath, ['bin/baton.js', ...args], { cwd: ROOT, input, encoding: 'utf8' });

describe('baton CLI', () => {
  it('analyze FILE prints one report', () => {
    const r = baton(['analyze', `${FIXTURES}cancellation-lost.json`]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { eventId: string; primaryTrigger: string; topic: { id: string } };
    expect(report).toMatchObject({ eventId: 'generic:evt_cancel_01', primaryTrigger: 'customer_requested_human', topic: { id: 'cancellation' } });
  });

  it('analyze - reads stdin, including a bare messages object', () => {
    const r = baton(['analyze', '-'], JSON.stringify({ messages: [{ role: 'customer', text: 'agent please' }] }));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).primaryTrigger).toBe('customer_requested_human');
  });

  it('--jsonl streams one report per line, in order, with errors in place', () => {
    const lines = ['es-human', 'de-human', 'fr-human'].map((f) => JSON.stringify(JSON.parse(readFileSync(`${FIXTURES}${f}.json`, 'utf8'))));
    lines.splice(1, 0, '{not json');
    const r = baton(['analyze', '--jsonl'], `${lines.join('\n')}\n`);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventId?: string; error?: string });
    expect(out.map((o) => o.eventId ?? 'error')).toEqual(['generic:evt_es_07', 'error', 'generic:evt_de_08', 'generic:evt_fr_09']);
    expect(out[1]?.error).toMatch(/^line 2:/);
    expect(r.status).toBe(1);
  });

  it('unknown commands fail with usage', () => {
    const r = baton(['frobnicate']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown command');
  });
});
