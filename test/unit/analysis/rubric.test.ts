/**
 * Issue 14's rubric: each realistic handoff in test/fixtures/rubric/ with the claims its briefing must and must
 * not make (check language: scripts/eval/rubric.ts). `npm run eval` prints the same checks as a share.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkReport, loadRubric, runRubric } from '../../../scripts/eval/rubric.ts';
import { analyze } from '../../../server/analysis/index.ts';
import { eventOf } from './helpers.ts';

const DIR = fileURLToPath(new URL('../../fixtures/rubric/', import.meta.url));
const cases = loadRubric(DIR);

describe('wording rubric', () => {
  it('has at least 30 transcripts, each with checks', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) expect(Object.keys(c.checks).length, c.file).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.about}`, () => {
      const [r] = runRubric([c]);
      expect(r!.failures).toEqual([]);
    });
  }
});

describe('rubric check language', () => {
  const report = analyze(eventOf([{ role: 'customer', text: 'Error E-4032 on checkout since yesterday!' }]));

  it('reports what a check does not find, and passes what it finds', () => {
    expect(checkReport(report, { summary: { mustMention: ['E-4032'] } })).toEqual([]);
    expect(checkReport(report, { summary: { mustMention: ['E-9999'] } })).toHaveLength(1);
    expect(checkReport(report, { summary: { mustNotMatch: 'e-40\\d\\d' } })).toHaveLength(1);
    expect(checkReport(report, { attempted: { count: 1 } })).toHaveLength(1);
    expect(checkReport(report, { attempted: { count: 0 } })).toEqual([]);
    expect(checkReport(report, { facts: { hasNot: 'E-4032' } })).toHaveLength(1);
  });

  it('noExclamation catches an exclamation mark in the note', () => {
    expect(checkReport(report, { note: { noExclamation: true } }).length).toBeGreaterThan(0);
  });
});
