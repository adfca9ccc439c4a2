/**
 * How the "Baton insights" nav_bar app gets its figures: `GET /v1/tenants/{tenantId}/insights` (JSON, or
 * `format=csv`). Two transports, as for the sidebar (../api.ts):
 *  - `zaf`: through Zendesk's request proxy with `secure: true` + `jwt`, so Zendesk signs an HS256 token with
 *    the secure setting `shared_secret`; the claims name the account (`iss`) and the user (`sub`). The server
 *    refuses this for insights (403): the proxy signs whatever `sub` the browser wrote, so it cannot prove an
 *    admin; the dashboard then says to install with signed URLs.
 * Only admins get data: the SERVER checks the user's role with Zendesk (server/helpdesks/zendesk/sidebar/insights-auth.ts).
 *  - `direct`: a same-origin call to Baton, which served the page: in a signed-URL install (nav_bar url
 *    `<BATON_PUBLIC_URL>/zendesk/insights`) with the Baton session for the user Zendesk signed for, as the sidebar
 *    does; on /preview/insights (sandbox mode) without one.
 * Nothing here decides who may see what; a 401/403 just becomes the "not allowed" state.
 */
import type { AppClient } from '../zaf/client.ts';
import type { Insights, InsightsFilters, InsightsGroupBy } from '../../../server/types/insights.ts';
import { baseUrl, JWT_EXPIRY_SEC } from '../api.ts';

export interface DashboardQuery {
  from: string;
  to: string;
  groupBy: InsightsGroupBy;
  filters: Pick<InsightsFilters, 'bot' | 'channel' | 'reason' | 'topic'>;
}

export const FILTER_KEYS = ['bot', 'channel', 'reason', 'topic'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export type InsightsOutcome =
  | { kind: 'ok'; data: Insights }
  | { kind: 'unauthorized'; status: number; message?: string }
  | { kind: 'unreachable' }
  | { kind: 'error'; status: number; message?: string };

export interface InsightsSource {
  load(q: DashboardQuery): Promise<InsightsOutcome>;
  /** A URL the CSV link can point at directly (direct mode), or undefined when it must be fetched (zaf mode). */
  csvHref(q: DashboardQuery): string | undefined;
  /** Fetches the CSV text (zaf mode: through the proxy; the link then saves it as a file). */
  loadCsv(q: DashboardQuery): Promise<string | undefined>;
}

/** The query string the API takes: from, to, groupBy, then the filters that are set (stable order). */
export function queryString(q: DashboardQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ from: q.from, to: q.to, groupBy: q.groupBy });
  for (const k of FILTER_KEYS) {
    const v = q.filters[k];
    if (v) p.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

export function isInsights(v: unknown): v is Insights {
  const b = v as Partial<Insights> | undefined;
  return Boolean(b && typeof b === 'object' && b.totals && Array.isArray(b.series) && b.breakdown && b.firstReply && b.rates);
}

function errorMessage(body: unknown): string | undefined {
  const m = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof m === 'string' ? m.slice(0, 300) : undefined;
}

export function classifyInsights(status: number, body: unknown): InsightsOutcome {
  if (status >= 200 && status < 300) return isInsights(body) ? { kind: 'ok', data: body } : { kind: 'error', status, message: 'The answer was not insights data.' };
  const message = errorMessage(body);
  if (status === 401 || status === 403) return { kind: 'unauthorized', status, ...(message ? { message } : {}) };
  if (status === 0 || status === 502 || status === 504) return { kind: 'unreachable' };
  return { kind: 'error', status, ...(message ? { message } : {}) };
}

/**
 * Same-origin calls; `endpoint` is the insights URL without a query. `authorization` (signed-URL install: the
 * Baton session Zendesk's signed POST started, renewed by ../api.ts sessionBearer) gives each call its header.
 */
export function directSource(opts: { endpoint: string; authorization?: () => Promise<string>; fetchImpl?: typeof fetch }): InsightsSource {
  const f = opts.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const auth = async (): Promise<Record<string, string>> => (opts.authorization ? { Authorization: await opts.authorization() } : {});
  return {
    async load(q) {
      try {
        const headers = await auth();
        const res = await f(`${opts.endpoint}?${queryString(q)}`, { headers: { ...headers, Accept: 'application/json' } });
        let body: unknown;
        try {
          body = await res.json();
        } catch {
          body = undefined;
        }
        return classifyInsights(res.status, body);
      } catch {
        return { kind: 'unreachable' };
      }
    },
    // With a session the CSV needs the header too: fetched, then saved (no token in a URL).
    csvHref: (q) => (opts.authorization ? undefined : `${opts.endpoint}?${queryString(q, { format: 'csv' })}`),
    async loadCsv(q) {
      try {
        const headers = await auth();
        const res = await f(`${opts.endpoint}?${queryString(q, { format: 'csv' })}`, { headers: { ...headers, Accept: 'text/csv' } });
        return res.ok ? await res.text() : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export interface ZafInsightsContext {
  serverUrl: string;
  tenantId: string;
  subdomain: string;
  userId?: string;
}

/** Through Zendesk's request proxy, signed with the app's shared secret (see the file comment). */
export function zafSource(client: AppClient, ctx: ZafInsightsContext): InsightsSource {
  const url = (q: DashboardQuery, extra: Record<string, string> = {}) =>
    `${baseUrl(ctx.serverUrl)}/v1/tenants/${encodeURIComponent(ctx.tenantId)}/insights?${queryString(q, extra)}`;
  const options = (u: string, dataType: 'json' | 'text') => ({
    url: u,
    type: 'GET' as const,
    secure: true,
    cors: false,
    dataType,
    timeout: 20_000,
    headers: { Authorization: 'Bearer {{jwt.token}}', Accept: dataType === 'json' ? 'application/json' : 'text/csv' },
    jwt: {
      algorithm: 'HS256' as const,
      secret_key: '{{setting.shared_secret}}',
      expiry: JWT_EXPIRY_SEC,
      claims: { iss: ctx.subdomain, scope: 'insights', ...(ctx.userId ? { sub: ctx.userId } : {}) },
    },
  });
  return {
    async load(q) {
      try {
        const res = await client.request(options(url(q), 'json'));
        return classifyInsights(res.status, res.body);
      } catch {
        return { kind: 'unreachable' };
      }
    },
    csvHref: () => undefined,
    async loadCsv(q) {
      try {
        const res = await client.request(options(url(q, { format: 'csv' }), 'text'));
        return res.status === 200 && typeof res.body === 'string' ? res.body : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
