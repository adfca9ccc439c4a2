/**
 * Per-tenant client-side rate limiting for helpdesk APIs: stay under the account's limit instead of
 * bouncing off 429s. The limit is learned from Zendesk's headers (X-Rate-Limit / ratelimit-limit,
 * https://developer.zendesk.com/api-reference/introduction/rate-limits/), capped by our configured
 * ceiling; a 429 pauses the whole tenant until Retry-After has passed.
 */

const WINDOW_MS = 60_000;
/** Keep a margin under the account limit: other integrations share it. */
const SHARE_OF_LEARNED_LIMIT = 0.8;

interface TenantWindow {
  sent: number[];
  learnedLimit?: number;
  pausedUntil: number;
}

export class TenantRateLimiter {
  private readonly tenants = new Map<string, TenantWindow>();

  constructor(
    private readonly ceilingFor: (tenantId: string) => number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private window(tenantId: string): TenantWindow {
    let w = this.tenants.get(tenantId);
    if (!w) this.tenants.set(tenantId, (w = { sent: [], pausedUntil: 0 }));
    return w;
  }

  /** Requests per minute Baton allows itself for this tenant right now. */
  limitFor(tenantId: string): number {
    const w = this.window(tenantId);
    const ceiling = this.ceilingFor(tenantId);
    return w.learnedLimit ? Math.max(1, Math.min(ceiling, Math.floor(w.learnedLimit * SHARE_OF_LEARNED_LIMIT))) : ceiling;
  }

  /** Ms until this tenant may send again (0 = now). */
  waitFor(tenantId: string): number {
    const now = this.clock();
    const w = this.window(tenantId);
    while (w.sent.length && (w.sent[0] as number) <= now - WINDOW_MS) w.sent.shift();
    const pause = Math.max(0, w.pausedUntil - now);
    const limit = this.limitFor(tenantId);
    const windowWait = w.sent.length >= limit ? (w.sent[w.sent.length - limit] as number) + WINDOW_MS - now : 0;
    return Math.max(pause, windowWait);
  }

  /** Waits for a slot and takes it. */
  async acquire(tenantId: string): Promise<void> {
    for (let wait = this.waitFor(tenantId); wait > 0; wait = this.waitFor(tenantId)) await this.sleep(wait);
    this.window(tenantId).sent.push(this.clock());
  }

  /** Learns from a response's rate-limit headers (lower-cased names). */
  observe(tenantId: string, headers: Record<string, unknown>): void {
    const w = this.window(tenantId);
    const limit = Number(headers['x-rate-limit'] ?? headers['ratelimit-limit']);
    if (Number.isFinite(limit) && limit > 0) w.learnedLimit = limit;
    const remaining = Number(headers['x-rate-limit-remaining'] ?? headers['ratelimit-remaining']);
    const reset = Number(headers['ratelimit-reset']);
    // The account is nearly spent by others too: hold off until the window resets.
    if (Number.isFinite(remaining) && remaining <= 1 && Number.isFinite(reset) && reset > 0) this.pause(tenantId, this.clock() + reset * 1000);
  }

  pause(tenantId: string, untilMs: number): void {
    const w = this.window(tenantId);
    w.pausedUntil = Math.max(w.pausedUntil, untilMs);
  }

  pausedUntil(tenantId: string): number {
    return this.window(tenantId).pausedUntil;
  }

  /** Tenants that may not send now (the worker does not claim their jobs). */
  pausedTenants(): Set<string> {
    const now = this.clock();
    return new Set([...this.tenants].filter(([, w]) => w.pausedUntil > now).map(([id]) => id));
  }
}
