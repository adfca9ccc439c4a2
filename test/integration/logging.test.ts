/**
 * Logs are JSON, every line about a handoff names it, and no secret ever reaches them: webhook secrets,
 * Zendesk tokens, app secrets, admin token, signature headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { ACME, GLOBEX, startHarness, type Harness } from '../helpers/harness.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { createZendeskClient } from '../../server/helpdesks/zendesk/client.ts';
import { zendeskConfigOf } from '../../server/helpdesks/zendesk/zendesk-config.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, cb) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    cb();
  },
});
const example = readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ logStream: sink, extra: { adminToken: 'admin_token_never_logged_42' } });
});
afterAll(() => h?.close());

describe('logs', () => {
  it('carry the handoff id on every line about a handoff and never a secret', async () => {
    const res = await h.post('acme', example);
    const { handoffId } = (await res.json()) as { handoffId: string };
    await h.waitFor(async () => (await h.baton.store.getJob(handoffId))?.state === 'done', 'delivery');
    // A rejected delivery attempt and a bad signature log too.
    h.sandbox.script.next({ status: 500, match: { method: 'PUT' } });
    const again = JSON.parse(example) as Record<string, unknown>;
    again.id = 'evt_log_2';
    const second = (await (await h.post('acme', JSON.stringify(again))).json()) as { handoffId: string };
    await h.waitFor(async () => (await h.baton.store.getJob(second.handoffId))?.state === 'done', 'retried delivery');
    await h.post('acme', example, { signature: signBatonPayload('whsec_wrong_secret', example) });
    await new Promise((r) => setTimeout(r, 50));

    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const about = (id: string) => parsed.filter((l) => JSON.stringify(l).includes(id));
    expect(about(handoffId).map((l) => l.msg)).toEqual(expect.arrayContaining(['handoff queued', 'handoff delivered']));
    expect(about(second.handoffId).map((l) => l.msg)).toEqual(expect.arrayContaining(['helpdesk write failed; will retry', 'handoff delivered']));
    for (const l of parsed.filter((p) => /handoff|helpdesk|job/.test(String(p.msg)) && p.msg !== 'duplicate handoff')) expect(l.handoffId).toBeTruthy();

    const all = lines.join('\n');
    for (const secret of [...ACME.secrets, ACME.apiToken, ACME.appSecret, GLOBEX.oauthToken, GLOBEX.appSecret, 'admin_token_never_logged_42', 'whsec_wrong_secret', Buffer.from(`${ACME.email}/token:${ACME.apiToken}`).toString('base64')]) {
      expect(all).not.toContain(secret);
    }
  });

  it('redact secrets even when a whole tenant config or an axios error is logged by mistake', async () => {
    lines.length = 0;
    h.baton.logger.info({ tenant: h.config.tenants[0] }, 'tenant dump');
    const client = createZendeskClient({ zendesk: zendeskConfigOf(h.config.tenants[0]!)!, ctx: { acquire: async () => {}, observe: () => {}, timeoutMs: 2000 } });
    const err = await client.get('/api/v2/tickets/999999.json').catch((e: unknown) => e);
    h.baton.logger.error({ err }, 'zendesk call failed');
    const line = lines.join('\n');
    expect(line).toContain('tenant dump');
    expect(line).toContain('zendesk call failed');
    for (const secret of [...ACME.secrets, ACME.apiToken, ACME.appSecret, Buffer.from(`${ACME.email}/token:${ACME.apiToken}`).toString('base64')]) {
      expect(line).not.toContain(secret);
    }
  });
});
