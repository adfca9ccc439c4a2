/**
 * One chart: a heading, the SVG (role="img" with a summary in aria-label: screen readers get the gist without
 * walking SVG nodes), and the same figures as a table. The table is always in the DOM for screen readers
 * (visually hidden) and a "Show as table" toggle shows it to everyone.
 */
import { useId, useState, type ReactNode } from 'react';
import styled from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { getColor } from '@zendeskgarden/react-theming';
import { VisuallyHidden } from '../../components/layout.tsx';

export const Card = styled.section`
  border: 1px solid ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  border-radius: ${(p) => p.theme.borderRadii.md};
  padding: ${(p) => p.theme.space.sm} ${(p) => p.theme.space.md} ${(p) => p.theme.space.md};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.default' })};
  min-width: 0;
`;

export const CardTitle = styled.h2`
  margin: 0;
  font-size: ${(p) => p.theme.fontSizes.md};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
`;

const Head = styled.div`
  display: flex;
  align-items: baseline;
  justify-content: space-between;
  gap: ${(p) => p.theme.space.sm};
  margin-bottom: ${(p) => p.theme.space.xs};
`;

export const DataTable = styled.table`
  border-collapse: collapse;
  width: 100%;
  font-size: ${(p) => p.theme.fontSizes.sm};
  th,
  td {
    text-align: left;
    padding: 4px 8px;
    border-bottom: 1px solid ${(p) => getColor({ theme: p.theme, variable: 'border.subtle' })};
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;

export interface TableSpec {
  caption: string;
  columns: Array<{ label: string; numeric?: boolean }>;
  rows: Array<Array<string | number>>;
}

export function FigureTable({ spec, testId }: { spec: TableSpec; testId?: string }) {
  return (
    <DataTable data-testid={testId}>
      <caption style={{ textAlign: 'left', fontWeight: 600, padding: '4px 0' }}>{spec.caption}</caption>
      <thead>
        <tr>
          {spec.columns.map((c) => (
            <th key={c.label} scope="col" className={c.numeric ? 'num' : undefined}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {spec.rows.map((r, i) => (
          <tr key={i}>
            {r.map((cell, j) =>
              j === 0 ? (
                <th key={j} scope="row" style={{ fontWeight: 400 }}>
                  {cell}
                </th>
              ) : (
                <td key={j} className={spec.columns[j]?.numeric ? 'num' : undefined}>
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

export function ChartFrame(props: { id: string; title: string; table: TableSpec; children: ReactNode; legend?: ReactNode }) {
  const [showTable, setShowTable] = useState(false);
  const tableId = `${useId().replace(/:/g, '')}-table`;
  const headingId = `chart-${props.id}-title`;
  return (
    <Card aria-labelledby={headingId} data-chart={props.id}>
      <Head>
        <CardTitle id={headingId}>{props.title}</CardTitle>
        <Button size="small" isBasic aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((v) => !v)}>
          {showTable ? 'Show as chart' : 'Show as table'}
        </Button>
      </Head>
      {showTable ? null : props.children}
      {showTable ? null : props.legend}
      <div id={tableId}>
        {showTable ? (
          <FigureTable spec={props.table} testId={`table-${props.id}`} />
        ) : (
          <VisuallyHidden as="div">
            <FigureTable spec={props.table} testId={`table-${props.id}`} />
          </VisuallyHidden>
        )}
      </div>
    </Card>
  );
}
