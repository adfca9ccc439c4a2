/**
 * Entry point of the sidebar iframe. Subscribes to ZAF before React renders (see SidebarController),
 * then renders the app. Outside Zendesk (no `origin`/`app_guid` query parameters) it says so.
 */
import { createRoot } from 'react-dom/client';
import { SidebarController, type ColorScheme } from './controller.ts';
import { wrapClient } from './zaf/client.ts';
import { loadZafSdk } from './zaf/load-sdk.ts';
import type { RawZafClient } from './zaf/types.ts';
import { App } from './App.tsx';
import { readEmbeddedSession } from './api.ts';

// No test hooks on `window`: the production bundle is what the e2e tests drive, through the UI and the
// /preview host's own record of ZAF traffic (test/unit/app/production-bundle.test.ts checks the bundle).

async function boot(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const scheme: ColorScheme = params.get('colorScheme') === 'dark' ? 'dark' : 'light';
  const container = document.getElementById('root');
  if (!container) return;
  const { sdk } = await loadZafSdk();
  const raw = sdk.init() as RawZafClient | false;
  if (!raw) {
    container.textContent = 'Baton runs inside Zendesk. Open a ticket in the Agent Workspace (or the local /preview).';
    return;
  }
  // Served by Baton after Zendesk's signed POST (signed-URL install)? Then the page holds a Baton session.
  const session = readEmbeddedSession(document);
  const controller = new SidebarController(wrapClient(raw), { colorScheme: scheme, ...(session ? { session } : {}) });
  controller.start();
  createRoot(container).render(<App controller={controller} />);
}

void boot();
