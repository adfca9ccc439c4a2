/**
 * The weekly digest for bot owners (issue 11): the week's figures, how they moved against the week before, and
 * the bot answers and articles customers rejected most (their to-do list), as Markdown. Pure: Insights in,
 * text out. Texts come from redacted reports; Markdown and HTML specials in them are escaped so a rejected
 * answer cannot inject links, images or table cells into the digest.
 */
import type { Insights, Quantiles } from '../types/insights.ts';

/** Escapes what Markdown or an HTML renderer would act on, and keeps table cells on one line. */
export function mdText(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/^-/, '\\-')
    .trim();
}

const pct = (r: number | null): string => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

function duration(s: number | null): string {
  if (s === null) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function delta(now: number, before: number | undefined): string {
  if (before === undefined) return '';
  const d = now - before;
  return d === 0 ? ' (=)' : ` (${d > 0 ? '+' : ''}${d})`;
}

function quantRow(label: string, q: Quantiles): string {
  return `| ${mdText(label)} | ${q.count} | ${duration(q.p50Seconds)} | ${duration(q.p90Seconds)} |`;
}

export function weeklyDigestMarkdown(week: string, ins: Insights, previous?: Insights, topRejected = 10): string {
  const t = ins.totals;
  const p = previous?.totals;
  const lines: string[] = [];
  lines.push(`# Baton weekly digest — ${mdText(ins.tenantId)}, ${week}`, '');
  lines.push(`${ins.from} to ${ins.to} (UTC). Generated ${ins.generatedAt}.${previous ? ' In brackets: the change against the week before.' : ''}`, '');
  lines.push('## The week in figures', '');
  lines.push('| Figure | Value |', '| --- | --- |');
  lines.push(`| Handoffs | ${t.handoffs}${delta(t.handoffs, p?.handoffs)} |`);
  lines.push(`| With a human reply | ${t.replied}${delta(t.replied, p?.replied)} |`);
  lines.push(`| Solved | ${t.solved}${delta(t.solved, p?.solved)} |`);
  lines.push(`| Reopened | ${t.reopened}${delta(t.reopened, p?.reopened)} |`);
  lines.push(`| Customers who had to repeat themselves | ${t.repeatYourself} (${pct(ins.rates.repeatYourself)} of handoffs) |`);
  lines.push(`| Re-escalated within 7 days | ${t.reEscalated} (${pct(ins.rates.reEscalation)}) |`);
  lines.push(`| Briefings rated accurate by agents | ${t.feedbackAccurate} of ${t.feedback} (${pct(ins.rates.briefingAccuracy)}) |`, '');
  lines.push('## Time to first human reply', '');
  lines.push('| | Handoffs | Median | 90th percentile |', '| --- | --- | --- | --- |');
  lines.push(quantRow('All', ins.firstReply.overall));
  for (const q of ins.firstReply.byPriority) lines.push(quantRow(`Priority ${q.key}`, q));
  lines.push('');
  lines.push('## Why bots handed over', '');
  if (ins.breakdown.reason.length === 0) lines.push('No handoffs this week.', '');
  else {
    lines.push('| Reason | Handoffs |', '| --- | --- |');
    for (const r of ins.breakdown.reason) lines.push(`| ${mdText(r.key)} | ${r.count} |`);
    lines.push('');
  }
  if (ins.breakdown.bot.length) {
    lines.push('| Bot | Handoffs |', '| --- | --- |');
    for (const r of ins.breakdown.bot) lines.push(`| ${mdText(r.key)} | ${r.count} |`);
    lines.push('');
  }
  lines.push('## Top rejected answers (the to-do list)', '');
  const rejected = ins.rejected.slice(0, topRejected);
  if (rejected.length === 0) lines.push('Customers rejected no bot answer or article this week.', '');
  else {
    lines.push('| # | Kind | Answer or article | Rejected |', '| --- | --- | --- | --- |');
    rejected.forEach((r, i) => lines.push(`| ${i + 1} | ${mdText(r.kind)} | ${mdText(r.text)}${r.url ? ` (${mdText(r.url)})` : ''} | ${r.count} |`));
    lines.push('');
  }
  if (ins.reasonClusters.length) {
    lines.push('## What customers said when they asked for a person', '');
    for (const c of ins.reasonClusters.slice(0, 5)) {
      lines.push(`- **${mdText(c.label)}** (${c.count}): ${c.examples.map((e) => `“${mdText(e)}”`).join('; ')}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
