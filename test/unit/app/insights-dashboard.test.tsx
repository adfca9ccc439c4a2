// @vitest-environment jsdom
import './dom-setup.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Insights } from '../../../server/types/insights.ts';
import { InsightsDashboard } from '../../../app/src/insights/InsightsDashboard.tsx';
import { directSource, type DashboardQuery, type InsightsOutcome, type InsightsSource } from '../../../app/src/insights/insights-api.ts';
import { emptyInsightsFixture, insightsFixture } from '../../fixtures/insights/insights-fixture.ts';

afterEach(cleanup);

const QUERY: DashboardQuery = { from: '2026-11-02', to: '2026-11-04', groupBy: 'day', filters: {} };

/** A source answering from a function, recording each query it was asked. */
function fakeSource(answer: (q: DashboardQuery, n: number) => InsightsOutcome | Promise<InsightsOutcome>, csvHref?: string) {
  const calls: DashboardQuery[] = [];
  const source: InsightsSource & { calls: DashboardQuery[]; csvCalls: number } = {
    calls,
    csvCalls: 0,
    load: async (q) => {
      calls.push(q);
      return answer(q, calls.length);
    },
    csvHref: () => csvHref,
    loadCsv: async () => {
      source.csvCalls += 1;
      return 'bucket,handoffs\r\n';
    },
  };
  return source;
}

const ok = (data: Insights = insightsFixture()): InsightsOutcome => ({ kind: 'ok', data });
const phase = (c: HTMLElement) => c.querySelector('main')?.getAttribute('data-phase');

async function renderReady(source: InsightsSource, props: Partial<Parameters<typeof InsightsDashboard>[0]> = {}) {
  const view = render(<InsightsDashboard source={source} initialQuery={QUERY} {...props} />);
  await waitFor(() => expect(phase(view.container)).not.toBe('loading'));
  return view;
}

describe('insights dashboard: figures', () => {
  it('shows the KPI tiles from the data, "—" only where there is nothing to divide by', async () => {
    await renderReady(fakeSource(() => ok()));
    expect(screen.getByTestId('kpi-handoffs')).toHaveTextContent('12');
    expect(screen.getByTestId('kpi-first-reply-p50')).toHaveTextContent('4m 10s');
    expect(screen.getByTestId('kpi-first-reply-p90')).toHaveTextContent('15m');
    expect(screen.getByTestId('kpi-repeat-yourself')).toHaveTextContent('20%');
    expect(screen.getByTestId('kpi-re-escalation')).toHaveTextContent('8.3%');
    expect(screen.getByTestId('kpi-briefing-accuracy')).toHaveTextContent('80%');
    expect(screen.getByTestId('kpis')).toHaveTextContent('4 of 5 agent ratings');
  });

  it('draws one stacked segment per non-zero bucket × reason, with the counts of the data', async () => {
    const { container } = await renderReady(fakeSource(() => ok()));
    const svg = screen.getByTestId('chart-handoffs-by-reason');
    const segs = [...svg.querySelectorAll('rect[data-bar=segment]')];
    expect(segs.map((s) => `${s.getAttribute('data-bucket')}:${s.getAttribute('data-series')}=${s.getAttribute('data-count')}`).sort()).toEqual(
      ['2026-11-02:asked_for_human=4', '2026-11-02:bot_could_not_answer=3', '2026-11-04:asked_for_human=2', '2026-11-04:bot_could_not_answer=1', '2026-11-04:negative_sentiment=2'].sort(),
    );
    expect(segs.reduce((a, s) => a + Number(s.getAttribute('data-count')), 0)).toBe(12);
    // Colour is not the only carrier: each series fills with its own pattern.
    expect(new Set(segs.map((s) => s.getAttribute('fill'))).size).toBe(3);
    expect(svg.querySelectorAll('pattern')).toHaveLength(3);
    expect(svg.getAttribute('aria-label')).toMatch(/12 handoffs per day from 2 Nov to 4 Nov, by reason: Asked for human 6, Bot could not answer 4, Negative sentiment 2/);
    expect(container.querySelectorAll('section[data-chart] svg[role=img]').length).toBeGreaterThanOrEqual(8);
    for (const img of container.querySelectorAll('section[data-chart] svg[role=img]')) expect(img.getAttribute('aria-label')).toBeTruthy();
  });

  it('labels bars with their values and draws the first-reply quantiles per priority', async () => {
    await renderReady(fakeSource(() => ok()));
    const topic = screen.getByTestId('chart-by-topic');
    expect([...topic.querySelectorAll('[data-bar=item]')].map((b) => [b.getAttribute('data-key'), b.getAttribute('data-count')])).toEqual([
      ['billing', '7'],
      ['orders', '5'],
    ]);
    expect(topic).toHaveTextContent('7');
    const fr = screen.getByTestId('chart-first-reply-priority');
    expect(fr.querySelectorAll('[data-bar=p50]')).toHaveLength(2);
    expect(fr.querySelector('[data-bar=p90][data-key=normal]')?.getAttribute('data-seconds')).toBe('1000');
    expect(fr).toHaveTextContent('p90 16m 40s');
    // Sentiment in scale order, not count order.
    const sent = screen.getByTestId('chart-sentiment');
    expect([...sent.querySelectorAll('[data-bar=item]')].map((b) => b.getAttribute('data-key'))).toEqual(['very_negative', 'negative', 'neutral']);
  });

  it('every chart has its table for screen readers, and "Show as table" shows it to everyone', async () => {
    const user = userEvent.setup();
    await renderReady(fakeSource(() => ok()));
    const table = screen.getByTestId('table-handoffs-by-reason');
    expect(within(table).getAllByRole('row')).toHaveLength(4); // header + 3 days (the empty day included)
    expect(within(table).getByRole('row', { name: /2026-11-04 5 2 1 2/ })).toBeInTheDocument();
    const toggle = within(screen.getByTestId('chart-handoffs-by-reason').closest('section') as HTMLElement).getByRole('button', { name: 'Show as table' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.queryByTestId('chart-handoffs-by-reason')).toBeNull();
    expect(screen.getByTestId('table-handoffs-by-reason').parentElement?.id).toBe(toggle.getAttribute('aria-controls'));
  });

  it('lists rejected answers with counts (unsafe links as plain text) and the reason clusters with examples', async () => {
    await renderReady(fakeSource(() => ok()));
    const rej = screen.getByTestId('rejected');
    const rows = within(rej).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-rejected-count'))).toEqual(['5', '2', '1']);
    const link = within(rej).getByRole('link', { name: /^How to request a refund/ });
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(within(rej).queryByRole('link', { name: /Bad link/ })).toBeNull();
    const clusters = screen.getByTestId('clusters');
    expect(clusters).toHaveTextContent('Wants a person — 6 handoffs');
    expect(clusters).toHaveTextContent('“you charged me twice for [amount]”');
  });
});

describe('insights dashboard: ordering and labels', () => {
  it('priorities in severity order whatever order the API lists them; cluster labels read as words', async () => {
    const base = insightsFixture();
    const data = insightsFixture({
      firstReply: {
        ...base.firstReply,
        byPriority: [
          { key: 'low', count: 1, p50Seconds: 900, p90Seconds: 900 },
          { key: 'high', count: 2, p50Seconds: 100, p90Seconds: 200 },
          { key: 'urgent', count: 3, p50Seconds: 60, p90Seconds: 120 },
        ],
      },
      reasonClusters: [{ label: 'customer_requested_human: human', count: 4, examples: ['human please'] }],
    });
    await renderReady(fakeSource(() => ok(data)));
    const fr = screen.getByTestId('chart-first-reply-priority');
    expect([...fr.querySelectorAll('[data-bar=p50]')].map((b) => b.getAttribute('data-key'))).toEqual(['urgent', 'high', 'low']);
    expect(screen.getByTestId('clusters')).toHaveTextContent('Customer requested human: human — 4 handoffs');
  });
});

describe('insights dashboard: states', () => {
  it('shows a loading status first, then the empty state when there are no handoffs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { container } = render(<InsightsDashboard source={fakeSource(async () => (await gate, ok(emptyInsightsFixture())))} initialQuery={QUERY} />);
    expect(screen.getByTestId('loading')).toHaveAttribute('aria-busy', 'true');
    await act(async () => release());
    await waitFor(() => expect(phase(container)).toBe('empty'));
    expect(screen.getByTestId('state-empty')).toHaveTextContent('No handoffs in this range');
    expect(container.querySelector('svg[role=img]')).toBeNull();
  });

  it('an error is a Garden alert with a retry that loads again', async () => {
    const user = userEvent.setup();
    const source = fakeSource((_q, n) => (n === 1 ? { kind: 'error', status: 500, message: 'boom' } : ok()));
    const { container } = await renderReady(source);
    expect(phase(container)).toBe('error');
    expect(screen.getByRole('alert')).toHaveTextContent('Status 500: boom');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(phase(container)).toBe('ready'));
    expect(source.calls).toHaveLength(2);
  });

  it('401/403 says only admins can see insights; unreachable says so', async () => {
    const a = await renderReady(fakeSource(() => ({ kind: 'unauthorized', status: 403 })));
    expect(screen.getByTestId('state-unauthorized')).toHaveTextContent('Only admins');
    a.unmount();
    await renderReady(fakeSource(() => ({ kind: 'unreachable' })));
    expect(screen.getByTestId('state-unreachable')).toHaveTextContent('not reachable');
  });
});

describe('insights dashboard: controls', () => {
  it('changing a filter or the grouping refetches with it; an older answer never overwrites a newer one', async () => {
    const user = userEvent.setup();
    let releaseFirstRefetch!: () => void;
    const slow = new Promise<void>((r) => (releaseFirstRefetch = r));
    const source = fakeSource(async (q, n) => {
      if (n === 2) await slow; // the bot=fin answer arrives after the groupBy=week one
      return ok(insightsFixture({ totals: { ...insightsFixture().totals, handoffs: n === 2 ? 999 : 12 }, groupBy: q.groupBy }));
    });
    const { container } = await renderReady(source);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Bot' }), 'fin');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Group by' }), 'week');
    await waitFor(() => expect(source.calls).toHaveLength(3));
    expect(source.calls[1]).toMatchObject({ filters: { bot: 'fin' }, groupBy: 'day' });
    expect(source.calls[2]).toMatchObject({ filters: { bot: 'fin' }, groupBy: 'week' });
    await waitFor(() => expect(phase(container)).toBe('ready'));
    await act(async () => releaseFirstRefetch());
    expect(screen.getByTestId('kpi-handoffs')).toHaveTextContent('12');
    // Clearing the filter refetches without it.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Bot' }), '');
    await waitFor(() => expect(source.calls).toHaveLength(4));
    expect(source.calls[3]?.filters).toEqual({});
  });

  it('dates apply when complete and in order; a reversed range is flagged and not sent', async () => {
    const user = userEvent.setup();
    const source = fakeSource(() => ok());
    await renderReady(source);
    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-11-10');
    await user.tab();
    expect(screen.getByText('The start date is after the end date.')).toBeInTheDocument();
    expect(source.calls).toHaveLength(1);
    await user.clear(from);
    await user.type(from, '2026-10-01');
    await user.tab();
    await waitFor(() => expect(source.calls).toHaveLength(2));
    expect(source.calls[1]).toMatchObject({ from: '2026-10-01', to: '2026-11-04' });
  });

  it('the CSV link points at the CSV export in direct mode, and fetches then saves it otherwise', async () => {
    const user = userEvent.setup();
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify(insightsFixture()), { status: 200, headers: { 'content-type': 'application/json' } }));
    const view = await renderReady(directSource({ endpoint: '/preview/insights/data', fetchImpl }));
    const link = screen.getByRole('link', { name: 'Download CSV' });
    expect(link.getAttribute('href')).toBe('/preview/insights/data?from=2026-11-02&to=2026-11-04&groupBy=day&format=csv');
    expect(link).toHaveAttribute('download', 'baton-insights-2026-11-02-to-2026-11-04.csv');
    view.unmount();

    const saved: Array<[string, string]> = [];
    const source = fakeSource(() => ok());
    await renderReady(source, { saveFile: (n, t) => saved.push([n, t]) });
    await user.click(screen.getByRole('link', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toEqual([['baton-insights-2026-11-02-to-2026-11-04.csv', 'bucket,handoffs\r\n']]));
  });

  it('filter options come from the data; a selected value stays selectable', async () => {
    const user = userEvent.setup();
    await renderReady(fakeSource(() => ok()));
    const channel = screen.getByRole('combobox', { name: 'Channel' });
    expect(within(channel).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual(['', 'web_chat', 'email']);
    await user.selectOptions(channel, 'email');
    expect(channel).toHaveValue('email');
  });
});
