import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { createGlobalStyle } from 'styled-components';
import { DEFAULT_THEME, ThemeProvider, getColor, type IGardenTheme } from '@zendeskgarden/react-theming';
import type { SidebarController } from './controller.ts';
import { createI18n } from './i18n/i18n.ts';
import { I18nProvider } from './i18n/context.tsx';
import { Root } from './components/layout.tsx';
import { Briefing } from './components/Briefing.tsx';
import { LoadingSkeleton, StateMessage } from './components/States.tsx';
import { ConnectState } from './components/ConnectState.tsx';

const GlobalStyle = createGlobalStyle`
  html, body {
    margin: 0;
    background: ${(p) => getColor({ theme: p.theme as IGardenTheme, variable: 'background.default' })};
    color-scheme: ${(p) => (p.theme as IGardenTheme).colors.base};
  }
`;

export function themeFor(scheme: 'light' | 'dark'): IGardenTheme {
  return { ...DEFAULT_THEME, colors: { ...DEFAULT_THEME.colors, base: scheme } };
}

/** Reports the content height to Zendesk so the iframe fits it (no inner scrollbar). */
function useAutoResize(ref: React.RefObject<HTMLElement | null>, resize: (h: number) => void): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (f: FrameRequestCallback) => Number(setTimeout(() => f(0), 16));
    const caf = typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame : (id: number) => clearTimeout(id);
    let frame = 0;
    const report = () => {
      caf(frame);
      frame = raf(() => resize(el.getBoundingClientRect().height));
    };
    report();
    if (typeof ResizeObserver === 'undefined') return () => caf(frame);
    const ro = new ResizeObserver(report);
    ro.observe(el);
    return () => {
      ro.disconnect();
      caf(frame);
    };
  }, [ref, resize]);
}

export function App({ controller }: { controller: SidebarController }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
  const i18n = useMemo(() => createI18n(state.locale), [state.locale]);
  const theme = useMemo(() => themeFor(state.colorScheme), [state.colorScheme]);
  const ref = useRef<HTMLElement>(null);
  const resize = useMemo(() => (h: number) => controller.resize(h), [controller]);
  useAutoResize(ref, resize);

  // Until the workspace has told us the agent's locale, keep showing the skeleton (it is only a few ms).
  const localeKnown = state.locale !== undefined;
  let body: React.ReactNode;
  if (!localeKnown || state.phase === 'waiting' || state.phase === 'loading') body = <LoadingSkeleton />;
  else if (state.phase === 'ready' && state.data)
    body = (
      <Briefing
        payload={state.data}
        showTranscript={state.showTranscript}
        onInsert={(text) => controller.insertIntoReply(text)}
        onFeedback={(accurate, comment) => controller.sendFeedback({ accurate, ...(comment ? { comment } : {}) })}
      />
    );
  else if (state.phase === 'not_connected' && state.connection) body = <ConnectState connection={state.connection} isAdmin={state.isAdmin === true} />;
  else body = <StateMessage phase={state.phase} status={state.errorStatus} onRetry={() => controller.retry()} />;

  return (
    <ThemeProvider theme={theme}>
      <GlobalStyle />
      <I18nProvider i18n={i18n}>
        <Root ref={ref} lang={i18n.locale} data-phase={localeKnown ? state.phase : 'waiting'} data-color-scheme={state.colorScheme}>
          {body}
        </Root>
      </I18nProvider>
    </ThemeProvider>
  );
}
