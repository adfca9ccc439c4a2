/**
 * Entry point of the nav_bar location "Baton insights" (https://developer.zendesk.com/apps/docs/support-api/nav_bar).
 * Served by Baton (signed-URL install: Zendesk POSTs its signed token to `<BATON_PUBLIC_URL>/zendesk/insights`;
 * or the sandbox's /preview/insights), the page embeds `<script type="application/json" id="baton-insights-config">
 * {"endpoint": …}` (and, signed, the Baton session `#baton-session`) and the app calls that endpoint directly.
 * Packaged as an asset (Zendesk-hosted install), it calls through the request proxy (insights-api.ts, zafSource),
 * which Baton refuses for insights with a 403 the dashboard explains.
 */
import { createRoot } from 'react-dom/client';
import { wrapClient } from '../zaf/client.ts';
import { loadZafSdk } from '../zaf/load-sdk.ts';
import type { RawZafClient, ZafRegistration } from '../zaf/types.ts';
import { directSource, zafSource, type InsightsSource } from './insights-api.ts';
import { readEmbeddedSession, sessionBearer } from '../api.ts';
import { defaultQuery } from './use-insights.ts';
import { InsightsDashboard } from './InsightsDashboard.tsx';

interface EmbeddedConfig {
  endpoint: string;
  colorScheme?: 'light' | 'dark';
}

function readEmbeddedConfig(): EmbeddedConfig | undefined {
  const el = document.getElementById('baton-insights-config');
  if (!el?.textContent) return undefined;
  try {
    const v = JSON.parse(el.textContent) as Partial<EmbeddedConfig>;
    // Same-origin paths only: the page that embeds the config is Baton's own.
    if (typeof v.endpoint !== 'string' || !v.endpoint.startsWith('/') || v.endpoint.startsWith('//')) return undefined;
    return { endpoint: v.endpoint, ...(v.colorScheme === 'dark' ? { colorScheme: 'dark' } : {}) };
  } catch {
    return undefined;
  }
}

/** Renders the dashboard; the returned function re-renders it in another colour scheme (same state). */
function render(container: HTMLElement, source: InsightsSource, colorScheme: 'light' | 'dark'): (scheme: 'light' | 'dark') => void {
  const root = createRoot(container);
  const initialQuery = defaultQuery();
  const draw = (scheme: 'light' | 'dark') => root.render(<InsightsDashboard source={source} initialQuery={initialQuery} colorScheme={scheme} />);
  draw(colorScheme);
  return draw;
}

/**
 * Inside Zendesk (the iframe URL carries `origin` and `app_guid`), follow the agent's colour scheme through ZAF;
 * the data never goes through ZAF in this mode. Outside (the /preview), nothing to follow.
 */
async function followZendeskScheme(redraw: (scheme: 'light' | 'dark') => void): Promise<void> {
  const q = new URLSearchParams(location.search);
  if (!q.get('origin') || !q.get('app_guid')) return;
  const { sdk } = await loadZafSdk();
  const raw = sdk.init() as RawZafClient | false;
  if (!raw) return;
  const client = wrapClient(raw);
  const scheme = (v: unknown): 'light' | 'dark' | undefined => {
    const s = typeof v === 'object' && v !== null ? (v as { colorScheme?: unknown }).colorScheme : v;
    return s === 'dark' ? 'dark' : s === 'light' ? 'light' : undefined;
  };
  client.on('colorScheme.changed', (v) => {
    const s = scheme(v);
    if (s) redraw(s);
  });
  const got = await client.get(['colorScheme']).catch(() => ({}) as Record<string, unknown>);
  const s = scheme(got['colorScheme']);
  if (s) redraw(s);
}

async function boot(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) return;
  const embedded = readEmbeddedConfig();
  if (embedded) {
    // Served by Baton: with the session of a signed-URL install (renewed before it runs out), or none (/preview/insights).
    const session = readEmbeddedSession(document);
    const authorization = session ? () => sessionBearer({ serverUrl: location.origin, subdomain: '', session }, fetch) : undefined;
    const redraw = render(container, directSource({ endpoint: embedded.endpoint, ...(authorization ? { authorization } : {}) }), embedded.colorScheme ?? 'light');
    return followZendeskScheme(redraw).catch(() => undefined);
  }
  const { sdk } = await loadZafSdk();
  const raw = sdk.init() as RawZafClient | false;
  if (!raw) {
    container.textContent = 'Baton insights runs inside Zendesk (the nav bar), or at /preview/insights of a local Baton.';
    return;
  }
  const client = wrapClient(raw);
  const reg = await new Promise<ZafRegistration>((resolve) => client.onRegistered(resolve));
  const settings = reg.metadata?.settings ?? {};
  const serverUrl = typeof settings.server_url === 'string' ? settings.server_url : '';
  const ws = await client.get(['currentUser.id', 'currentAccount.subdomain', 'colorScheme']).catch(() => ({}) as Record<string, unknown>);
  const subdomain = reg.context?.account?.subdomain ?? (typeof ws['currentAccount.subdomain'] === 'string' ? ws['currentAccount.subdomain'] : '');
  const scheme = ws['colorScheme'] === 'dark' ? 'dark' : 'light';
  if (!serverUrl) {
    container.textContent = 'Set the Baton server URL in the app settings (Admin Center → Apps → Baton).';
    return;
  }
  // The Baton tenant: an explicit `tenant_id` setting when the installation has one, else the account subdomain.
  const tenantId = typeof settings.tenant_id === 'string' && settings.tenant_id ? settings.tenant_id : subdomain;
  const userId = ws['currentUser.id'] !== undefined ? String(ws['currentUser.id']) : undefined;
  const redraw = render(container, zafSource(client, { serverUrl, tenantId, subdomain, ...(userId ? { userId } : {}) }), scheme);
  client.on('colorScheme.changed', (v) => {
    const s = typeof v === 'object' && v !== null ? (v as { colorScheme?: unknown }).colorScheme : v;
    if (s === 'dark' || s === 'light') redraw(s);
  });
}

void boot();
