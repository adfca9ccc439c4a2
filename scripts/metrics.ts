/** Classification metrics shared by training (class indices) and evaluation (label strings). */

/** F1 of one label. */
export function f1For<T>(gold: readonly T[], pred: readonly T[], label: T): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    if (pred[i] === label && g === label) tp++;
    else if (pred[i] === label) fp++;
    else if (g === label) fn++;
  });
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Mean F1 over `labels` (default: the labels present in `gold`). */
export function macroF1<T>(gold: readonly T[], pred: readonly T[], labels: readonly T[] = [...new Set(gold)]): number {
  return labels.reduce((a, l) => a + f1For(gold, pred, l), 0) / Math.max(1, labels.length);
}
