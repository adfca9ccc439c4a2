/**
 * Issue 7, item 3: no handoff is refused for being long. A bot does not retry a 4xx, so a 422 would leave the
 * customer without a human. A real server accepts them (202), cuts them, and the report and the note say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../helpers/harness.ts';

const example = JSON.parse(readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8')) as Record<string, unknown>;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function deliver(hh: Harness, body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  expect(raw.length).toBeLessThan(hh.config.maxBodyBytes);
  const res = await hh.post('acme', raw);
  expect(res.status).toBe(202);
  const { handoffId } = (await res.json()) as { handoffId: string };
  await hh.waitFor(async () => (await hh.baton.store.getJob(handoffId))?.state === 'done', 'delivery');
  const write = hh.sandbox.calls.find((c) => c.method === 'PUT' && c.headers['x-baton-handoff-id'] === handoffId);
  const note = (write?.body as { ticket: { comment: { html_body: string } } } | undefined)?.ticket.comment.html_body ?? '';
  return { report: (await hh.baton.store.getReport(handoffId))!.report, note };
}

describe('long handoffs are cut, not refused', () => {
  it('accepts one message holding a 200 KB pasted log, keeps its head and tail, and says what was cut', async () => {
    h = await startHarness();
    const log = `BEGIN-LOG ${'x'.repeat(200_000)} END-LOG`;
    const body = structuredClone(example);
    body.id = 'evt_long_message';
    (body.messages as Array<{ text: string }>)[0]!.text = log;
    const { report, note } = await deliver(h, body);
    expect(report.cuts).toEqual({ messagesTruncated: 1, charactersCut: log.length - 8_000, messagesDropped: 0 });
    const line = report.transcript[0]!.text;
    expect(line.startsWith('BEGIN-LOG')).toBe(true);
    expect(line.endsWith('END-LOG')).toBe(true);
    expect(line).toContain(`[… ${(log.length - 8_000).toLocaleString('en-US')} characters cut …]`);
    expect(note).toContain(`<strong>Long conversation:</strong> ${(log.length - 8_000).toLocaleString('en-US')} characters were cut`);
  });

  it('accepts 2,001 messages, keeps the first 50 and last 450, and says so in the report and the note', async () => {
    h = await startHarness();
    const body = structuredClone(example);
    body.id = 'evt_many_messages';
    body.messages = Array.from({ length: 2_001 }, (_, i) => ({ role: i % 2 ? 'bot' : 'customer', text: `message number ${i}` }));
    const { report, note } = await deliver(h, body);
    expect(report.cuts).toEqual({ messagesTruncated: 0, charactersCut: 0, messagesDropped: 1_501 });
    expect(report.transcript).toHaveLength(501);
    expect(report.transcript[49]!.text).toBe('message number 49');
    expect(report.transcript[50]).toEqual({ role: 'system', text: '[… 1,501 messages cut …]' });
    expect(report.transcript[51]!.text).toBe('message number 1551');
    expect(report.transcript[500]!.text).toBe('message number 2000');
    expect(note).toContain('<strong>Long conversation:</strong> 1,501 messages were cut; the first 50 and last 450 messages are shown.');
  });

  it('still answers 422 for a structural error in a long handoff', async () => {
    h = await startHarness({ worker: false });
    const body = structuredClone(example);
    body.id = 'evt_long_bad';
    body.messages = Array.from({ length: 2_001 }, () => ({ role: 'narrator', text: 'x' }));
    const res = await h.post('acme', JSON.stringify(body));
    expect(res.status).toBe(422);
  });
});
