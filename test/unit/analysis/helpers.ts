import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HandoffEvent, HandoffMessage } from '../../../server/types/handoff-event.ts';
import { normalizeGenericHandoff } from '../../../server/bots/generic/normalize.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/transcripts/', import.meta.url));

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as unknown;
}

export function fixtureEvent(name: string): HandoffEvent {
  return normalizeGenericHandoff(fixture(name), 'test');
}

/** A minimal event around a message list, for unit tests of single parts. */
export function eventOf(messages: HandoffMessage[], extra: Partial<HandoffEvent> = {}): HandoffEvent {
  return {
    id: 'generic:test',
    tenantId: 'test',
    source: 'generic',
    receivedAt: '2026-11-20T10:00:00Z',
    trigger: { kind: 'unknown', nativeType: 'test' },
    conversation: { nativeId: 'c1' },
    customer: {},
    messages,
    transcriptComplete: true,
    target: { helpdesk: 'zendesk' },
    raw: null,
    ...extra,
  };
}
