/** Intercom payload fixtures (test/fixtures/bot-platforms/intercom, provenance in its SOURCES.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/bot-platforms/intercom/', import.meta.url));

export function intercomFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${dir}${name}`, 'utf8')) as T;
}

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The assembled Fin handoff webhook (a fresh copy each call). */
export const finHandoff = (): Obj => intercomFixture<Obj>('webhook-conversation-admin-assigned-fin.assembled.json');
/** The spec's "conversation found" example. */
export const specConversation = (): Obj => intercomFixture<Obj>('api-get-conversation-response.json');
