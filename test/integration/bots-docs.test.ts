/**
 * The "Try it against `npm start`" request of each docs/bots page, sent as written to a sandbox-mode Baton
 * (demo tenant, demo tokens, the built-in sandbox Zendesk): each is accepted and lands its briefing, so the
 * pages cannot drift from the code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { BatonInstance } from '../../server/start.ts';
import { startTestBaton } from '../helpers/test-store.ts';
import { handoffMarker } from '../../server/helpdesks/zendesk/render-note.ts';
import { freePort } from '../helpers/child-server.ts';
import { waitFor } from '../helpers/harness.ts';

const DOCS = join(import.meta.dirname, '../../docs/bots');

/** The page's curl: URL, `-H 'Name: value'` headers and the `-d '…'` body (single-quoted, as written). */
function curlOf(page: string): { url: string; headers: Record<string, string>; body: string } {
  const md = readFileSync(join(DOCS, page), 'utf8');
  const block = /## Try it against `npm start`[\s\S]*?```sh\n([\s\S]*?)```/.exec(md)?.[1];
  if (!block) throw new Error(`${page} has no "Try it" block`);
  const cmd = block.replace(/\\\n/g, ' ');
  const url = /curl -s (\S+)/.exec(cmd)?.[1];
  const body = /-d '([^']*)'/.exec(cmd)?.[1];
  if (!url || body === undefined) throw new Error(`${page}: cannot read the curl`);
  const headers: Record<string, string> = {};
  for (const m of cmd.matchAll(/-H '([^:']+):\s*([^']*)'/g)) headers[m[1]!] = m[2]!;
  return { url, headers, body };
}

let baton: BatonInstance;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-bots-docs-'));
  // A real port: sandbox mode points the demo tenant's helpdesks at this process's own address.
  const config = loadConfig({ PORT: String(await freePort()), HOST: '127.0.0.1', BATON_DATA_DIR: dir });
  baton = await startTestBaton(config, { logger: createLogger('silent'), distDir: join(dir, 'no-dist') });
});
afterAll(async () => {
  await baton?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['dialogflow-cx.md', 'rasa.md', 'botframework.md', 'fin.md'])('docs/bots/%s', (page) => {
  it('its curl is accepted by the sandbox-mode Baton and lands one briefing on the sandbox ticket', async () => {
    const { url, headers, body } = curlOf(page);
    expect(JSON.parse(body)).toBeTruthy();
    const res = await fetch(url.replace(/^localhost:3000/, `http://127.0.0.1:${baton.port}`), { method: 'POST', headers, body });
    expect(res.status).toBeLessThan(300);
    const answer = (await res.json()) as { handoffId?: string; sessionInfo?: { parameters: { baton_handoff_id: string } } };
    const id = answer.handoffId ?? answer.sessionInfo?.parameters.baton_handoff_id;
    expect(id).toMatch(/^ho_/);
    await waitFor(async () => (await baton.store.getJob(id!))?.state === 'done', `delivery of ${page}'s handoff`);
    const comments = (await (await fetch(`http://127.0.0.1:${baton.port}/sandbox/zendesk/api/v2/tickets/35436/comments.json`, { headers: { authorization: `Basic ${Buffer.from('demo@baton.local/token:sandbox').toString('base64')}` } })).json()) as { comments: Array<{ html_body: string }> };
    expect(comments.comments.filter((c) => c.html_body.includes(handoffMarker(id!)))).toHaveLength(1);
  });
});
