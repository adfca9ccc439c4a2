/**
 * Types shared by the sandboxes built on the kit (sandbox/kit/create-spec-router.ts): one handler per
 * OpenAPI operation, scripted responses, a bounded call log without credentials.
 */

export interface ValidationIssue {
  /** Dotted path into the body, e.g. `ticket.priority`; `(body)` for the body as a whole; `header.X` / `query.x` / `path.x` for parameters. */
  path: string;
  message: string;
  keyword: string;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON, strings as text/plain. */
  body?: unknown;
  /** Wait this long before answering (or dropping). */
  delayMs?: number;
  /** Destroy the socket instead of answering. */
  drop?: boolean;
  /**
   * Let the sandbox handle the request for real (after delayMs): with `drop`, the write happens and the
   * response is lost; with `delayMs`, the real answer comes late (e.g. after the client's timeout).
   */
  passThrough?: boolean;
  /** Only for a request matching this: a path as sent (normalized by the sandbox) or a RegExp on the raw path. */
  match?: { method?: string; path?: string | RegExp };
}

export interface SandboxScript {
  /**
   * Queues a one-shot response for the next matching API request. A scripted answer (not passThrough) is
   * given before auth, validation and the sandbox's own rate limit; it still counts toward that limit and
   * carries its headers, which the script's own headers override.
   */
  next(response: ScriptedResponse): void;
  /** Responses still queued. */
  pending(): number;
  clear(): void;
}

/** One API request as a kit sandbox records it. */
export interface KitCall {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** Path below the sandbox mount point, without the query. */
  path: string;
  query: Record<string, string>;
  /** The spec's operationId, when the method and path matched one. */
  operation?: string;
  /** Path parameters of the matched operation, decoded. */
  params: Record<string, string>;
  /** Request headers, names lowercased; credentials (Authorization, Cookie…) replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** Keyed fingerprint of the Authorization header (see call-log.ts). */
  credential?: string;
  /** Parsed JSON body (undefined when there was none or it did not parse). */
  body: unknown;
  rawBody: string;
  /** Arrival time from the sandbox clock (ms since epoch). */
  at: number;
  scripted: boolean;
  /** False when the request broke the official spec (or was not JSON where JSON is required). */
  valid: boolean;
  validation: { checked: boolean; errors: ValidationIssue[] };
  /** Status answered; undefined while pending, 0 when the connection was dropped. */
  status?: number;
  dropped: boolean;
}
