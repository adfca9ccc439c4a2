/**
 * A Rasa tracker (`tracker.current_state(EventVerbosity.ALL)`, rasa.com/docs/rasa/tracker-stores and
 * rasa_sdk `Tracker.current_state`) posted by the custom handoff action in docs/bots/rasa.md → the parts Baton
 * reads, or what is wrong. Pure. Read: `sender_id`, `events` (`user` with `parse_data.intent.{name,confidence}`,
 * `bot` with `text` and `data.buttons`, `action` names, epoch-float `timestamp`s), `slots`, `latest_message`,
 * `latest_event_time`, `latest_input_channel`, and the action's own `baton` key (../caller-fields.ts).
 */
import type { FieldProblem } from '../bot-adapter.ts';
import { isObj, num, str } from '../caller-fields.ts';

type Obj = Record<string, unknown>;

export interface RasaTracker {
  senderId: string;
  events: Obj[];
  slots: Obj;
  latestIntent?: string;
  latestEventTime?: number;
  inputChannel?: string;
  baton: unknown;
}

export type RasaParse = { kind: 'handoff'; tracker: RasaTracker } | { kind: 'invalid'; errors: FieldProblem[] };

const MAX_ERRORS = 20;

export function parseRasaTracker(body: unknown): RasaParse {
  if (!isObj(body)) return { kind: 'invalid', errors: [{ field: '(body)', problem: 'must be a JSON object (a Rasa tracker)' }] };
  const errors: FieldProblem[] = [];
  const senderId = str(body.sender_id);
  if (!senderId || senderId.length > 500) errors.push({ field: 'sender_id', problem: 'must be the conversation id, a non-empty string of at most 500 characters' });
  if (!Array.isArray(body.events)) errors.push({ field: 'events', problem: 'must be the list of tracker events (post tracker.current_state(EventVerbosity.ALL))' });
  else {
    body.events.forEach((e, i) => {
      if (errors.length >= MAX_ERRORS) return;
      if (!isObj(e) || typeof e.event !== 'string') return void errors.push({ field: `events[${i}]`, problem: 'must be an object with an "event" name' });
      if ((e.event === 'user' || e.event === 'bot') && e.text !== undefined && e.text !== null && typeof e.text !== 'string') errors.push({ field: `events[${i}].text`, problem: 'must be a string or null' });
      if (e.timestamp !== undefined && e.timestamp !== null && num(e.timestamp) === undefined) errors.push({ field: `events[${i}].timestamp`, problem: 'must be epoch seconds (a number)' });
    });
  }
  if (body.slots !== undefined && body.slots !== null && !isObj(body.slots)) errors.push({ field: 'slots', problem: 'must be an object' });
  if (errors.length || !senderId || !Array.isArray(body.events)) return { kind: 'invalid', errors };
  const tracker: RasaTracker = { senderId, events: body.events as Obj[], slots: isObj(body.slots) ? body.slots : {}, baton: body.baton };
  const latest = isObj(body.latest_message) && isObj(body.latest_message.intent) ? str(body.latest_message.intent.name) : undefined;
  if (latest) tracker.latestIntent = latest;
  const t = num(body.latest_event_time);
  if (t !== undefined) tracker.latestEventTime = t;
  const channel = str(body.latest_input_channel);
  if (channel) tracker.inputChannel = channel;
  return { kind: 'handoff', tracker };
}
