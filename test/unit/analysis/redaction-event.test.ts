/** Issue 7, item 5: redaction covers every free-text field of the event, not only message text. */
import { describe, expect, it } from 'vitest';
import { redactEvent } from '../../../server/analysis/redact-event.ts';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../../server/analysis/index.ts';
import { normalizeGenericHandoff } from '../../../server/bots/generic/normalize.ts';
import { scrubbed } from '../../../server/pipeline/worker.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';

const SECRET = 'card 4111 1111 1111 1111, password: hunter2-PLANTED';
const on = DEFAULT_ANALYSIS_OPTIONS.redaction;

function plantedEvent(): HandoffEvent {
  return normalizeGenericHandoff(
    {
      id: 'evt_1',
      conversation: { id: 'conv_1', channel: SECRET, pageUrl: 'https://x.example/?card=4111111111111111&password=hunter2-PLANTED' },
      customer: { id: 'cust_1', email: 'a@example.com', name: SECRET, tier: SECRET, attributes: { [SECRET]: SECRET, plan: 3 } },
      messages: [
        { role: 'customer', text: SECRET },
        {
          role: 'bot',
          text: 'Your password is case-sensitive.',
          bot: { intent: SECRET, articles: [{ title: SECRET, url: 'https://kb.example/?card=4111111111111111' }], actions: [SECRET] },
        },
      ],
      handoff: { reason: SECRET, botName: SECRET },
      ticket: { id: 7 },
    },
    'acme',
    '2026-01-01T00:00:00.000Z',
  );
}

const leaks = (v: unknown) => /4111|hunter2/.test(JSON.stringify(v));

describe('redactEvent', () => {
  it('redacts every free-text field, keeps identifiers, drops raw and never mutates its input', () => {
    const ev = plantedEvent();
    const before = structuredClone(ev);
    const { event, redactions } = redactEvent(ev, on);
    expect(leaks(event)).toBe(false);
    expect(event.raw).toBeNull();
    expect(ev).toEqual(before);
    expect(event).toMatchObject({ id: 'generic:evt_1', conversation: { nativeId: 'conv_1' }, customer: { id: 'cust_1', email: 'a@example.com' }, target: { helpdesk: 'zendesk', id: '7' } });
    expect(event.customer.name).toBe('card [card •••• 1111], password: [password]');
    expect(event.customer.attributes?.plan).toBe(3);
    expect(redactions.byKind.card_number).toBeGreaterThanOrEqual(10);
    // A bot explaining passwords in its own message is still not a secret.
    expect(event.messages[1]!.text).toBe('Your password is case-sensitive.');
  });

  it('analyze() reports nothing unredacted, from any field', () => {
    expect(leaks(analyze(plantedEvent()))).toBe(false);
  });

  it('scrubbed() leaves nothing unredacted at rest after delivery', () => {
    const ev = plantedEvent();
    const stored = scrubbed(ev, analyze(ev));
    expect(leaks(stored)).toBe(false);
    expect(stored.raw).toBeNull();
  });
});
