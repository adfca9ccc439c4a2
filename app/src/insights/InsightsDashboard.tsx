/**
 * "Baton insights": the nav_bar page. Range and filters on top, headline figures, then charts (each with a
 * table fallback), the bot owner's to-do list and the reason clusters. Loading, empty and error states use
 * Garden's Alert / Well; a refetch keeps the last figures visible, marked busy.
 */
import { useMemo, useState } from 'react';
import styled, { createGlobalStyle } from 'styled-components';
import { DEFAULT_THEME, ThemeProvider, getColor, type IGardenTheme } from '@zendeskgarden/react-theming';
import { Alert, Well } from '@zendeskgarden/react-notifications';
import { Button } from '@zendeskgarden/react-buttons';
import { Skeleton } from '@zendeskgarden/react-loaders';
import type { Insights } from '../../../server/types/insights.ts';
import type { DashboardQuery, InsightsSource } from './insights-api.ts';
import { useInsights, type InsightsState } from './use-insights.ts';
import { FilterBar } from './FilterBar.tsx';
import { KpiTiles } from './KpiTiles.tsx';
import { StackedBarChart } from './charts/StackedBarChart.tsx';
import { HBarChart, type HBarItem } from './charts/HBarChart.tsx';
import { QuantileChart } from './charts/QuantileChart.tsx';
import { ReasonClusters, RejectedList } from './BotTodo.tsx';
import { fmtDay, humanize } from './format.ts';
import { VisuallyHidden } from '../components/layout.tsx';

const GlobalStyle = createGlobalStyle`
  html, body {
    margin: 0;
    background: ${(p) => getColor({ theme: p.theme as IGardenTheme, variable: 'background.default' })};
  }
`;

const Page = styled.main`
  padding: ${(p) => p.theme.space.md} ${(p) => p.theme.space.lg};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
  font-family: ${(p) => p.theme.fonts.system};
  font-size: ${(p) => p.theme.fontSizes.md};
  line-height: ${(p) => p.theme.lineHeights.md};
  max-width: 1280px;
`;

const H1 = styled.h1`
  margin: 0;
  font-size: ${(p) => p.theme.fontSizes.xl};
`;

const Grid = styled.div<{ $min: number }>`
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(${(p) => p.$min}px, 1fr));
  gap: ${(p) => p.theme.space.md};
  margin-top: ${(p) => p.theme.space.md};
`;

const SENTIMENT_ORDER = ['very_negative', 'negative', 'neutral', 'positive', 'very_positive'];
const PRIORITY_ORDER = ['urgent', 'high', 'normal', 'low'];

/** Known scales in their own order (most severe first), anything else after them by count as given. */
export function inOrder<T extends { key: string }>(list: T[], order: string[]): T[] {
  const rank = (k: string) => {
    const i = order.indexOf(k.toLowerCase());
    return i < 0 ? order.length : i;
  };
  return list.map((x, i) => [x, i] as const).sort((a, b) => rank(a[0].key) - rank(b[0].key) || a[1] - b[1]).map(([x]) => x);
}

function items(list: Array<{ key: string; count: number }>): HBarItem[] {
  return list.map((k) => ({ key: k.key, label: humanize(k.key), value: k.count }));
}

export function reasonKeys(d: Insights): string[] {
  const known = d.breakdown.reason.map((r) => r.key);
  const extra = new Set<string>();
  for (const s of d.series) for (const k of Object.keys(s.byReason)) if (!known.includes(k)) extra.add(k);
  return [...known, ...[...extra].sort()];
}

function Figures({ data, groupBy }: { data: Insights; groupBy: 'day' | 'week' }) {
  const sentiment = inOrder(data.sentimentAtHandoff, SENTIMENT_ORDER);
  return (
    <>
      <KpiTiles data={data} />
      <Grid $min={560}>
        <StackedBarChart title="Handoffs over time, by reason" input={{ groupBy, series: data.series, keys: reasonKeys(data) }} />
      </Grid>
      <Grid $min={320}>
        <QuantileChart id="first-reply-priority" title="First reply by priority" kind="priority" rows={inOrder(data.firstReply.byPriority, PRIORITY_ORDER)} />
        <HBarChart id="sentiment" title="Sentiment at handoff" kind="Sentiment" items={items(sentiment)} colorIndex={3} />
        <QuantileChart id="first-reply-group" title="First reply by group" kind="group" rows={data.firstReply.byGroup} />
      </Grid>
      <Grid $min={420}>
        <HBarChart id="by-reason" title="By reason" kind="Reason" items={items(data.breakdown.reason)} colorIndex={0} />
        <HBarChart id="by-topic" title="By topic" kind="Topic" items={items(data.breakdown.topic)} colorIndex={1} />
        <HBarChart id="by-bot" title="By bot" kind="Bot" items={items(data.breakdown.bot)} colorIndex={5} />
        <HBarChart id="by-channel" title="By channel" kind="Channel" items={items(data.breakdown.channel)} colorIndex={2} />
      </Grid>
      <Grid $min={420}>
        <RejectedList items={data.rejected} />
        <ReasonClusters clusters={data.reasonClusters} />
      </Grid>
    </>
  );
}

function StateView({ state }: { state: InsightsState & { retry: () => void } }) {
  switch (state.phase) {
    case 'unauthorized':
      return (
        <Alert type="error" data-testid="state-unauthorized">
          <Alert.Title>Only admins can see Baton insights</Alert.Title>
          <p style={{ margin: '4px 0 0' }}>
            Baton answered {state.status}
            {state.message ? `: ${state.message}` : ''}. Insights are for Zendesk admins, and need the app installed with signed URLs (docs/insights.md).
          </p>
        </Alert>
      );
    case 'unreachable':
      return (
        <Alert type="warning" data-testid="state-unreachable">
          <Alert.Title>Baton is not reachable</Alert.Title>
          <p style={{ margin: '4px 0 8px' }}>Check the Baton server URL in the app settings, then try again.</p>
          <Button size="small" onClick={state.retry}>
            Try again
          </Button>
        </Alert>
      );
    case 'error':
      return (
        <Alert type="error" data-testid="state-error">
          <Alert.Title>Baton could not load the insights</Alert.Title>
          <p style={{ margin: '4px 0 8px' }}>
            Status {state.status ?? '?'}
            {state.message ? `: ${state.message}` : ''}
          </p>
          <Button size="small" onClick={state.retry}>
            Try again
          </Button>
        </Alert>
      );
    default:
      return null;
  }
}

function Loading() {
  return (
    <div role="status" aria-busy="true" data-testid="loading">
      <VisuallyHidden>Loading the insights…</VisuallyHidden>
      <div aria-hidden="true">
        <Skeleton height="72px" />
        <div style={{ height: 16 }} />
        <Skeleton height="240px" />
      </div>
    </div>
  );
}

export interface DashboardProps {
  source: InsightsSource;
  initialQuery: DashboardQuery;
  colorScheme?: 'light' | 'dark';
  /** Saves text as a file (zaf mode's CSV); injectable for tests. */
  saveFile?: (name: string, text: string) => void;
}

function browserSave(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function InsightsDashboard({ source, initialQuery, colorScheme = 'light', saveFile = browserSave }: DashboardProps) {
  const [query, setQuery] = useState(initialQuery);
  const state = useInsights(source, query);
  const theme = useMemo<IGardenTheme>(() => ({ ...DEFAULT_THEME, colors: { ...DEFAULT_THEME.colors, base: colorScheme } }), [colorScheme]);
  const fileName = `baton-insights-${query.from}-to-${query.to}.csv`;
  const csvHref = source.csvHref(query);
  const data = state.data;
  const showFigures = data && (state.phase === 'ready' || (state.phase === 'loading' && data.totals.handoffs > 0));
  return (
    <ThemeProvider theme={theme}>
      <GlobalStyle />
      <Page data-phase={state.phase} data-loads={state.loads} aria-busy={state.phase === 'loading'}>
        <H1>Baton insights</H1>
        <p style={{ margin: '4px 0 0' }}>
          Bot-to-human handoffs from {fmtDay(query.from)} to {fmtDay(query.to)} (UTC){data?.generatedAt ? `, figures as of ${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}.
        </p>
        <FilterBar
          query={query}
          {...(data ? { data } : {})}
          onChange={setQuery}
          csv={{ ...(csvHref ? { href: csvHref } : {}), fileName, onDownload: () => void source.loadCsv(query).then((t) => t !== undefined && saveFile(fileName, t)) }}
        />
        <div role="status" aria-live="polite" style={{ minHeight: 0 }}>
          <VisuallyHidden>{state.phase === 'ready' ? `Showing ${data?.totals.handoffs ?? 0} handoffs.` : state.phase === 'empty' ? 'No handoffs in this range.' : ''}</VisuallyHidden>
        </div>
        <StateView state={state} />
        {state.phase === 'loading' && !showFigures && <Loading />}
        {state.phase === 'empty' && (
          <Well data-testid="state-empty">
            <Well.Title>No handoffs in this range</Well.Title>
            <p style={{ margin: '4px 0 0' }}>Widen the dates or clear a filter. Handoffs appear here once bots hand conversations to agents through Baton.</p>
          </Well>
        )}
        {showFigures && data && <Figures data={data} groupBy={data.groupBy} />}
      </Page>
    </ThemeProvider>
  );
}
