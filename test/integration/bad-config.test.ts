/** A bad config stops the real process with a message naming the key, and nothing secret in it. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('start-up with a bad config', () => {
  it('exits 78 naming the bad key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-badcfg-'));
    const file = join(dir, 'baton.json');
    writeFileSync(file, JSON.stringify({ tenants: [{ id: 'acme', webhookSecrets: ['whsec_very_secret_1'], zendesk: { subdomain: 'acme', email: 'bot@acme.test', apiToken: 'tok_secret_9', colour: 'blue' } }] }));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...process.env, BATON_CONFIG: file, BATON_DATA_DIR: dir, PORT: '0' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('tenants[0].zendesk.colour is not a known key');
    expect(r.stderr + r.stdout).not.toContain('whsec_very_secret_1');
    expect(r.stderr + r.stdout).not.toContain('tok_secret_9');
  });
});
