/**
 * The server-side half of a Connect flow between `GET /connect/<helpdesk>` and its callback: the `state`
 * (CSRF, RFC 6749 §10.12) and the PKCE verifier, keyed by a random session id the browser holds in an
 * HttpOnly cookie. Single use (taken at the callback) and short-lived. In memory: a flow must come back to the
 * process that started it (one process, or sticky sessions on /connect with replicas — docs/deploy.md).
 */
import { randomBytes } from 'node:crypto';

export const CONNECT_SESSION_TTL_MS = 10 * 60_000;
const MAX_SESSIONS = 10_000;

export interface ConnectSession {
  helpdesk: string;
  state: string;
  codeVerifier?: string;
  account?: string;
  tenantId?: string;
  redirectUri: string;
  expiresAt: number;
}

export class ConnectSessions {
  private readonly sessions = new Map<string, ConnectSession>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Stores a new session; returns its id (the cookie value). */
  start(session: Omit<ConnectSession, 'expiresAt'>): string {
    this.sweep();
    // Bounded: the oldest flows go first when someone opens thousands.
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { ...session, expiresAt: this.now() + CONNECT_SESSION_TTL_MS });
    return id;
  }

  /** Removes and returns the session (single use); undefined when unknown or expired. */
  take(id: string | undefined): ConnectSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    return s && s.expiresAt > this.now() ? s : undefined;
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= t) this.sessions.delete(id);
  }
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
