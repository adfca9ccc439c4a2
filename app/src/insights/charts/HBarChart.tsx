/**
 * Horizontal bars with the value written at the end of each bar (the number, not the colour, carries the
 * figure). Used for breakdowns (topic, bot, channel, reason) and sentiment at handoff.
 */
import { Bar } from '@visx/shape';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { ChartFrame, type TableSpec } from './ChartFrame.tsx';
import { SERIES_COLORS } from './palette.tsx';
import { fmtCount } from '../format.ts';

export interface HBarItem {
  key: string;
  label: string;
  value: number;
}

const W = 480;
const ROW = 26;
const LABEL_W = 160;
const VALUE_W = 56;

export function hbarSummary(kind: string, items: HBarItem[], total: number): string {
  if (items.length === 0) return `Bar chart of ${kind}: no data.`;
  const parts = items.slice(0, 4).map((i) => `${i.label} ${fmtCount(i.value)}${total > 0 ? ` (${Math.round((i.value / total) * 100)}%)` : ''}`);
  return `Bar chart of ${kind}, ${items.length} ${items.length === 1 ? 'value' : 'values'}: ${parts.join(', ')}${items.length > 4 ? ', …' : ''}.`;
}

export function HBarChart(props: { id: string; title: string; kind: string; items: HBarItem[]; colorIndex?: number; max?: number }) {
  const items = props.items.slice(0, props.max ?? 8);
  const total = props.items.reduce((a, i) => a + i.value, 0);
  const h = Math.max(ROW, items.length * ROW);
  const x = scaleLinear<number>({ domain: [0, Math.max(1, ...items.map((i) => i.value))], range: [0, W - LABEL_W - VALUE_W] });
  const y = scaleBand<string>({ domain: items.map((i) => i.key), range: [0, h], padding: 0.25 });
  const color = SERIES_COLORS[(props.colorIndex ?? 0) % SERIES_COLORS.length];
  const table: TableSpec = {
    caption: props.title,
    columns: [{ label: props.kind }, { label: 'Handoffs', numeric: true }, { label: 'Share', numeric: true }],
    rows: props.items.map((i) => [i.label, i.value, total > 0 ? `${Math.round((i.value / total) * 100)}%` : '—']),
  };
  return (
    <ChartFrame id={props.id} title={props.title} table={table}>
      {items.length === 0 ? (
        <p style={{ margin: 0 }}>No data for this range.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${h}`} width="100%" role="img" aria-label={hbarSummary(props.kind.toLowerCase(), props.items, total)} data-testid={`chart-${props.id}`} style={{ display: 'block', maxWidth: W }}>
          {items.map((i) => {
            const by = y(i.key) ?? 0;
            const bw = Math.max(1, x(i.value));
            return (
              <Group key={i.key} top={by}>
                <text x={LABEL_W - 8} y={y.bandwidth() / 2} dy="0.35em" textAnchor="end" fontSize={12} fill="currentColor">
                  {i.label.length > 20 ? `${i.label.slice(0, 19)}…` : i.label}
                </text>
                <Bar x={LABEL_W} y={0} width={bw} height={y.bandwidth()} fill={color} rx={2} data-bar="item" data-key={i.key} data-count={i.value}>
                  <title>{`${i.label}: ${fmtCount(i.value)}`}</title>
                </Bar>
                <text x={LABEL_W + bw + 6} y={y.bandwidth() / 2} dy="0.35em" fontSize={12} fill="currentColor">
                  {fmtCount(i.value)}
                </text>
              </Group>
            );
          })}
        </svg>
      )}
    </ChartFrame>
  );
}
