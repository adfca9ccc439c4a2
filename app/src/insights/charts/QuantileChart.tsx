/**
 * Time to first human reply per priority (or group): for each key a median bar (solid) and a 90th-percentile
 * bar (striped), each labelled "p50 4m 10s" / "p90 12m", so neither colour nor pattern alone carries meaning.
 */
import { Bar } from '@visx/shape';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import type { Quantiles } from '../../../../server/types/insights.ts';
import { ChartFrame, type TableSpec } from './ChartFrame.tsx';
import { patternId, SeriesPattern, SERIES_COLORS } from './palette.tsx';
import { fmtCount, fmtDuration, humanize } from '../format.ts';

const W = 360;
const ROW = 44;
const LABEL_W = 90;
const VALUE_W = 86;

export function quantileSummary(kind: string, rows: Array<Quantiles & { key: string }>): string {
  const withData = rows.filter((r) => r.count > 0);
  if (withData.length === 0) return `Time to first reply by ${kind}: no replies recorded.`;
  return `Time to first reply by ${kind}: ${withData.map((r) => `${humanize(r.key)} median ${fmtDuration(r.p50Seconds)}, 90th percentile ${fmtDuration(r.p90Seconds)} (${fmtCount(r.count)} replies)`).join('; ')}.`;
}

export function QuantileChart(props: { id: string; title: string; kind: string; rows: Array<Quantiles & { key: string }> }) {
  const rows = props.rows;
  const h = Math.max(ROW, rows.length * ROW);
  const max = Math.max(1, ...rows.map((r) => r.p90Seconds ?? r.p50Seconds ?? 0));
  const x = scaleLinear<number>({ domain: [0, max], range: [0, W - LABEL_W - VALUE_W] });
  const y = scaleBand<string>({ domain: rows.map((r) => r.key), range: [0, h], padding: 0.2 });
  const half = y.bandwidth() / 2;
  const p90Fill = `url(#${patternId(props.id, 1)})`;
  const table: TableSpec = {
    caption: props.title,
    columns: [{ label: humanize(props.kind) }, { label: 'Median (p50)', numeric: true }, { label: '90th percentile (p90)', numeric: true }, { label: 'Replies', numeric: true }],
    rows: rows.map((r) => [humanize(r.key), fmtDuration(r.p50Seconds), fmtDuration(r.p90Seconds), r.count]),
  };
  return (
    <ChartFrame id={props.id} title={props.title} table={table}>
      {rows.length === 0 ? (
        <p style={{ margin: 0 }}>No first replies recorded in this range.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${h}`} width="100%" role="img" aria-label={quantileSummary(props.kind, rows)} data-testid={`chart-${props.id}`} style={{ display: 'block', maxWidth: W * 1.4 }}>
          <defs>
            <SeriesPattern id={patternId(props.id, 1)} i={1} />
          </defs>
          {rows.map((r) => (
            <Group key={r.key} top={y(r.key) ?? 0}>
              <text x={LABEL_W - 8} y={half} dy="0.35em" textAnchor="end" fontSize={12} fill="currentColor">
                {humanize(r.key)}
              </text>
              {(
                [
                  ['p50', r.p50Seconds, SERIES_COLORS[0], 0],
                  ['p90', r.p90Seconds, p90Fill, half],
                ] as const
              ).map(([name, v, fill, top]) => (
                <Group key={name} top={top}>
                  <Bar x={LABEL_W} y={1} width={Math.max(v === null ? 0 : 1, x(v ?? 0))} height={half - 2} fill={fill} data-bar={name} data-key={r.key} data-seconds={v ?? ''}>
                    <title>{`${humanize(r.key)} ${name}: ${fmtDuration(v)}`}</title>
                  </Bar>
                  <text x={LABEL_W + x(v ?? 0) + 6} y={half / 2} dy="0.35em" fontSize={11} fill="currentColor">
                    {`${name} ${fmtDuration(v)}`}
                  </text>
                </Group>
              ))}
            </Group>
          ))}
        </svg>
      )}
    </ChartFrame>
  );
}
