/**
 * The wording rubric (issue 14): realistic handoffs in test/fixtures/rubric/*.json, each with the claims its
 * briefing must and must not make, in a small declarative check language. Shared by
 * test/unit/analysis/rubric.test.ts (npm test) and the rubric section of scripts/eval.ts (npm run eval).
 *
 * A fixture: { "about": "...", "event": <generic handoff event v1>, "options"?: AnalysisOptions, "checks": {...} }.
 * Checks (all optional; patterns are case-insensitive regular expressions, mentions are plain substrings):
 *   opener / summary / note: { mustMatch, mustNotMatch, mustMention: [], mustNotMention: [], noExclamation }
 *     (note = every line of the rendered briefing: summary, facts, opener, next steps)
 *   attempted: { count, offers, outcomes: { "<text substring>": "rejected" | ... }, mustNotInclude: [] }
 *   facts: { has: string | string[], hasNot: string | string[] }   ("about: value", as the note shows a fact)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type AnalysisOptions } from '../../server/analysis/index.ts';
import { normalizeGenericHandoff } from '../../server/bots/generic/normalize.ts';
import type { HandoffReport, KeyFact } from '../../server/types/handoff-report.ts';

export interface TextCheck {
  mustMatch?: string;
  mustNotMatch?: string;
  mustMention?: string[];
  mustNotMention?: string[];
  noExclamation?: boolean;
}

export interface RubricChecks {
  opener?: TextCheck;
  summary?: TextCheck;
  note?: TextCheck;
  attempted?: { count?: number; offers?: number; outcomes?: Record<string, string>; mustNotInclude?: string[] };
  facts?: { has?: string | string[]; hasNot?: string | string[] };
}

export interface RubricCase {
  file: string;
  about: string;
  event: unknown;
  options?: AnalysisOptions;
  checks: RubricChecks;
}

export interface RubricResult {
  file: string;
  about: string;
  failures: string[];
  report: HandoffReport;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function loadRubric(dir: string): RubricCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<RubricCase, 'file'>) }));
}

/** A fact as the note shows it: "about: value" when it says what it is about, else "kind: value". */
export function factLine(f: KeyFact): string {
  const about = (f as KeyFact & { about?: string }).about;
  return `${about ?? f.kind}: ${f.value}`;
}

function checkText(where: string, text: string, c: TextCheck | undefined, out: string[]): void {
  if (!c) return;
  if (c.mustMatch && !new RegExp(c.mustMatch, 'iu').test(text)) out.push(`${where} does not match /${c.mustMatch}/: ${text}`);
  if (c.mustNotMatch && new RegExp(c.mustNotMatch, 'iu').test(text)) out.push(`${where} matches /${c.mustNotMatch}/: ${text}`);
  const lower = text.toLowerCase();
  for (const m of c.mustMention ?? []) if (!lower.includes(m.toLowerCase())) out.push(`${where} does not mention "${m}": ${text}`);
  for (const m of c.mustNotMention ?? []) if (lower.includes(m.toLowerCase())) out.push(`${where} mentions "${m}": ${text}`);
  if (c.noExclamation && /[!！¡]/.test(text)) out.push(`${where} has an exclamation mark: ${text}`);
}

/** How many times a solution was offered: W1's repeat count when the report carries one, else 1. */
function offersOf(s: HandoffReport['attemptedSolutions'][number]): number {
  const r = s as unknown as Record<string, unknown>;
  for (const k of ['offers', 'offered', 'timesOffered', 'count']) if (typeof r[k] === 'number') return r[k];
  return 1;
}

export function checkReport(report: HandoffReport, checks: RubricChecks): string[] {
  const out: string[] = [];
  checkText('opener', report.opener.text, checks.opener, out);
  checkText('summary', report.summary.text, checks.summary, out);
  const note = [report.summary.text, ...report.keyFacts.map(factLine), report.opener.text, ...report.nextSteps].join('\n');
  checkText('note', note, checks.note, out);
  const a = checks.attempted;
  const sols = report.attemptedSolutions;
  const shown = sols.map((s) => `${s.kind} "${s.text}" (${s.outcome})`).join('; ') || 'none';
  if (a?.count !== undefined && sols.length !== a.count) out.push(`attempted: ${sols.length} solutions, want ${a.count}: ${shown}`);
  if (a?.offers !== undefined) {
    const n = sols.reduce((x, s) => Math.max(x, offersOf(s)), 0);
    if (n !== a.offers) out.push(`attempted: most offers of one solution ${n}, want ${a.offers}: ${shown}`);
  }
  for (const [needle, outcome] of Object.entries(a?.outcomes ?? {})) {
    const s = sols.find((x) => `${x.text} ${x.url ?? ''}`.toLowerCase().includes(needle.toLowerCase()));
    if (!s) out.push(`attempted: none about "${needle}": ${shown}`);
    else if (s.outcome !== outcome) out.push(`attempted: "${needle}" is ${s.outcome}, want ${outcome}`);
  }
  for (const needle of a?.mustNotInclude ?? []) {
    if (sols.some((x) => x.text.toLowerCase().includes(needle.toLowerCase()))) out.push(`attempted: lists "${needle}" as a solution: ${shown}`);
  }
  const facts = report.keyFacts.map(factLine);
  const factsShown = facts.join(' | ') || 'none';
  for (const f of list(checks.facts?.has)) if (!facts.some((x) => x.toLowerCase() === f.toLowerCase())) out.push(`facts: no "${f}" in ${factsShown}`);
  for (const f of list(checks.facts?.hasNot)) if (facts.some((x) => x.toLowerCase().includes(f.toLowerCase()))) out.push(`facts: has "${f}" in ${factsShown}`);
  return out;
}

export function runRubric(cases: readonly RubricCase[]): RubricResult[] {
  return cases.map((c) => {
    const report = analyze(normalizeGenericHandoff(c.event, 'rubric'), c.options);
    return { file: c.file, about: c.about, failures: checkReport(report, c.checks), report };
  });
}

/** The eval section: share of transcripts whose briefing passes every check, and each failure. */
export function rubricSection(results: readonly RubricResult[]): string {
  const passed = results.filter((r) => r.failures.length === 0).length;
  const lines = [`## Wording rubric (issue 14): ${passed}/${results.length} transcripts pass every check (${results.length ? ((100 * passed) / results.length).toFixed(1) : '0.0'} %)`, ''];
  for (const r of results) if (r.failures.length) for (const f of r.failures) lines.push(`- ${r.file}: ${f.replace(/\n/g, ' ⏎ ')}`);
  return lines.join('\n');
}
