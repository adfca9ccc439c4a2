/** Shared by the bot adapter unit tests: the committed platform fixtures and a tenant to parse them for. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TenantConfig } from '../../../server/config.ts';
import type { BotAdapter, ParseOutcome } from '../../../server/bots/bot-adapter.ts';
import type { HandoffEvent } from '../../../server/types/handoff-event.ts';

const DIR = join(import.meta.dirname, '../../fixtures/bot-platforms');

export function fixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(join(DIR, path), 'utf8')) as T;
}

export const RECEIVED_AT = '2026-11-29T12:00:00.000Z';

/** A tenant connecting Zendesk only (so a handoff without a ticket id creates one). */
export function tenant(bots: Record<string, unknown> = {}, helpdesks: Record<string, unknown> = { zendesk: {} }): TenantConfig {
  return { id: 'acme', webhookSecrets: ['whsec_test_1'], helpdesks, defaultHelpdesk: Object.keys(helpdesks)[0], analysis: {} as TenantConfig['analysis'], bots } as TenantConfig;
}

export function parseWith<S>(adapter: BotAdapter<S>, body: unknown, settings: S, t: TenantConfig = tenant()): ParseOutcome {
  return adapter.parse(body, { tenant: t, settings, receivedAt: RECEIVED_AT });
}

/** The one event of a handoff outcome (fails the test otherwise). */
export function oneEvent(outcome: ParseOutcome): HandoffEvent {
  if (outcome.kind !== 'handoffs') throw new Error(`expected a handoff, got ${JSON.stringify(outcome)}`);
  if (outcome.events.length !== 1) throw new Error(`expected one event, got ${outcome.events.length}`);
  return outcome.events[0]!;
}

export const clone = <T>(v: T): T => structuredClone(v);
