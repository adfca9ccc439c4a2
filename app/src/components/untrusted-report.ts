/**
 * The report as the sidebar shows it. Every string came from a customer or a bot, and the agent can insert the
 * opener or copy a fact into a reply, where Zendesk would evaluate `{{…}}` placeholders and `{% … %}` Liquid
 * tags (https://support.zendesk.com/hc/en-us/articles/4408886858138): they are neutralised with the same
 * zero-width break the note uses. URLs are left as they are (they are shown as text, or linked only when
 * allow-listed, see SolutionLink).
 */
import type { HandoffReport } from '../../../server/types/handoff-report.ts';
import { neutralizePlaceholders } from '../../../server/briefing/placeholders.ts';

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') return key === 'url' ? value : neutralizePlaceholders(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
  return value;
}

export function untrustedReport(report: HandoffReport): HandoffReport {
  return walk(report, undefined) as HandoffReport;
}
