/**
 * Series colours AND fill patterns: colour is never the only thing telling two series apart (WCAG 1.4.1), so
 * each series also has its own pattern, the legend shows the same swatch with the series' name, and every bar
 * carries a <title> with its name and count. Colours are Garden's palette at 600+ (contrast ≥ 3:1 on white).
 */
export const SERIES_COLORS = ['#1f73b7', '#038153', '#c2410c', '#6a27b8', '#cd3642', '#04444d', '#946d00', '#68737d'];

export type PatternKind = 'solid' | 'diagonal' | 'dots' | 'horizontal' | 'crosshatch' | 'vertical' | 'reverse' | 'grid';
export const SERIES_PATTERNS: PatternKind[] = ['solid', 'diagonal', 'dots', 'horizontal', 'crosshatch', 'vertical', 'reverse', 'grid'];

export function seriesStyle(i: number): { color: string; pattern: PatternKind } {
  return { color: SERIES_COLORS[i % SERIES_COLORS.length] as string, pattern: SERIES_PATTERNS[i % SERIES_PATTERNS.length] as PatternKind };
}

/** An id usable in url(#…): the chart's id prefix plus the series index. */
export function patternId(prefix: string, i: number): string {
  return `${prefix}-pat-${i}`;
}

/** The <pattern> for series i: its colour as background, white marks on top (the marks make it distinct). */
export function SeriesPattern({ id, i }: { id: string; i: number }) {
  const { color, pattern } = seriesStyle(i);
  const mark = { stroke: '#ffffff', strokeWidth: 1.5 };
  let marks: React.ReactNode = null;
  switch (pattern) {
    case 'diagonal':
      marks = <path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" {...mark} />;
      break;
    case 'reverse':
      marks = <path d="M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2" {...mark} />;
      break;
    case 'dots':
      marks = <circle cx="3" cy="3" r="1.3" fill="#ffffff" />;
      break;
    case 'horizontal':
      marks = <path d="M0,3 h6" {...mark} />;
      break;
    case 'vertical':
      marks = <path d="M3,0 v6" {...mark} />;
      break;
    case 'crosshatch':
      marks = <path d="M0,0 l6,6 M6,0 l-6,6" {...mark} strokeWidth={1} />;
      break;
    case 'grid':
      marks = <path d="M0,3 h6 M3,0 v6" {...mark} strokeWidth={1} />;
      break;
    default:
      break;
  }
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse">
      <rect width="6" height="6" fill={color} />
      {marks}
    </pattern>
  );
}

/** A legend swatch drawn with the same pattern as the bars. */
export function Swatch({ prefix, i }: { prefix: string; i: number }) {
  const id = `${prefix}-sw-${i}`;
  return (
    <svg width="14" height="14" aria-hidden="true" focusable="false" style={{ flex: 'none', verticalAlign: 'middle' }}>
      <defs>
        <SeriesPattern id={id} i={i} />
      </defs>
      <rect width="14" height="14" rx="2" fill={`url(#${id})`} stroke="#2f3941" strokeWidth="0.5" />
    </svg>
  );
}
