/**
 * Date range, grouping and filters. Native controls (Garden's Input type=date and Select are styled native
 * elements): keyboard and screen-reader behaviour come from the browser. The filter options are the values the
 * current data has, plus the one selected (so it stays selectable when its count drops to zero).
 */
import { useState, type FormEvent } from 'react';
import styled from 'styled-components';
import { Field, Input, Select } from '@zendeskgarden/react-forms';
import { Anchor, Button } from '@zendeskgarden/react-buttons';
import type { Insights } from '../../../server/types/insights.ts';
import { FILTER_KEYS, type DashboardQuery, type FilterKey } from './insights-api.ts';
import { humanize } from './format.ts';

const Form = styled.form`
  display: flex;
  flex-wrap: wrap;
  align-items: flex-end;
  gap: ${(p) => p.theme.space.sm};
  margin: ${(p) => p.theme.space.sm} 0 ${(p) => p.theme.space.md};
  & > div {
    min-width: 140px;
  }
`;

const FILTER_LABELS: Record<FilterKey, string> = { bot: 'Bot', channel: 'Channel', reason: 'Reason', topic: 'Topic' };
const BREAKDOWN_OF: Record<FilterKey, keyof Insights['breakdown']> = { bot: 'bot', channel: 'channel', reason: 'reason', topic: 'topic' };

export function filterOptions(data: Insights | undefined, key: FilterKey, selected: string | undefined): string[] {
  const keys = (data?.breakdown[BREAKDOWN_OF[key]] ?? []).map((k) => k.key);
  if (selected && !keys.includes(selected)) keys.unshift(selected);
  return keys;
}

export interface FilterBarProps {
  query: DashboardQuery;
  data?: Insights;
  onChange: (q: DashboardQuery) => void;
  csv: { href?: string; onDownload?: () => void; fileName: string };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function FilterBar({ query, data, onChange, csv }: FilterBarProps) {
  // Dates apply on blur/Enter (typing a date fires change per keystroke); a half-typed date is never sent.
  const [from, setFrom] = useState(query.from);
  const [to, setTo] = useState(query.to);
  const rangeError = DATE.test(from) && DATE.test(to) && from > to ? 'The start date is after the end date.' : undefined;
  const applyDates = (e?: FormEvent) => {
    e?.preventDefault();
    if (!DATE.test(from) || !DATE.test(to) || from > to) return;
    if (from !== query.from || to !== query.to) onChange({ ...query, from, to });
  };
  const setFilter = (k: FilterKey, v: string) => {
    const filters = { ...query.filters };
    if (v) filters[k] = v;
    else delete filters[k];
    onChange({ ...query, filters });
  };
  return (
    <Form aria-label="Range and filters" onSubmit={applyDates} data-testid="filters">
      <Field>
        <Field.Label>From</Field.Label>
        <Input type="date" name="from" value={from} max={to} onChange={(e) => setFrom(e.target.value)} onBlur={() => applyDates()} validation={rangeError ? 'error' : undefined} />
      </Field>
      <Field>
        <Field.Label>To</Field.Label>
        <Input type="date" name="to" value={to} min={from} onChange={(e) => setTo(e.target.value)} onBlur={() => applyDates()} validation={rangeError ? 'error' : undefined} />
        {rangeError && <Field.Message validation="error">{rangeError}</Field.Message>}
      </Field>
      <Field>
        <Field.Label>Group by</Field.Label>
        <Select name="groupBy" value={query.groupBy} onChange={(e) => onChange({ ...query, groupBy: e.target.value === 'week' ? 'week' : 'day' })}>
          <option value="day">Day</option>
          <option value="week">Week</option>
        </Select>
      </Field>
      {FILTER_KEYS.map((k) => (
        <Field key={k}>
          <Field.Label>{FILTER_LABELS[k]}</Field.Label>
          <Select name={k} value={query.filters[k] ?? ''} onChange={(e) => setFilter(k, e.target.value)}>
            <option value="">All</option>
            {filterOptions(data, k, query.filters[k]).map((o) => (
              <option key={o} value={o}>
                {humanize(o)}
              </option>
            ))}
          </Select>
        </Field>
      ))}
      {/* Enter in a date field submits the form; the button does the same for pointer users. */}
      <Button type="submit" size="small">
        Apply dates
      </Button>
      <Anchor
        href={csv.href ?? '#csv'}
        download={csv.fileName}
        data-testid="csv-link"
        onClick={(e) => {
          if (csv.href) return;
          e.preventDefault();
          csv.onDownload?.();
        }}
      >
        Download CSV
      </Anchor>
    </Form>
  );
}
