/**
 * GET /metrics on a real Baton (issue 10): after handoffs are accepted, refused, repeated and delivered into the
 * Zendesk sandbox, the scrape shows them, the queue depth read from the store, the delivery and helpdesk-request
 * histograms and a retry after a scripted 503; only with the bearer token.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';

const ADMIN = 'admin_token_for_metrics_0123';
const example = JSON.parse(readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const handoff = (id: string): string => JSON.stringify({ ...example, id });

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('serves the figures of a real run to the admin token', async () => {
  h = await startHarness({ extra: { adminToken: ADMIN } });
  const scrape = async (): Promise<string> => {
    const res = await fetch(`${h!.baton.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };
  // One write fails with 503 first (a retry), then everything goes through.
  h.sandbox.script.next({ status: 503, body: { error: 'unavailable' }, match: { method: 'PUT' } });
  const ids: string[] = [];
  for (const id of ['evt_m1', 'evt_m2']) {
    const res = await h.post('acme', handoff(id));
    expect(res.status).toBe(202);
    ids.push(((await res.json()) as { handoffId: string }).handoffId);
  }
  expect((await h.post('acme', handoff('evt_m1'))).status).toBe(200);
  expect((await h.post('acme', handoff('evt_m3'), { secret: 'wrong_secret_123' })).status).toBe(401);
  await h.waitFor(async () => (await Promise.all(ids.map((id) => h!.baton.store.getJob(id)))).every((j) => j?.state === 'done'), 'delivery');

  const body = await scrape();
  expect(sample(body, 'baton_handoffs_total', { source: 'generic', result: 'accepted', status: '202' })).toBe(2);
  expect(sample(body, 'baton_handoffs_total', { source: 'generic', result: 'duplicate', status: '200' })).toBe(1);
  expect(sample(body, 'baton_handoffs_total', { source: 'generic', result: 'rejected', status: '401' })).toBe(1);
  expect(sample(body, 'baton_jobs', { state: 'done' })).toBe(2);
  expect(sample(body, 'baton_jobs', { state: 'queued' })).toBe(0);
  expect(sample(body, 'baton_queue_read_ok')).toBe(1);
  expect(sample(body, 'baton_delivery_seconds_count', { helpdesk: 'zendesk' })).toBe(2);
  expect(sample(body, 'baton_retries_total', { reason: 'server_error' })).toBe(1);
  expect(sample(body, 'baton_analysis_seconds_count', { result: 'ok' })).toBeGreaterThanOrEqual(2);
  expect(sample(body, 'baton_helpdesk_request_seconds_count', { helpdesk: 'zendesk', status: '200' })).toBeGreaterThanOrEqual(4);
  expect(sample(body, 'baton_helpdesk_request_seconds_count', { helpdesk: 'zendesk', status: '503' })).toBe(1);
  expect(body).toContain('process_resident_memory_bytes');
  // No handoff id, ticket id or URL path leaks into a label.
  for (const id of ids) expect(body).not.toContain(id);
  expect(body).not.toContain('/api/v2');

  const none = await fetch(`${h.baton.url}/metrics`);
  expect(none.status).toBe(401);
  expect(((await none.json()) as { error: { code: string } }).error.code).toBe('metrics_unauthorized');
  const wrong = await fetch(`${h.baton.url}/metrics`, { headers: { authorization: 'Bearer not_the_admin_token_0000' } });
  expect(wrong.status).toBe(403);
});

it('is off (404 JSON) without a metrics or admin token', async () => {
  h = await startHarness();
  const res = await fetch(`${h.baton.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('metrics_disabled');
});
