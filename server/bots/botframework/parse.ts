/**
 * Bot Framework / Copilot Studio handoff activities → the `handoff.initiate` events to act on, "ignored", or
 * what is wrong. Pure. The body is one Activity (what `EventFactory.createHandoffInitiation` builds,
 * microsoft/botbuilder-js libraries/botbuilder/src/eventFactory.ts) or a Direct Line activity set
 * `{ "activities": [...] }` (Copilot Studio's generic handoff, learn.microsoft.com "Configure handoff to any
 * generic engagement hub"); every `handoff.initiate` in it is one handoff. Read: `id`, `timestamp`, `channelId`,
 * `conversation.id`, `from`, `relatesTo.{user,bot}`, `value` (the `va_*` context) and the transcript attachment
 * (`attachments[].content.activities`).
 */
import type { FieldProblem } from '../bot-adapter.ts';
import { isObj, str } from '../caller-fields.ts';

type Obj = Record<string, unknown>;

export const HANDOFF_INITIATE = 'handoff.initiate';

export interface HandoffActivity {
  /** Position in the body, for error paths (`activities[2]`, or `(body)`). */
  path: string;
  activity: Obj;
  conversationId: string;
  /** The transcript's activities (empty when none was attached). */
  transcript: Obj[];
  value: Obj;
}

export type BotFrameworkParse = { kind: 'handoffs'; handoffs: HandoffActivity[] } | { kind: 'ignored'; reason: string } | { kind: 'invalid'; errors: FieldProblem[] };

const MAX_ID = 500;

function read(a: Obj, path: string, errors: FieldProblem[]): HandoffActivity | undefined {
  const at = (f: string): string => (path === '(body)' ? f : `${path}.${f}`);
  const conversationId = isObj(a.conversation) ? str(a.conversation.id) : undefined;
  if (!conversationId || conversationId.length > MAX_ID) errors.push({ field: at('conversation.id'), problem: `must be the conversation id, a non-empty string of at most ${MAX_ID} characters` });
  if (a.id !== undefined && (typeof a.id !== 'string' || a.id.length > MAX_ID)) errors.push({ field: at('id'), problem: `must be a string of at most ${MAX_ID} characters` });
  if (a.value !== undefined && a.value !== null && !isObj(a.value)) errors.push({ field: at('value'), problem: 'must be an object (the handoff context)' });
  if (a.attachments !== undefined && a.attachments !== null && !Array.isArray(a.attachments)) errors.push({ field: at('attachments'), problem: 'must be a list' });
  const transcript: Obj[] = [];
  if (Array.isArray(a.attachments)) {
    a.attachments.forEach((att, i) => {
      if (!isObj(att) || !isObj(att.content) || att.content.activities === undefined) return;
      const list = att.content.activities;
      if (!Array.isArray(list)) return void errors.push({ field: at(`attachments[${i}].content.activities`), problem: 'must be the transcript, a list of activities' });
      list.forEach((t, j) => {
        if (!isObj(t)) return void errors.push({ field: at(`attachments[${i}].content.activities[${j}]`), problem: 'must be an activity object' });
        if (t.text !== undefined && t.text !== null && typeof t.text !== 'string') errors.push({ field: at(`attachments[${i}].content.activities[${j}].text`), problem: 'must be a string' });
        transcript.push(t);
      });
    });
  }
  if (!conversationId) return undefined;
  return { path, activity: a, conversationId, transcript, value: isObj(a.value) ? a.value : {} };
}

const isHandoff = (a: unknown): boolean => isObj(a) && a.type === 'event' && a.name === HANDOFF_INITIATE;

export function parseBotFrameworkBody(body: unknown): BotFrameworkParse {
  if (!isObj(body)) return { kind: 'invalid', errors: [{ field: '(body)', problem: 'must be a JSON object: a handoff.initiate event activity, or {"activities": [...]}' }] };
  const errors: FieldProblem[] = [];
  let candidates: Array<{ a: Obj; path: string }>;
  if (body.activities !== undefined && body.type === undefined) {
    if (!Array.isArray(body.activities)) return { kind: 'invalid', errors: [{ field: 'activities', problem: 'must be a list of activities' }] };
    candidates = body.activities.flatMap((a: unknown, i) => (isObj(a) && isHandoff(a) ? [{ a, path: `activities[${i}]` }] : []));
    if (!candidates.length) return { kind: 'ignored', reason: `no "${HANDOFF_INITIATE}" event among the activities` };
  } else {
    if (typeof body.type !== 'string') return { kind: 'invalid', errors: [{ field: 'type', problem: 'must be the activity type ("event")' }] };
    const name = typeof body.name === 'string' ? ` "${body.name.slice(0, 100)}"` : '';
    if (!isHandoff(body)) return { kind: 'ignored', reason: `activity ${body.type.slice(0, 50)}${name} is not "${HANDOFF_INITIATE}"` };
    candidates = [{ a: body, path: '(body)' }];
  }
  const handoffs = candidates.flatMap(({ a, path }) => {
    const h = read(a, path, errors);
    return h ? [h] : [];
  });
  if (errors.length) return { kind: 'invalid', errors: errors.slice(0, 20) };
  return { kind: 'handoffs', handoffs };
}
