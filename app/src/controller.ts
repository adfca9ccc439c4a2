/**
 * SidebarController: the app's state outside React. It subscribes to the ZAF client immediately at
 * start-up (before React renders, so no event is missed), loads the report ONCE per ticket even though
 * Zendesk sends both `app.registered` and `app.activated` (and `app.activated` again whenever the agent
 * returns to the tab), and exposes a snapshot for useSyncExternalStore.
 */
import { fetchConnection, fetchHandoff, postFeedback, type BatonSession, type CallContext, type ConnectionState, type HandoffPayload } from './api.ts';
import type { AppClient } from './zaf/client.ts';
import type { ZafRegistration } from './zaf/types.ts';

export type Phase = 'waiting' | 'loading' | 'ready' | 'no_handoff' | 'unreachable' | 'unauthorized' | 'error' | 'not_configured' | 'no_ticket' | 'not_connected';
export type ColorScheme = 'light' | 'dark';

export interface SidebarState {
  phase: Phase;
  ticketId?: number;
  data?: HandoffPayload;
  errorStatus?: number;
  /** Undefined until the workspace told us (render waits for it, briefly). */
  locale?: string;
  colorScheme: ColorScheme;
  showTranscript: boolean;
  /** Phase `not_connected`: what Baton said about this account's connection (issue 13). */
  connection?: ConnectionState;
  /** ZAF `currentUser.role === 'admin'`: only decides whether the Connect button is shown (Baton checks at the end). */
  isAdmin?: boolean;
  /** ms timestamps for the bench: registration received and report shown. */
  timings: { registeredAt?: number; loadedAt?: number };
}

export interface FeedbackInput {
  accurate: boolean;
  comment?: string;
}

function toScheme(v: unknown): ColorScheme | undefined {
  const s = typeof v === 'object' && v !== null ? (v as { colorScheme?: unknown }).colorScheme : v;
  return s === 'dark' ? 'dark' : s === 'light' ? 'light' : undefined;
}

function truthySetting(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  return v === true || v === 'true' || v === 1 || v === '1';
}

export class SidebarController {
  private state: SidebarState;
  private listeners = new Set<() => void>();
  private call?: CallContext;
  private loadingFor?: number;
  private started = false;
  /** How many report requests were made; the tests and the bench read it. */
  requestCount = 0;

  constructor(
    private readonly client: AppClient,
    opts: {
      colorScheme?: ColorScheme;
      now?: () => number;
      /** The Baton session the page embeds (signed-URL mode, api.ts): calls go straight to `sessionBaseUrl`. */
      session?: BatonSession;
      /** Where Baton is in session mode: the page's own origin (Baton served it). */
      sessionBaseUrl?: string;
    } = {},
  ) {
    this.state = { phase: 'waiting', colorScheme: opts.colorScheme ?? 'light', showTranscript: true, timings: {} };
    this.session = opts.session;
    this.sessionBaseUrl = opts.sessionBaseUrl ?? (typeof location !== 'undefined' ? location.origin : '');
    this.now = opts.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  }

  private readonly now: () => number;
  private readonly session?: BatonSession;
  private readonly sessionBaseUrl: string;

  getState = (): SidebarState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private set(patch: Partial<SidebarState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.client.onRegistered((reg) => this.onRegistered(reg));
    // Re-activation (the agent switches back to this ticket tab) must not refetch: same ticket, same data.
    this.client.on('app.activated', () => undefined);
    this.client.on('colorScheme.changed', (v) => {
      const s = toScheme(v);
      if (s && s !== this.state.colorScheme) this.set({ colorScheme: s });
    });
  }

  private onRegistered(reg: ZafRegistration): void {
    const ctx = reg.context ?? ({} as ZafRegistration['context']);
    const settings = reg.metadata?.settings ?? {};
    const ticketId = typeof ctx.ticketId === 'number' ? ctx.ticketId : Number(ctx.ticketId) || undefined;
    const serverUrl = typeof settings.server_url === 'string' ? settings.server_url : '';
    this.set({ timings: { registeredAt: this.now() }, showTranscript: truthySetting(settings.show_transcript, true) });
    // Session mode ignores the server_url setting: Baton served this page, and the agent is the session's.
    this.call = this.session
      ? { serverUrl: this.sessionBaseUrl, subdomain: ctx.account?.subdomain ?? '', session: this.session }
      : { serverUrl, subdomain: ctx.account?.subdomain ?? '' };

    // Locale, colour scheme and the agent's id come from the workspace. The report request waits for them:
    // the server checks the agent its token names (`sub`) with Zendesk, so it must be there.
    const workspace = this.client
      .get(['currentUser.locale', 'currentUser.id', 'currentUser.role', 'colorScheme', 'currentAccount.subdomain'])
      .then((r) => {
        const patch: Partial<SidebarState> = { locale: typeof r['currentUser.locale'] === 'string' ? r['currentUser.locale'] : 'en', isAdmin: r['currentUser.role'] === 'admin' };
        const s = toScheme(r['colorScheme']);
        if (s) patch.colorScheme = s;
        if (this.call) {
          if (r['currentUser.id'] !== undefined) this.call.userId = String(r['currentUser.id']);
          if (!this.call.subdomain && typeof r['currentAccount.subdomain'] === 'string') this.call.subdomain = r['currentAccount.subdomain'];
        }
        this.set(patch);
      })
      .catch(() => this.set({ locale: this.state.locale ?? 'en' }));

    if (!ticketId) return this.set({ phase: 'no_ticket' });
    if (!this.call.serverUrl) return this.set({ phase: 'not_configured', ticketId });
    void workspace.then(() => this.load(ticketId));
  }

  /** Loads the report for a ticket once; `force` (the Retry button) loads again. */
  async load(ticketId: number, force = false): Promise<void> {
    if (!this.call) return;
    if (!force && (this.loadingFor === ticketId)) return;
    this.loadingFor = ticketId;
    this.requestCount += 1;
    this.set({ phase: 'loading', ticketId, data: undefined, errorStatus: undefined });
    const out = await fetchHandoff(this.client, this.call, ticketId);
    if (this.loadingFor !== ticketId) return;
    const t = this.now();
    switch (out.kind) {
      case 'ok':
        return this.set({ phase: 'ready', data: out.data, timings: { ...this.state.timings, loadedAt: t } });
      case 'error':
        return this.set({ phase: 'error', errorStatus: out.status });
      case 'unauthorized':
      case 'no_handoff': {
        // Not signed in, or nothing for this ticket: is the account connected at all (or disconnected)?
        const connection = await fetchConnection(this.client, this.call, ticketId);
        if (this.loadingFor !== ticketId) return;
        if (connection && !connection.connected && connection.reason !== 'unverified') return this.set({ phase: 'not_connected', connection });
        return this.set({ phase: out.kind });
      }
      default:
        return this.set({ phase: out.kind });
    }
  }

  retry(): void {
    if (this.state.ticketId) void this.load(this.state.ticketId, true);
  }

  async sendFeedback(input: FeedbackInput): Promise<boolean> {
    const { data, ticketId } = this.state;
    if (!this.call || !data || !ticketId) return false;
    return postFeedback(this.client, this.call, ticketId, {
      handoffId: data.handoffId,
      accurate: input.accurate,
      ...(input.comment ? { comment: input.comment.slice(0, 2000) } : {}),
    });
  }

  async insertIntoReply(text: string): Promise<boolean> {
    try {
      await this.client.invoke('ticket.editor.insert', text);
      return true;
    } catch {
      return false;
    }
  }

  resize(height: number): void {
    this.client.resize(height);
  }
}
