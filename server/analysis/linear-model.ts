/**
 * A tiny linear classifier runtime (multinomial logistic regression) for the JSON models that
 * scripts/train-models.ts produces. Sparse features in, class probabilities out.
 */

/** Shipped JSON shape: weights are row-major [feature][class]; features not listed weigh 0. */
export interface LinearModelJson {
  name: string;
  classes: string[];
  features: string[];
  weights: number[];
  bias: number[];
  /** Free-form notes written by the trainer (data, split, hyper-parameters). */
  meta?: Record<string, unknown>;
}

export interface LinearModel {
  name: string;
  classes: string[];
  index: Map<string, number>;
  weights: Float64Array;
  bias: Float64Array;
}

/** Builds the lookup index once; callers memoise the result at module level. */
export function loadLinearModel(json: LinearModelJson): LinearModel {
  const k = json.classes.length;
  if (json.weights.length !== json.features.length * k || json.bias.length !== k) {
    throw new Error(`model ${json.name}: weights do not match ${json.features.length} features x ${k} classes`);
  }
  const index = new Map<string, number>();
  json.features.forEach((f, i) => index.set(f, i));
  return { name: json.name, classes: json.classes, index, weights: Float64Array.from(json.weights), bias: Float64Array.from(json.bias) };
}

/** Sparse feature vector: name -> value (1 for presence features). */
export type Features = Map<string, number>;

export function logits(model: LinearModel, feats: Features): Float64Array {
  const k = model.classes.length;
  const z = Float64Array.from(model.bias);
  for (const [name, value] of feats) {
    const row = model.index.get(name);
    if (row === undefined) continue;
    const off = row * k;
    for (let c = 0; c < k; c++) z[c]! += model.weights[off + c]! * value;
  }
  return z;
}

/** logits() for presence features given by name (value 1 each; names must be distinct). */
export function logitsOfKeys(model: LinearModel, keys: readonly string[]): Float64Array {
  const k = model.classes.length;
  const z = Float64Array.from(model.bias);
  const { index, weights } = model;
  for (const name of keys) {
    const row = index.get(name);
    if (row === undefined) continue;
    const off = row * k;
    for (let c = 0; c < k; c++) z[c]! += weights[off + c]!;
  }
  return z;
}

export function softmax(z: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]!);
  const e: number[] = [];
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const v = Math.exp(z[i]! - max);
    e.push(v);
    sum += v;
  }
  return e.map((v) => v / sum);
}

export function predictProba(model: LinearModel, feats: Features): number[] {
  return softmax(logits(model, feats));
}
