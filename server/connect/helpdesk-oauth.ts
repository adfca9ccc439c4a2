/**
 * What a helpdesk module offers the Connect flow (server/connect/connect-routes.ts): how to send an admin to
 * the helpdesk's consent page and how to turn the returned code into a tenant section. A module exposes it as
 * its optional `oauth` member (HelpdeskModule.oauth); only `helpdesks/<name>/oauth.ts` knows the URLs.
 */

/** The global OAuth client Baton is registered as (BATON_<HELPDESK>_CLIENT_ID / _SECRET). */
export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface AuthorizeParams {
  /** The account the admin names (Zendesk: the subdomain), when the helpdesk needs one up front. */
  account?: string;
  client: OAuthClientCredentials;
  redirectUri: string;
  state: string;
  /** PKCE S256 challenge, when `pkce` is true. */
  codeChallenge?: string;
  /** Sandbox mode: the local sandbox's base URL instead of the helpdesk's own host. */
  baseUrl?: string;
}

export interface ExchangeParams extends Omit<AuthorizeParams, 'state' | 'codeChallenge'> {
  code: string;
  codeVerifier?: string;
  timeoutMs: number;
}

/** What a completed exchange gives the Connect flow. */
export interface OAuthConnection {
  /** The tenant's raw helpdesk section (as a config file would hold it), with the new token. */
  section: Record<string, unknown>;
  /** The connected account, for the result page and the default tenant id (subdomain, workspace id). */
  account: string;
  /** True when the helpdesk says the consenting user is an admin of the account (only admins may connect). */
  consentedByAdmin: boolean;
}

/** Thrown by `connect` when the helpdesk refuses the code (4xx) or cannot be reached (`unreachable`). */
export class OAuthExchangeError extends Error {
  constructor(
    message: string,
    readonly unreachable: boolean,
  ) {
    super(message);
    this.name = 'OAuthExchangeError';
  }
}

export interface HelpdeskOAuth {
  /** Query parameter naming the account on `GET /connect/<helpdesk>` (Zendesk: `subdomain`); absent: none needed. */
  readonly accountParam?: string;
  /** Strict check of that parameter: the normalized account, or undefined when it is not one. */
  parseAccount?(raw: string): string | undefined;
  /** The scopes asked for (documented on the result page and in docs/deploy.md). */
  readonly scopes: readonly string[];
  /** Whether the helpdesk takes PKCE (code_challenge S256 / code_verifier). */
  readonly pkce: boolean;
  /** Env names of the global client: `BATON_<X>_CLIENT_ID` / `_SECRET`. */
  readonly clientEnv: { id: string; secret: string };
  /** The client the local sandbox accepts (sandbox mode default). */
  readonly sandboxClient: OAuthClientCredentials;
  /** Sandbox mode: the sandbox's base URL under this process (`${ownBaseUrl}/sandbox/<name>`). */
  sandboxBaseUrl(ownBaseUrl: string): string;
  /** In sandbox mode, the account to connect when none is given. */
  readonly sandboxAccount?: string;
  /** The account a tenant's parsed section connects (to tell a re-connect from a clash); absent: not known. */
  accountOf?(section: unknown): string | undefined;
  authorizeUrl(p: AuthorizeParams): string;
  /** Exchanges the code and asks the helpdesk who consented; throws OAuthExchangeError. */
  connect(p: ExchangeParams): Promise<OAuthConnection>;
}
