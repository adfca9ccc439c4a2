import styled, { useTheme } from 'styled-components';
import { getColor, type IGardenTheme } from '@zendeskgarden/react-theming';
import type { SentimentPoint } from '../../../server/types/handoff-report.ts';
import { useI18n } from '../i18n/context.tsx';

const Svg = styled.svg`
  display: block;
  overflow: visible;
`;

/**
 * Sentiment trajectory as a small line chart. It is one image to assistive tech (role="img" with a
 * sentence listing every point), so screen-reader users get the same information as the picture.
 */
export function Sparkline({ points, trendLabel, width = 120, height = 28 }: { points: SentimentPoint[]; trendLabel: string; width?: number; height?: number }) {
  const { t } = useI18n();
  const theme = useTheme() as IGardenTheme;
  const label = t('sidebar.sentiment.chart', {
    count: points.length,
    points: points.map((p) => t(`sidebar.sentiment.label.${p.label}`)).join(', '),
    trend: trendLabel,
  });
  const pad = 3;
  const n = points.length;
  const x = (i: number) => (n <= 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
  const y = (s: number) => pad + ((1 - (Math.max(-1, Math.min(1, s)) + 1) / 2) * (height - 2 * pad));
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`).join(' ');
  const colorFor = (l: SentimentPoint['label']) =>
    getColor({ theme, variable: l === 'negative' ? 'foreground.danger' : l === 'positive' ? 'foreground.success' : 'foreground.subtle' });
  return (
    <Svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-testid="sentiment-sparkline">
      <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke={getColor({ theme, variable: 'border.default' })} strokeDasharray="2 3" />
      {n > 1 && <path d={path} fill="none" stroke={getColor({ theme, variable: 'foreground.subtle' })} strokeWidth={1.5} />}
      {points.map((p, i) => (
        <circle key={p.messageIndex} cx={x(i)} cy={y(p.score)} r={2.8} fill={colorFor(p.label)} />
      ))}
    </Svg>
  );
}
