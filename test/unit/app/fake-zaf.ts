/** A scripted stand-in for the raw ZAF client, recording every call (no timers, no postMessage). */
import type { RawZafClient, ZafGetResult, ZafRegistration, ZafRequestOptions, ZafXhrLike } from '../../../app/src/zaf/types.ts';
import { SidebarController } from '../../../app/src/controller.ts';
import { wrapClient } from '../../../app/src/zaf/client.ts';
import { sampleReport, SAMPLE_TICKET_ID } from '../../../app/src/demo/sample-report.ts';

type Handler = (data: unknown) => void;

export type Responder = (opts: ZafRequestOptions) => Promise<ZafXhrLike>;

export const okHandoff = (report = sampleReport()): Responder => async () => ({
  status: 200,
  responseJSON: { handoffId: 'ho_test', createdAt: '2024-05-03T09:20:00.000Z', report },
});

export const statusOnly = (status: number): Responder => async () => {
  throw { status, responseText: JSON.stringify({ error: { code: 'x', message: 'y' } }) } satisfies ZafXhrLike;
};

export class FakeZaf implements RawZafClient {
  handlers = new Map<string, Handler[]>();
  requests: ZafRequestOptions[] = [];
  invokes: Array<{ name: string; args: unknown[] }> = [];
  values: Record<string, unknown> = { 'currentUser.locale': 'en-US', 'currentUser.id': 4242, colorScheme: 'light', 'currentAccount.subdomain': 'acme' };
  feedbackResponder: Responder = async () => ({ status: 201, responseJSON: { id: 1 } });
  pending: Array<() => void> = [];

  constructor(public responder: Responder = okHandoff()) {}

  on(name: string, handler: Handler): void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
  }
  emit(name: string, data: unknown): void {
    for (const h of this.handlers.get(name) ?? []) h(data);
  }
  async get(path: string | string[]): Promise<ZafGetResult> {
    const out: ZafGetResult = { errors: {} };
    for (const p of Array.isArray(path) ? path : [path]) {
      if (p in this.values) out[p] = this.values[p];
      else out.errors![p] = { message: `Could not find "${p}"`, name: 'Error' };
    }
    return out;
  }
  async invoke(name: string, ...args: unknown[]): Promise<unknown> {
    this.invokes.push({ name, args });
    return { errors: {} };
  }
  async request(options: ZafRequestOptions): Promise<unknown> {
    this.requests.push(options);
    const responder = options.type === 'POST' ? this.feedbackResponder : this.responder;
    const res = await responder(options);
    return res;
  }

  register(overrides: Partial<ZafRegistration['context']> = {}, settings: Record<string, unknown> = {}): void {
    this.emit('app.registered', {
      context: { location: 'ticket_sidebar', ticketId: SAMPLE_TICKET_ID, account: { subdomain: 'acme' }, ...overrides },
      metadata: { appId: 1, installationId: 1, settings: { server_url: 'https://baton.example.com/', ...settings } },
    } satisfies ZafRegistration);
    this.emit('app.activated', { firstLoad: true });
  }

  handoffRequests(): ZafRequestOptions[] {
    return this.requests.filter((r) => (r.type ?? 'GET') === 'GET');
  }
}

export function setup(responder?: Responder): { zaf: FakeZaf; controller: SidebarController } {
  const zaf = new FakeZaf(responder);
  const controller = new SidebarController(wrapClient(zaf));
  controller.start();
  return { zaf, controller };
}
