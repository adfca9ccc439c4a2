/** The headline figures, each with what it is out of ("12 of 140 handoffs"), "—" when there is nothing to divide by. */
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import type { Insights } from '../../../server/types/insights.ts';
import { fmtCount, fmtDuration, fmtRate } from './format.ts';

const Grid = styled.ul`
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
  gap: ${(p) => p.theme.space.sm};
  margin: 0;
  padding: 0;
  list-style: none;
`;

const Tile = styled.li`
  border: 1px solid ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  border-radius: ${(p) => p.theme.borderRadii.md};
  padding: ${(p) => p.theme.space.sm};
`;

const Label = styled.div`
  font-size: ${(p) => p.theme.fontSizes.sm};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

const Value = styled.div`
  font-size: ${(p) => p.theme.fontSizes.xxl};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
  line-height: 1.2;
  font-variant-numeric: tabular-nums;
`;

export interface Kpi {
  id: string;
  label: string;
  value: string;
  detail: string;
}

export function kpisOf(d: Insights): Kpi[] {
  const t = d.totals;
  const fr = d.firstReply.overall;
  const of = (n: number, m: number, what: string) => (m > 0 ? `${fmtCount(n)} of ${fmtCount(m)} ${what}` : `no ${what} yet`);
  return [
    { id: 'handoffs', label: 'Handoffs', value: fmtCount(t.handoffs), detail: `${fmtCount(t.replied)} replied · ${fmtCount(t.solved)} solved` },
    { id: 'first-reply-p50', label: 'First reply, median', value: fmtDuration(fr.p50Seconds), detail: fr.count > 0 ? `over ${fmtCount(fr.count)} replies` : 'no replies recorded' },
    { id: 'first-reply-p90', label: 'First reply, 90th percentile', value: fmtDuration(fr.p90Seconds), detail: '9 in 10 answered within' },
    { id: 'repeat-yourself', label: 'Had to repeat themselves', value: fmtRate(d.rates.repeatYourself), detail: of(t.repeatYourself, t.replied, 'replied handoffs') },
    { id: 're-escalation', label: 'Re-escalated within 7 days', value: fmtRate(d.rates.reEscalation), detail: of(t.reEscalated, t.handoffs, 'handoffs') },
    { id: 'briefing-accuracy', label: 'Briefing accuracy', value: fmtRate(d.rates.briefingAccuracy), detail: of(t.feedbackAccurate, t.feedback, 'agent ratings') },
  ];
}

export function KpiTiles({ data }: { data: Insights }) {
  return (
    <Grid aria-label="Key figures" data-testid="kpis">
      {kpisOf(data).map((k) => (
        <Tile key={k.id} data-kpi={k.id}>
          <Label id={`kpi-${k.id}`}>{k.label}</Label>
          <Value aria-describedby={`kpi-${k.id}`} data-testid={`kpi-${k.id}`}>
            {k.value}
          </Value>
          <Label>{k.detail}</Label>
        </Tile>
      ))}
    </Grid>
  );
}
