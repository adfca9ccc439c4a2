/**
 * Insights as one CSV table (RFC 4180: CRLF lines, fields with a comma, quote, CR or LF quoted, quotes doubled)
 * in long form — section, dimension, key, metric, value, detail — so every figure is a row a spreadsheet can
 * filter. Text cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or CR) get a
 * leading apostrophe (OWASP "CSV injection"); numbers are written as numbers.
 */
import type { Insights } from '../types/insights.ts';

type Cell = string | number | null | undefined;

export const CSV_HEADER = ['section', 'dimension', 'key', 'metric', 'value', 'detail'] as const;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function insightsRows(ins: Insights): Cell[][] {
  const rows: Cell[][] = [];
  rows.push(['range', '', ins.tenantId, 'from', null, ins.from], ['range', '', ins.tenantId, 'to', null, ins.to]);
  for (const [metric, value] of Object.entries(ins.totals)) rows.push(['totals', '', '', metric, value, '']);
  for (const [metric, value] of Object.entries(ins.rates)) rows.push(['rates', '', '', metric, value, '']);
  for (const s of ins.series) {
    rows.push(['series', ins.groupBy, s.bucket, 'handoffs', s.handoffs, '']);
    for (const [reason, n] of Object.entries(s.byReason)) rows.push(['series', 'reason', s.bucket, reason, n, '']);
  }
  for (const [dimension, list] of Object.entries(ins.breakdown)) for (const kc of list) rows.push(['breakdown', dimension, kc.key, 'handoffs', kc.count, '']);
  for (const kc of ins.sentimentAtHandoff) rows.push(['sentimentAtHandoff', 'sentiment', kc.key, 'handoffs', kc.count, '']);
  const q = (dimension: string, key: string, x: { count: number; p50Seconds: number | null; p90Seconds: number | null }): void => {
    rows.push(['firstReply', dimension, key, 'count', x.count, ''], ['firstReply', dimension, key, 'p50Seconds', x.p50Seconds, ''], ['firstReply', dimension, key, 'p90Seconds', x.p90Seconds, '']);
  };
  q('overall', 'all', ins.firstReply.overall);
  for (const p of ins.firstReply.byPriority) q('priority', p.key, p);
  for (const g of ins.firstReply.byGroup) q('group', g.key, g);
  for (const r of ins.rejected) rows.push(['rejected', r.kind, r.text, 'count', r.count, r.url ?? '']);
  for (const c of ins.reasonClusters) rows.push(['reasonClusters', 'reason', c.label, 'count', c.count, c.examples.join(' | ')]);
  return rows;
}

export function insightsCsv(ins: Insights): string {
  return csvLine(CSV_HEADER) + insightsRows(ins).map(csvLine).join('');
}
