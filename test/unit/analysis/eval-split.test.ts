/**
 * The evaluation's own parts (no dataset is read): the grouped split keeps a group on one side, and the
 * confusion matrix and error lists count what they say.
 */
import { describe, expect, it } from 'vitest';
import { splitOf } from '../../../scripts/train-models.ts';
import { confusion, prf, topErrors } from '../../../scripts/eval/format.ts';

describe('grouped split', () => {
  it('decides by the group, so every paraphrase of one template lands on the same side', () => {
    const group = 'bitext|cancel_order|BQ';
    const side = splitOf(group);
    expect(splitOf(' BITEXT|cancel_order|BQ ')).toBe(side);
    // Roughly 30 % of many groups are held out.
    const groups = Array.from({ length: 2000 }, (_, i) => `g|intent_${i}`);
    const held = groups.filter((g) => splitOf(g) === 'heldout').length / groups.length;
    expect(held).toBeGreaterThan(0.25);
    expect(held).toBeLessThan(0.35);
  });
});

describe('eval output', () => {
  it('confusion counts gold rows against predicted columns, with recall per row', () => {
    const md = confusion('T', ['a', 'a', 'b', 'b', 'b'], ['a', 'b', 'b', 'b', 'a'], ['a', 'b']);
    expect(md).toContain('| **a** | 2 | 1 | 1 | 0.500 |');
    expect(md).toContain('| **b** | 3 | 1 | 2 | 0.667 |');
  });

  it('lists only wrong rows, at most k per class, the same ones every run', () => {
    const scored = Array.from({ length: 10 }, (_, i) => ({ text: `t${i}`, gold: 'x', pred: i < 6 ? 'y' : 'x', source: 's' }));
    const a = topErrors('E', scored, 3);
    expect(a).toContain('**x** (6 wrong)');
    expect(a.split('\n').filter((l) => l.startsWith('  - →'))).toHaveLength(3);
    expect(topErrors('E', [...scored].reverse(), 3)).toBe(a);
  });

  it('precision, recall, F1 and false-positive rate', () => {
    const r = prf([true, true, false, false, false], [true, false, true, false, false]);
    expect(r).toMatchObject({ p: 0.5, r: 0.5, f: 0.5, pos: 2, n: 5 });
    expect(r.fpr).toBeCloseTo(1 / 3);
    expect(Number.isNaN(prf([false], [false]).f)).toBe(true);
  });
});
