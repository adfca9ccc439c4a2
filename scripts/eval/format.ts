/** Markdown output for scripts/eval.ts: tables, confusion matrices and the worst errors per class. */
import { fnv1a } from '../../server/analysis/text.ts';

export const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');
export const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

export function table(title: string, header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [`### ${title}`, '', line(header), line(header.map(() => '---')), ...rows.map(line), ''].join('\n');
}

/** Rows gold, columns predicted; labels in the order given (then any others seen). */
export function confusion(title: string, gold: readonly string[], pred: readonly string[], labels: readonly string[] = []): string {
  const all = [...new Set([...labels, ...gold, ...pred])];
  const counts = new Map<string, number>();
  gold.forEach((g, i) => counts.set(`${g}\u0000${pred[i]}`, (counts.get(`${g}\u0000${pred[i]}`) ?? 0) + 1));
  const rows = all
    .filter((g) => gold.includes(g))
    .map((g) => {
      const n = gold.filter((x) => x === g).length;
      const right = counts.get(`${g}\u0000${g}`) ?? 0;
      return [`**${g}**`, String(n), ...all.map((p) => String(counts.get(`${g}\u0000${p}`) ?? 0)), fmt(right / Math.max(1, n))];
    });
  return table(`${title}: confusion (rows gold, columns predicted)`, ['gold \\ pred', 'n', ...all, 'recall'], rows);
}

export interface Scored {
  text: string;
  gold: string;
  pred: string;
  source: string;
}

/**
 * Up to `k` misclassified examples per gold class, the same ones run after run (ordered by a hash of the
 * text, not by file order, so one source does not fill the list).
 */
export function topErrors(title: string, scored: readonly Scored[], k = 4): string {
  const out: string[] = [`### ${title}: error examples per gold class`, ''];
  const classes = [...new Set(scored.map((s) => s.gold))].sort();
  for (const c of classes) {
    const wrong = scored.filter((s) => s.gold === c && s.pred !== c);
    if (wrong.length === 0) continue;
    const picked = [...wrong].sort((a, b) => fnv1a(a.text) - fnv1a(b.text)).slice(0, k);
    out.push(`- **${c}** (${wrong.length} wrong):`);
    for (const s of picked) out.push(`  - → ${s.pred} [${s.source}] ${JSON.stringify(s.text.length > 140 ? `${s.text.slice(0, 140)}…` : s.text)}`);
  }
  out.push('');
  return out.join('\n');
}

export function prf(gold: readonly boolean[], pred: readonly boolean[]): { p: number; r: number; f: number; fpr: number; pos: number; n: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let neg = 0;
  gold.forEach((g, i) => {
    if (!g) neg++;
    if (pred[i] && g) tp++;
    else if (pred[i]) fp++;
    else if (g) fn++;
  });
  return {
    p: tp + fp ? tp / (tp + fp) : NaN,
    r: tp + fn ? tp / (tp + fn) : NaN,
    f: tp + fn ? (2 * tp) / (2 * tp + fp + fn) : NaN,
    fpr: neg ? fp / neg : 0,
    pos: tp + fn,
    n: gold.length,
  };
}
