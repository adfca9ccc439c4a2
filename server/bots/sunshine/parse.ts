/**
 * A Sunshine Conversations v2 webhook body (`{app, webhook, events[]}`, the spec's x-webhooks "Webhook Event")
 * → what each event means for Baton. One POST may carry several events; each is read on its own.
 *
 * - `switchboard:passControl` is the handoff, when control now rests where this tenant's mode expects it: with
 *   the agent workspace (`zd:agentWorkspace`, note mode) or with Baton's own switchboard integration (relay mode).
 *   A pass with a `reason` (`ticketClosed`, `transferToEmail`) ends an agent session; it is not a handoff.
 * - `switchboard:offerControl` / `acceptControl` / `releaseControl` and everything else: acknowledged and ignored
 *   with the reason. Baton keeps no switchboard state of its own: relay mode asks Sunshine for the conversation's
 *   active integration before passing control (client.ts), which is the state that matters, and is never stale.
 */
import type { FieldProblem } from '../bot-adapter.ts';
import { isObj, str, type Obj } from './normalize.ts';
import { AGENT_WORKSPACE, type SunshineSettings } from './settings.ts';

export const PASS_CONTROL = 'switchboard:passControl';
const SWITCHBOARD_STATE = ['switchboard:offerControl', 'switchboard:acceptControl', 'switchboard:releaseControl'];
const ID = /^[0-9A-Za-z_-]{1,64}$/;

export interface SunshineHandoff {
  eventId: string;
  createdAt?: string;
  conversationId: string;
  /** The integration now in control (the spec: "representing the switchboard integration that is now in control"). */
  active: { id?: string; name?: string; integrationType?: string };
  /** Flat metadata passed along with control (the bot may say why it handed over). */
  metadata: Record<string, string | number | boolean>;
  brandId?: string;
}

export type SunshineWebhook =
  | { kind: 'events'; appId: string; handoffs: SunshineHandoff[]; ignored: Array<{ eventId: string; type: string; reason: string }> }
  | { kind: 'invalid'; message: string; errors: FieldProblem[] };

function flatMetadata(v: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = x;
  return out;
}

function ignoreReason(type: string, payload: Obj, settings: Pick<SunshineSettings, 'mode' | 'switchboardIntegration'>): string | undefined {
  if (type !== PASS_CONTROL) {
    if (SWITCHBOARD_STATE.includes(type)) return `${type}: Baton acts on switchboard:passControl only`;
    return `${type} is not a handoff`;
  }
  const reason = str(payload.reason);
  if (reason) return `passControl with reason ${reason} ends an agent session`;
  const conv = payload.conversation as Obj;
  const active = isObj(conv.activeSwitchboardIntegration) ? conv.activeSwitchboardIntegration : {};
  const name = str(active.name);
  const type_ = str(active.integrationType);
  if (settings.mode === 'note') {
    if (type_ === AGENT_WORKSPACE) return undefined;
    return `control passed to ${name ?? type_ ?? 'an unnamed integration'}, not to ${AGENT_WORKSPACE} (note mode)`;
  }
  if (name === settings.switchboardIntegration || str(active.id) === settings.switchboardIntegration) return undefined;
  return `control passed to ${name ?? type_ ?? 'an unnamed integration'}, not to Baton's integration "${settings.switchboardIntegration}" (relay mode)`;
}

export function parseSunshineWebhook(body: unknown, settings: Pick<SunshineSettings, 'appId' | 'mode' | 'switchboardIntegration'>): SunshineWebhook {
  const errors: FieldProblem[] = [];
  if (!isObj(body)) return { kind: 'invalid', message: 'Body is not a Sunshine Conversations webhook', errors: [{ field: '(body)', problem: 'must be an object' }] };
  const appId = isObj(body.app) ? str(body.app.id) : undefined;
  if (!appId) errors.push({ field: 'app.id', problem: 'is required' });
  else if (appId !== settings.appId) errors.push({ field: 'app.id', problem: "is not this tenant's Sunshine app" });
  if (!Array.isArray(body.events) || body.events.length === 0) errors.push({ field: 'events', problem: 'must be a non-empty array' });
  if (errors.length) return { kind: 'invalid', message: 'Body is not a Sunshine Conversations webhook Baton can read', errors };
  const handoffs: SunshineHandoff[] = [];
  const ignored: Array<{ eventId: string; type: string; reason: string }> = [];
  (body.events as unknown[]).forEach((e, i) => {
    const at = `events[${i}]`;
    if (!isObj(e)) return void errors.push({ field: at, problem: 'must be an object' });
    const eventId = str(e.id);
    const type = str(e.type);
    if (!eventId || !ID.test(eventId)) errors.push({ field: `${at}.id`, problem: 'must be an id' });
    if (!type) errors.push({ field: `${at}.type`, problem: 'is required' });
    if (!eventId || !type || !ID.test(eventId)) return;
    const payload = isObj(e.payload) ? e.payload : undefined;
    if (type !== PASS_CONTROL) return void ignored.push({ eventId, type, reason: ignoreReason(type, payload ?? {}, settings) as string });
    const conv = payload && isObj(payload.conversation) ? payload.conversation : undefined;
    const conversationId = conv ? str(conv.id) : undefined;
    if (!payload || !conv || !conversationId || !ID.test(conversationId)) return void errors.push({ field: `${at}.payload.conversation.id`, problem: 'must be an id' });
    const reason = ignoreReason(type, payload, settings);
    if (reason) return void ignored.push({ eventId, type, reason });
    const active = isObj(conv.activeSwitchboardIntegration) ? conv.activeSwitchboardIntegration : {};
    const h: SunshineHandoff = {
      eventId,
      conversationId,
      active: { ...(str(active.id) ? { id: str(active.id) } : {}), ...(str(active.name) ? { name: str(active.name) } : {}), ...(str(active.integrationType) ? { integrationType: str(active.integrationType) } : {}) },
      metadata: flatMetadata(payload.metadata),
    };
    const createdAt = str(e.createdAt);
    if (createdAt && Number.isFinite(Date.parse(createdAt))) h.createdAt = new Date(Date.parse(createdAt)).toISOString();
    const brandId = str(conv.brandId);
    if (brandId) h.brandId = brandId;
    handoffs.push(h);
  });
  if (errors.length) return { kind: 'invalid', message: 'Some events of this Sunshine Conversations webhook cannot be read', errors };
  return { kind: 'events', appId: appId as string, handoffs, ignored };
}
