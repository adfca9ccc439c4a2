/**
 * Per-tenant alerts an admin expects: a dead-lettered handoff, a helpdesk that stopped accepting Baton's
 * credentials (disconnected), deliveries failing again and again. Rate-limited: at most one message per kind
 * per tenant per `minIntervalMinutes`; what comes in between is counted and sent as one summary when the
 * window ends ("3 more …"). Messages carry ids and reasons, never customer text (no PII leaves through alerts).
 *
 * Slack incoming webhooks take `{"text": "…"}` (https://api.slack.com/messaging/webhooks); the generic format is
 * `{source, tenantId, kind, message, count, at}`. The destination URL is never logged.
 */
import type { Logger } from 'pino';
import type { AlertConfig } from './alert-config.ts';

export const ALERT_KINDS = ['dead_letter', 'helpdesk_disconnected', 'delivery_failing', 'test'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertEvent {
  tenantId: string;
  kind: AlertKind;
  /** One line, ids and reasons only. */
  message: string;
}

export interface DeliveryOutcome {
  delivered: boolean;
  status?: number;
  error?: string;
}

export interface AlerterDeps {
  destinationOf(tenantId: string): AlertConfig | undefined;
  logger: Logger;
  now?: () => number;
  timeoutMs?: number;
  /** Fire the window-end summaries by timer (default true; tests call flushDue with their clock). */
  timers?: boolean;
}

interface Window {
  lastSentAt: number;
  pending: number;
  firstPendingAt?: number;
  lastMessage?: string;
}

const TITLES: Record<AlertKind, string> = {
  dead_letter: 'Handoff dead-lettered',
  helpdesk_disconnected: 'Helpdesk disconnected',
  delivery_failing: 'Deliveries failing',
  test: 'Test alert',
};

export function alertBody(format: AlertConfig['format'], e: AlertEvent, count: number, at: number): Record<string, unknown> {
  const more = count > 1 ? ` (${count} alerts of this kind since the last message)` : '';
  if (format === 'slack') return { text: `:rotating_light: *Baton — ${TITLES[e.kind]}* (tenant \`${e.tenantId}\`): ${e.message}${more}` };
  return { source: 'baton', tenantId: e.tenantId, kind: e.kind, title: TITLES[e.kind], message: e.message, count, at: new Date(at).toISOString() };
}

export class Alerter {
  private readonly windows = new Map<string, Window>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: AlerterDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Sends now, ignoring the rate limit (the admin API's test button). */
  async sendNow(e: AlertEvent, count = 1): Promise<DeliveryOutcome> {
    const dest = this.deps.destinationOf(e.tenantId);
    if (!dest) return { delivered: false, error: 'no alert destination configured' };
    try {
      const res = await fetch(dest.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Baton-Alerts/1' },
        body: JSON.stringify(alertBody(dest.format, e, count, this.now())),
        redirect: 'error',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 5_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.deps.logger.warn({ tenantId: e.tenantId, kind: e.kind, status: res.status }, 'alert not accepted by its destination');
      return res.ok ? { delivered: true, status: res.status } : { delivered: false, status: res.status, error: `the destination answered HTTP ${res.status}` };
    } catch (err) {
      this.deps.logger.warn({ tenantId: e.tenantId, kind: e.kind, err: (err as Error).name }, 'alert could not be delivered');
      return { delivered: false, error: `the destination could not be reached (${(err as Error).name})` };
    }
  }

  /** Rate-limited, fire-and-forget: sends at once when the window is free, else counts it for the summary. */
  notify(e: AlertEvent): void {
    const dest = this.deps.destinationOf(e.tenantId);
    if (!dest) return;
    const key = `${e.tenantId}\u0000${e.kind}`;
    const at = this.now();
    const intervalMs = dest.minIntervalMinutes * 60_000;
    const w = this.windows.get(key);
    if (!w || at - w.lastSentAt >= intervalMs) {
      const count = 1 + (w?.pending ?? 0);
      this.windows.set(key, { lastSentAt: at, pending: 0 });
      this.track(this.sendNow(e, count));
      return;
    }
    w.pending += 1;
    w.firstPendingAt ??= at;
    w.lastMessage = e.message;
    if (w.pending === 1 && this.deps.timers !== false) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.flushDue();
      }, w.lastSentAt + intervalMs - at);
      t.unref();
      this.timers.add(t);
    }
  }

  /** Sends one summary per window that has ended with alerts counted in it. */
  async flushDue(): Promise<void> {
    const at = this.now();
    const sends: Array<Promise<unknown>> = [];
    for (const [key, w] of this.windows) {
      if (w.pending === 0) continue;
      const [tenantId, kind] = key.split('\u0000') as [string, AlertKind];
      const dest = this.deps.destinationOf(tenantId);
      if (!dest) {
        this.windows.delete(key);
        continue;
      }
      if (at - w.lastSentAt < dest.minIntervalMinutes * 60_000) continue;
      const count = w.pending;
      this.windows.set(key, { lastSentAt: at, pending: 0 });
      sends.push(this.sendNow({ tenantId, kind, message: `${count} more since ${new Date(w.firstPendingAt ?? at).toISOString()}; the latest: ${w.lastMessage ?? ''}` }, count));
    }
    await Promise.all(sends);
  }

  /** Waits for sends in flight (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

/**
 * Sustained delivery failures: `threshold` failed tries in a row for one tenant's helpdesk raise one
 * `delivery_failing` alert (then the alerter's window limits repeats); a success resets the count.
 */
export class DeliveryFailureWatch {
  private readonly streaks = new Map<string, number>();
  constructor(
    private readonly alerter: Pick<Alerter, 'notify'>,
    private readonly threshold = 5,
  ) {}

  failed(tenantId: string, helpdesk: string, reason: string): void {
    const key = `${tenantId}\u0000${helpdesk}`;
    const n = (this.streaks.get(key) ?? 0) + 1;
    this.streaks.set(key, n);
    if (n >= this.threshold && n % this.threshold === 0)
      this.alerter.notify({ tenantId, kind: 'delivery_failing', message: `${n} ${helpdesk} writes in a row failed; the latest: ${reason.slice(0, 300)}` });
  }

  succeeded(tenantId: string, helpdesk: string): void {
    this.streaks.delete(`${tenantId}\u0000${helpdesk}`);
  }
}
