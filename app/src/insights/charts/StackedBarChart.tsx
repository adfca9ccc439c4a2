/**
 * Handoffs over time, stacked by reason (@visx/shape BarStack on band/linear scales). Drawn in a fixed viewBox
 * that scales with its container, so no resize observer is needed. Each segment is a real SVG <rect> carrying
 * its bucket, series and count (data-*) and a <title>.
 */
import { BarStack } from '@visx/shape';
import { Group } from '@visx/group';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { scaleBand, scaleLinear } from '@visx/scale';
import { patternId, SeriesPattern, Swatch } from './palette.tsx';
import { ChartFrame, type TableSpec } from './ChartFrame.tsx';
import { fmtBucket, fmtCount, fmtDay, humanize } from '../format.ts';

export interface StackedSeriesInput {
  groupBy: 'day' | 'week';
  series: Array<{ bucket: string; handoffs: number; byReason: Record<string, number> }>;
  /** Series keys in legend order (most frequent first). */
  keys: string[];
}

const W = 720;
const H = 260;
const M = { top: 10, right: 10, bottom: 36, left: 44 };

type Row = { bucket: string } & Record<string, number | string>;

export function stackedSummary(input: StackedSeriesInput): string {
  const total = input.series.reduce((a, s) => a + s.handoffs, 0);
  const first = input.series[0]?.bucket;
  const last = input.series[input.series.length - 1]?.bucket;
  const perKey = input.keys.map((k) => [k, input.series.reduce((a, s) => a + (s.byReason[k] ?? 0), 0)] as const);
  const top = perKey.slice(0, 3).map(([k, n]) => `${humanize(k)} ${fmtCount(n)}`).join(', ');
  const peak = input.series.reduce<{ bucket: string; handoffs: number } | undefined>((a, s) => (!a || s.handoffs > a.handoffs ? s : a), undefined);
  return (
    `Stacked bar chart: ${fmtCount(total)} handoffs ${input.groupBy === 'week' ? 'per week' : 'per day'}` +
    (first && last ? ` from ${fmtDay(first)} to ${fmtDay(last)}` : '') +
    (top ? `, by reason: ${top}` : '') +
    (peak && peak.handoffs > 0 ? `. Busiest: ${fmtBucket(peak.bucket, input.groupBy)} with ${fmtCount(peak.handoffs)}.` : '.')
  );
}

export function StackedBarChart({ input, title }: { input: StackedSeriesInput; title: string }) {
  const prefix = 'handoffs-by-reason';
  const rows: Row[] = input.series.map((s) => {
    const r: Row = { bucket: s.bucket };
    for (const k of input.keys) r[k] = s.byReason[k] ?? 0;
    return r;
  });
  const max = Math.max(1, ...input.series.map((s) => input.keys.reduce((a, k) => a + (s.byReason[k] ?? 0), 0)));
  const x = scaleBand<string>({ domain: rows.map((r) => r.bucket), range: [0, W - M.left - M.right], padding: 0.2 });
  const y = scaleLinear<number>({ domain: [0, max], range: [H - M.top - M.bottom, 0], nice: true });
  const every = Math.max(1, Math.ceil(rows.length / 10));
  const table: TableSpec = {
    caption: title,
    columns: [{ label: input.groupBy === 'week' ? 'Week starting' : 'Day' }, { label: 'Handoffs', numeric: true }, ...input.keys.map((k) => ({ label: humanize(k), numeric: true }))],
    rows: input.series.map((s) => [s.bucket, s.handoffs, ...input.keys.map((k) => s.byReason[k] ?? 0)]),
  };
  const legend = (
    <ul aria-hidden="true" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', listStyle: 'none', margin: '8px 0 0', padding: 0, fontSize: 12 }}>
      {input.keys.map((k, i) => (
        <li key={k} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
          <Swatch prefix={prefix} i={i} />
          {humanize(k)}
        </li>
      ))}
    </ul>
  );
  return (
    <ChartFrame id={prefix} title={title} table={table} legend={legend}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={stackedSummary(input)} data-testid="chart-handoffs-by-reason" style={{ display: 'block', maxHeight: 320 }}>
        <defs>
          {input.keys.map((k, i) => (
            <SeriesPattern key={k} id={patternId(prefix, i)} i={i} />
          ))}
        </defs>
        <Group left={M.left} top={M.top}>
          <BarStack<Row, string> data={rows} keys={input.keys} x={(d) => d.bucket} xScale={x} yScale={y} color={(k) => `url(#${patternId(prefix, input.keys.indexOf(k))})`}>
            {(stacks) =>
              stacks.map((stack) =>
                stack.bars
                  .filter((b) => b.height > 0)
                  .map((b) => {
                    const count = Number(b.bar.data[stack.key] ?? 0);
                    return (
                      <rect
                        key={`${stack.index}-${b.index}`}
                        x={b.x}
                        y={b.y}
                        width={b.width}
                        height={b.height}
                        fill={b.color}
                        stroke="#ffffff"
                        strokeWidth={0.5}
                        data-bar="segment"
                        data-bucket={b.bar.data.bucket}
                        data-series={stack.key}
                        data-count={count}
                      >
                        <title>{`${fmtBucket(String(b.bar.data.bucket), input.groupBy)}: ${humanize(stack.key)} ${fmtCount(count)}`}</title>
                      </rect>
                    );
                  }),
              )
            }
          </BarStack>
          <AxisLeft scale={y} numTicks={5} tickFormat={(v) => fmtCount(Number(v))} stroke="#68737d" tickStroke="#68737d" tickLabelProps={{ fill: 'currentColor', fontSize: 11, textAnchor: 'end', dx: -4, dy: 3 }} />
          <AxisBottom
            top={H - M.top - M.bottom}
            scale={x}
            tickValues={rows.map((r) => r.bucket).filter((_b, i) => i % every === 0)}
            tickFormat={(b) => fmtDay(String(b))}
            stroke="#68737d"
            tickStroke="#68737d"
            tickLabelProps={{ fill: 'currentColor', fontSize: 11, textAnchor: 'middle' }}
          />
        </Group>
      </svg>
    </ChartFrame>
  );
}
