/**
 * A Dialogflow CX webhook request (WebhookRequest, cloud.google.com/dialogflow/cx/docs/reference/rest/v3/WebhookRequest)
 * → a handoff, an ignored call (a fulfillment tag that is not a handoff tag), or what is wrong. Pure.
 * Read: `detectIntentResponseId` and `fulfillmentInfo.tag` ("always present"), `sessionInfo.{session,parameters}`,
 * `intentInfo.{displayName,confidence}`, `pageInfo.formInfo.parameterInfo`, `messages` (this turn's responses so
 * far), `payload`, `sentimentAnalysisResult.{score,magnitude}`, `languageCode`, and the query (`text`,
 * `transcript`, `triggerEvent`, `triggerIntent`). Unknown fields are ignored, as the reference asks.
 */
import type { FieldProblem } from '../bot-adapter.ts';
import { isObj, num, str } from '../caller-fields.ts';

type Obj = Record<string, unknown>;

export interface CxRequest {
  responseId: string;
  tag: string;
  /** Full session name, when given. */
  session?: string;
  /** Its last segment (`…/sessions/<id>`), else the response id. */
  sessionId: string;
  languageCode?: string;
  parameters: Obj;
  /** `pageInfo.formInfo.parameterInfo` as name → value. */
  formParameters: Obj;
  intent?: { name?: string; displayName?: string; confidence?: number };
  /** What the end user said or typed this turn (`text` or `transcript`). */
  query?: string;
  triggerEvent?: string;
  /** Text of this turn's response messages so far (`messages[].text.text[]`). */
  responses: string[];
  payload: unknown;
  sentiment?: { score?: number; magnitude?: number };
}

export type CxParse = { kind: 'handoff'; request: CxRequest } | { kind: 'ignored'; reason: string } | { kind: 'invalid'; errors: FieldProblem[] };

const MAX_ID = 500;

export function sessionIdOf(session: string): string {
  const at = session.lastIndexOf('/sessions/');
  return at >= 0 ? session.slice(at + '/sessions/'.length) : session;
}

function responseTexts(raw: unknown, errors: FieldProblem[]): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push({ field: 'messages', problem: 'must be a list of ResponseMessage objects' });
    return [];
  }
  const out: string[] = [];
  raw.forEach((m, i) => {
    if (!isObj(m) || !isObj(m.text)) return; // payloads, audio, handoff signals: nothing to read as a turn
    const t = m.text.text;
    if (!Array.isArray(t) || t.some((s) => typeof s !== 'string')) {
      errors.push({ field: `messages[${i}].text.text`, problem: 'must be a list of strings' });
      return;
    }
    const text = (t as string[]).join('\n').trim();
    if (text) out.push(text);
  });
  return out;
}

function formParameters(pageInfo: unknown): Obj {
  const out: Obj = {};
  const form = isObj(pageInfo) && isObj(pageInfo.formInfo) ? pageInfo.formInfo : undefined;
  if (!form || !Array.isArray(form.parameterInfo)) return out;
  for (const p of form.parameterInfo) {
    const name = isObj(p) ? str(p.displayName) : undefined;
    if (name && isObj(p) && p.value !== undefined && p.value !== null) out[name] = p.value;
  }
  return out;
}

export function parseCxRequest(body: unknown, handoffTags: readonly string[]): CxParse {
  if (!isObj(body)) return { kind: 'invalid', errors: [{ field: '(body)', problem: 'must be a JSON object (a Dialogflow CX WebhookRequest)' }] };
  const errors: FieldProblem[] = [];
  const info = body.fulfillmentInfo;
  const tag = isObj(info) ? str(info.tag) : undefined;
  if (!tag) errors.push({ field: 'fulfillmentInfo.tag', problem: 'must be the fulfillment tag (always present in a CX webhook request)' });
  const responseId = str(body.detectIntentResponseId);
  if (!responseId || responseId.length > MAX_ID) errors.push({ field: 'detectIntentResponseId', problem: `must be a non-empty string of at most ${MAX_ID} characters` });
  if (errors.length || !tag || !responseId) return { kind: 'invalid', errors };
  if (!handoffTags.includes(tag)) return { kind: 'ignored', reason: `fulfillment tag "${tag}" is not a handoff tag (${handoffTags.join(', ')})` };

  const sessionInfo = body.sessionInfo;
  if (sessionInfo !== undefined && !isObj(sessionInfo)) errors.push({ field: 'sessionInfo', problem: 'must be an object' });
  const session = isObj(sessionInfo) ? str(sessionInfo.session) : undefined;
  if (session !== undefined && session.length > 2000) errors.push({ field: 'sessionInfo.session', problem: 'must be at most 2000 characters' });
  const parameters = isObj(sessionInfo) && sessionInfo.parameters !== undefined ? sessionInfo.parameters : {};
  if (!isObj(parameters)) errors.push({ field: 'sessionInfo.parameters', problem: 'must be an object' });
  const intentInfo = body.intentInfo;
  if (intentInfo !== undefined && !isObj(intentInfo)) errors.push({ field: 'intentInfo', problem: 'must be an object' });
  let intent: CxRequest['intent'];
  if (isObj(intentInfo)) {
    intent = {};
    const name = str(intentInfo.lastMatchedIntent);
    if (name) intent.name = name;
    const displayName = str(intentInfo.displayName);
    if (displayName) intent.displayName = displayName;
    if (intentInfo.confidence !== undefined) {
      const c = num(intentInfo.confidence);
      if (c === undefined || c < 0 || c > 1) errors.push({ field: 'intentInfo.confidence', problem: 'must be a number from 0 to 1' });
      else intent.confidence = c;
    }
  }
  const responses = responseTexts(body.messages, errors);
  if (body.payload !== undefined && body.payload !== null && !isObj(body.payload)) errors.push({ field: 'payload', problem: 'must be an object' });
  if (errors.length) return { kind: 'invalid', errors };

  const request: CxRequest = {
    responseId,
    tag,
    sessionId: session ? sessionIdOf(session) || responseId : responseId,
    parameters: parameters as Obj,
    formParameters: formParameters(body.pageInfo),
    responses,
    payload: body.payload,
  };
  if (session) request.session = session;
  const languageInfo = isObj(body.languageInfo) ? body.languageInfo : {};
  const languageCode = str(body.languageCode) ?? str(languageInfo.resolvedLanguageCode);
  if (languageCode) request.languageCode = languageCode;
  if (intent && Object.keys(intent).length) request.intent = intent;
  const query = str(body.text) ?? str(body.transcript);
  if (query) request.query = query;
  const triggerEvent = str(body.triggerEvent);
  if (triggerEvent) request.triggerEvent = triggerEvent;
  const s = body.sentimentAnalysisResult;
  if (isObj(s)) {
    const sentiment: NonNullable<CxRequest['sentiment']> = {};
    const score = num(s.score);
    if (score !== undefined) sentiment.score = score;
    const magnitude = num(s.magnitude);
    if (magnitude !== undefined) sentiment.magnitude = magnitude;
    request.sentiment = sentiment;
  }
  return { kind: 'handoff', request };
}
