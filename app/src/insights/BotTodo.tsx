/**
 * The bot owner's to-do list: bot answers and articles customers rejected, most rejected first; and the
 * escalation reasons grouped by wording with example phrasings (already redacted by the server: shown as text,
 * never as HTML). Links open in a new tab without giving it this window (noopener).
 */
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Anchor } from '@zendeskgarden/react-buttons';
import type { Insights } from '../../../server/types/insights.ts';
import { Card, CardTitle, DataTable } from './charts/ChartFrame.tsx';
import { fmtCount, humanize } from './format.ts';

const Quote = styled.li`
  margin: 2px 0;
  padding-left: ${(p) => p.theme.space.xs};
  border-left: 3px solid ${(p) => getColor({ theme: p.theme, variable: 'border.emphasis' })};
  font-style: italic;
`;

function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function RejectedList({ items }: { items: Insights['rejected'] }) {
  return (
    <Card aria-labelledby="rejected-title" data-testid="rejected">
      <CardTitle id="rejected-title">Bot answers customers rejected</CardTitle>
      <p style={{ margin: '4px 0 8px' }}>The bot owner&apos;s to-do list: fix or retire these first.</p>
      {items.length === 0 ? (
        <p>No rejected answers in this range.</p>
      ) : (
        <DataTable>
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">Answer or article</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Rejected
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((r, i) => {
              const href = safeHref(r.url);
              return (
                <tr key={`${r.kind}-${r.text}-${i}`} data-rejected-count={r.count}>
                  <td className="num">{i + 1}</td>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {href ? (
                      <Anchor href={href} isExternal target="_blank" rel="noopener noreferrer">
                        {r.text}
                      </Anchor>
                    ) : (
                      r.text
                    )}
                  </th>
                  <td>{humanize(r.kind)}</td>
                  <td className="num">{fmtCount(r.count)}</td>
                </tr>
              );
            })}
          </tbody>
        </DataTable>
      )}
    </Card>
  );
}

/** "customer_requested_human: human" → "Customer requested human: human" (the API labels clusters reason: words). */
export function clusterLabel(label: string): string {
  const i = label.indexOf(': ');
  const head = i > 0 ? label.slice(0, i) : '';
  return /^[a-z0-9_]+$/.test(head) ? `${humanize(head)}${label.slice(i)}` : label;
}

export function ReasonClusters({ clusters }: { clusters: Insights['reasonClusters'] }) {
  return (
    <Card aria-labelledby="clusters-title" data-testid="clusters">
      <CardTitle id="clusters-title">Why customers escalated, in their words</CardTitle>
      {clusters.length === 0 ? (
        <p>No escalation reasons in this range.</p>
      ) : (
        <ol style={{ margin: '8px 0 0', paddingLeft: 20 }}>
          {clusters.map((c) => (
            <li key={c.label} style={{ marginBottom: 8 }} data-cluster-count={c.count}>
              <strong>{clusterLabel(c.label)}</strong> — {fmtCount(c.count)} {c.count === 1 ? 'handoff' : 'handoffs'}
              {c.examples.length > 0 && (
                <ul aria-label={`Examples for ${clusterLabel(c.label)}`} style={{ listStyle: 'none', margin: '4px 0 0', padding: 0 }}>
                  {c.examples.slice(0, 3).map((e, i) => (
                    <Quote key={i}>“{e}”</Quote>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
