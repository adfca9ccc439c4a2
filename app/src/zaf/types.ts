/**
 * Types for the parts of the Zendesk App Framework (ZAF v2) SDK that Baton uses. The SDK itself is
 * untyped JavaScript; everything in the app talks to it through AppClient (./client.ts).
 */

/** What `app.registered` carries as `context`. */
export interface ZafContext {
  host?: string;
  product?: string;
  location: string;
  instanceGuid?: string;
  ticketId?: number;
  account?: { subdomain?: string };
}

export interface ZafSettings {
  title?: string;
  server_url?: string;
  show_transcript?: boolean | string;
  [name: string]: unknown;
}

export interface ZafMetadata {
  appId?: number;
  installationId?: number;
  name?: string;
  version?: string;
  settings: ZafSettings;
}

export interface ZafRegistration {
  context: ZafContext;
  metadata: ZafMetadata;
}

export interface ZafJwtOptions {
  algorithm: 'HS256';
  secret_key: string;
  /** Seconds. */
  expiry?: number;
  claims?: Record<string, string | number | boolean>;
}

export interface ZafRequestOptions {
  url: string;
  type?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  contentType?: string;
  data?: string;
  dataType?: 'json' | 'text';
  headers?: Record<string, string>;
  secure?: boolean;
  cors?: boolean;
  httpCompleteResponse?: boolean;
  timeout?: number;
  jwt?: ZafJwtOptions;
}

/** The jqXHR-like object the ZAF request proxy resolves/rejects with. */
export interface ZafXhrLike {
  status?: number;
  statusText?: string;
  responseText?: string;
  responseJSON?: unknown;
  headers?: Record<string, string>;
}

export type ZafGetResult = Record<string, unknown> & { errors?: Record<string, { message?: string; name?: string }> };

/** The raw client object `ZAFClient.init()` returns (official SDK, CDN or bundled copy). */
export interface RawZafClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK passes whatever the host sent
  on(name: string, handler: (data: any) => void, context?: unknown): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off?(name: string, handler: (data: any) => void): unknown;
  get(path: string | string[]): Promise<ZafGetResult>;
  set?(key: string, value: unknown): Promise<unknown>;
  invoke(name: string, ...args: unknown[]): Promise<unknown>;
  request(options: ZafRequestOptions): Promise<unknown>;
  context?(): Promise<ZafContext>;
  metadata?(): Promise<ZafMetadata>;
}

export interface ZafSdk {
  init(callback?: (context: ZafContext) => void): RawZafClient | false;
}

declare global {
  interface Window {
    ZAFClient?: ZafSdk;
  }
}
