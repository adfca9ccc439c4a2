/**
 * Two replicas racing on one handoff after a lease expiry (issue 10): replica A was frozen (SIGSTOP) mid-write
 * past its lease, replica B claimed the job and wrote it, then A resumed. Exactly one note may land. The writer
 * reads the ticket (its updated_stamp) first, then, when the try may not be the only one (a later try, a lease
 * that may be lost, or after a 409), looks for the handoff's marker, and writes with safe_update: whichever
 * writer comes second either sees the marker or gets 409 and then sees it.
 * Frozen moments are made with a gate in A's HTTP client, against the Zendesk sandbox over real HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startZendeskSandbox, type RunningZendeskSandbox } from '../../sandbox/zendesk/index.ts';
import { createZendeskClient } from '../../server/helpdesks/zendesk/client.ts';
import { ZendeskWriter, type WriteInput } from '../../server/helpdesks/zendesk/writer.ts';
import { handoffMarker } from '../../server/helpdesks/zendesk/render-note.ts';
import type { ZendeskConfig } from '../../server/helpdesks/zendesk/zendesk-config.ts';
import type { HandoffEvent } from '../../server/types/handoff-event.ts';
import { SAMPLE_HANDOFF_ID, sampleReport } from '../fixtures/sample-report.ts';

const TICKET = 35436;

let sb: RunningZendeskSandbox;
const zendesk = () => ({ subdomain: 'acme', baseUrl: sb.url, email: 'demo@baton.local', apiToken: 'sandbox', maxRequestsPerMinute: 700, customFields: {} }) as unknown as ZendeskConfig;
const ctx = { acquire: async () => undefined, observe: () => undefined, timeoutMs: 5000 };

function event(): HandoffEvent {
  return {
    id: 'generic:evt_race',
    tenantId: 'acme',
    source: 'generic',
    receivedAt: new Date().toISOString(),
    trigger: { kind: 'customer_request', nativeType: 'customer_request' },
    conversation: { nativeId: 'conv_race' },
    customer: { email: 'sarah@example.com' },
    messages: [{ role: 'customer', text: 'I need a person' }],
    transcriptComplete: true,
    target: { helpdesk: 'zendesk', id: String(TICKET) },
    raw: {},
  };
}

const input = (attempt: number, leaseMayBeLost?: () => boolean): WriteInput => ({
  handoffId: SAMPLE_HANDOFF_ID,
  event: event(),
  report: sampleReport(),
  attempt,
  now: Date.now(),
  ...(leaseMayBeLost ? { leaseMayBeLost } : {}),
});

const notes = (): number => (sb.state.tickets.get(TICKET)?.comments ?? []).filter((c) => c.html_body.includes(handoffMarker(SAMPLE_HANDOFF_ID))).length;

/** A writer whose requests matching `freezeAt` wait until `thaw()` is called (a frozen process, then resumed). */
function frozenWriter(freezeAt: (method: string, url: string) => boolean) {
  const client = createZendeskClient({ zendesk: zendesk(), ctx });
  let thaw!: () => void;
  const thawed = new Promise<void>((r) => (thaw = r));
  let reached!: () => void;
  const frozen = new Promise<void>((r) => (reached = r));
  let once = true;
  client.interceptors.request.use(async (req) => {
    if (once && freezeAt(req.method ?? '', req.url ?? '')) {
      once = false;
      reached();
      await thawed;
    }
    return req;
  });
  return { writer: new ZendeskWriter(client, zendesk()), frozen, thaw };
}

beforeEach(async () => {
  sb = await startZendeskSandbox();
});
afterEach(async () => {
  await sb.close();
});

describe('two replicas on one handoff after a lease expiry', () => {
  it('A frozen between reading the ticket and its PUT: B writes, A gets 409, finds the marker and stops', async () => {
    let lost = false;
    const a = frozenWriter((m) => m === 'put');
    const first = a.writer.write(input(1, () => lost));
    await a.frozen;
    lost = true;
    const b = new ZendeskWriter(createZendeskClient({ zendesk: zendesk(), ctx }), zendesk());
    expect((await b.write(input(2))).outcome).toBe('updated');
    a.thaw();
    expect((await first).outcome).toBe('already_written');
    expect(notes()).toBe(1);
  });

  it('A frozen before it read the ticket: on waking its lease may be lost, so it looks for the marker first', async () => {
    let lost = false;
    const a = frozenWriter((m, url) => m === 'get' && url.includes(`/tickets/${TICKET}`));
    const first = a.writer.write(input(1, () => lost));
    await a.frozen;
    lost = true;
    const b = new ZendeskWriter(createZendeskClient({ zendesk: zendesk(), ctx }), zendesk());
    expect((await b.write(input(2))).outcome).toBe('updated');
    a.thaw();
    expect((await first).outcome).toBe('already_written');
    expect(notes()).toBe(1);
  });

  it('B read the ticket before A wrote, then A wrote: B’s PUT gets 409, it finds A’s marker and stops', async () => {
    const b = frozenWriter((m) => m === 'put');
    const second = b.writer.write(input(2));
    await b.frozen;
    const a = new ZendeskWriter(createZendeskClient({ zendesk: zendesk(), ctx }), zendesk());
    expect((await a.write(input(1, () => false))).outcome).toBe('updated');
    b.thaw();
    expect((await second).outcome).toBe('already_written');
    expect(notes()).toBe(1);
  });

  it('a first try with its lease held writes with two requests (GET, PUT) and no marker lookup', async () => {
    const w = new ZendeskWriter(createZendeskClient({ zendesk: zendesk(), ctx }), zendesk());
    const before = sb.calls.length;
    expect((await w.write(input(1, () => false))).outcome).toBe('updated');
    expect(sb.calls.slice(before).map((c) => c.operation)).toEqual(['ShowTicket', 'UpdateTicket']);
    expect(notes()).toBe(1);
  });
});
