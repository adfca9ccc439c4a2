/**
 * Trains the small models the analysis engine ships as JSON (server/analysis/models/):
 *   - sentiment-lexicon.json: VADER's lexicon (from the vader-sentiment package), read by lexicon-score.ts
 *   - sentiment.json: 3-class logistic regression (words, negation scope, lexicon scores)
 *   - topic.json: logistic regression over words+bigrams onto the engine's topic ids
 *   - human-request.json: binary logistic regression "asks for a human"
 * Only the TUNE split of ../shared/datasets is used; the held-out split (30 %, chosen by a hash of the
 * text) is never read here. The dataset loaders and the split are exported for scripts/eval.ts.
 *
 *   npx tsx scripts/train-models.ts        (BATON_DATASETS overrides the datasets folder)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fnv1a, foldAccents, normalizeQuotes } from '../server/analysis/text.ts';
import type { Features, LinearModelJson } from '../server/analysis/linear-model.ts';
import { f1For, macroF1 } from './metrics.ts';
// Deterministic PRNG so retraining reproduces the shipped JSON byte for byte.
import { mulberry32 } from '../server/util/mulberry32.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..');
export const MODELS_DIR = join(REPO_ROOT, 'server/analysis/models');

export function datasetsDir(): string {
  return process.env.BATON_DATASETS ? resolve(process.env.BATON_DATASETS) : resolve(REPO_ROOT, '../shared/datasets');
}

// ---------------------------------------------------------------- split

export type Split = 'tune' | 'heldout';
/**
 * 30 % held out, decided by a hash of the row's GROUP (not of its text): every paraphrase of one template
 * lands on the same side, so the held-out figure is not a memory test. Groups: Bitext intent + flags,
 * NLU++ fold (7-9 held out), Banking77 / CLINC150 / HWU64 intent, TweetEval its own val/test split,
 * VADER tweets and GoEmotions the row (no group is published; they are single-source, real text).
 */
export function splitOf(group: string): Split {
  return fnv1a(`baton-split-v2|${group.trim().toLowerCase().replace(/\s+/g, ' ')}`) % 100 < 30 ? 'heldout' : 'tune';
}

// ---------------------------------------------------------------- loaders

/** RFC-4180-ish CSV (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(src: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const header = rows.shift() ?? [];
  return rows
    .filter((r) => r.length === header.length)
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export type SentimentGold = 'negative' | 'neutral' | 'positive';
export const SENTIMENT_DATASETS = ['vader-tweets', 'goemotions', 'tweeteval'] as const;
export interface SentimentRow {
  dataset: (typeof SENTIMENT_DATASETS)[number];
  text: string;
  label: SentimentGold;
  /** What the grouped split hashes (see splitOf). */
  group: string;
  split: Split;
}

export const INTENT_DATASETS = ['bitext', 'nlupp', 'banking77', 'clinc150', 'hwu64'] as const;
export interface IntentRow {
  dataset: (typeof INTENT_DATASETS)[number];
  text: string;
  /** Engine topic ids this utterance maps to (empty: no topic label). */
  topics: string[];
  /** Asks for a human (NLU++ `handoff`, Bitext `contact_human_agent`). */
  human: boolean;
  intent: string;
  /** What the grouped split hashes (see splitOf). */
  group: string;
  split: Split;
}

const read = (rel: string): string => readFileSync(join(datasetsDir(), rel), 'utf8');

export function loadSentimentRows(): SentimentRow[] {
  const out: SentimentRow[] = [];
  for (const r of parseCsv(read('vader-tweets/tweets.csv'))) {
    const label = r.label as SentimentGold;
    const text = (r.text ?? '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    const group = `vader|${r.id ?? text}`;
    out.push({ dataset: 'vader-tweets', text, label, group, split: splitOf(group) });
  }
  // GoEmotions: only rows whose sentiment group is unambiguous (a single positive/negative/neutral group).
  for (const r of parseCsv(read('goemotions/dev.csv'))) {
    const g = r.sentiment_groups ?? '';
    if (g !== 'positive' && g !== 'negative' && g !== 'neutral') continue;
    const text = r.text ?? '';
    const group = `goemotions|${r.id ?? text}`;
    out.push({ dataset: 'goemotions', text, label: g, group, split: splitOf(group) });
  }
  // TweetEval (SemEval-2017 4A): its own val/test split; val is tuned on, test held out.
  for (const r of parseCsv(read('tweeteval/sentiment.csv'))) {
    const label = r.label as SentimentGold;
    if (label !== 'negative' && label !== 'neutral' && label !== 'positive') continue;
    const text = r.text ?? '';
    out.push({ dataset: 'tweeteval', text, label, group: `tweeteval|${r.split}`, split: r.split === 'test' ? 'heldout' : 'tune' });
  }
  return out;
}

/** Dataset topic ids that the engine knows by another name. */
function engineTopic(t: string): string | undefined {
  if (t === 'human_request' || t === '') return undefined;
  if (t === 'out_of_scope') return 'other';
  return t;
}

export function loadIntentRows(): IntentRow[] {
  const out: IntentRow[] = [];
  for (const r of parseCsv(read('bitext-customer-service/utterances.csv'))) {
    const text = r.utterance ?? '';
    const t = engineTopic(r.engine_topic ?? '');
    // Bitext generates paraphrases from templates per intent; its language flags (P polite, Q colloquial,
    // W offensive, Z typos...) mark the variants. Intent + flags is the closest published template group.
    const group = `bitext|${r.intent}|${[...(r.flags ?? '')].sort().join('')}`;
    out.push({ dataset: 'bitext', text, topics: t ? [t] : [], human: r.intent === 'contact_human_agent', intent: r.intent ?? '', group, split: splitOf(group) });
  }
  const nlupp = JSON.parse(read('nlupp/folds_0-9.json')) as { text: string; intents: string[]; engine_topics: string[]; fold: number; domain: string }[];
  for (const r of nlupp) {
    const topics = r.engine_topics.map(engineTopic).filter((t): t is string => t !== undefined);
    const group = `nlupp|fold${r.fold}`;
    out.push({ dataset: 'nlupp', text: r.text, topics, human: r.intents.includes('handoff'), intent: r.intents.join(';'), group, split: r.fold >= 7 ? 'heldout' : 'tune' });
  }
  for (const r of parseCsv(read('banking77/train_sample.csv'))) {
    const text = r.text ?? '';
    const t = engineTopic(r.engine_topic ?? '');
    const group = `banking77|${r.intent}`;
    out.push({ dataset: 'banking77', text, topics: t ? [t] : [], human: false, intent: r.intent ?? '', group, split: splitOf(group) });
  }
  for (const r of parseCsv(read('clinc150/val_sample.csv'))) {
    const text = r.text ?? '';
    const t = engineTopic(r.engine_topic ?? '');
    const group = `clinc150|${r.intent}`;
    out.push({ dataset: 'clinc150', text, topics: t ? [t] : [], human: false, intent: r.intent ?? '', group, split: splitOf(group) });
  }
  // HWU64: home-assistant requests, none for a person; out of scope for a support taxonomy ("other").
  for (const r of parseCsv(read('hwu64/hwu64.csv'))) {
    const text = r.text ?? '';
    const group = `hwu64|${r.intent}`;
    out.push({ dataset: 'hwu64', text, topics: ['other'], human: false, intent: r.intent ?? '', group, split: splitOf(group) });
  }
  return out;
}

// ---------------------------------------------------------------- training

export interface Example {
  feats: Features;
  label: number;
  weight: number;
  /** Dataset (or other group) the example comes from, for per-group CV scores. */
  group?: string;
  /** Every label that counts as correct (multi-label rows); defaults to [label]. */
  accept?: number[];
}

/** Mean over groups of the accuracy inside each group, so a large easy dataset does not hide a hard one. */
export const groupMeanAccuracy: CvScore = (_gold, pred, examples) => {
  const by = new Map<string, [number, number]>();
  examples.forEach((ex, i) => {
    const a = by.get(ex.group ?? '') ?? [0, 0];
    a[0] += (ex.accept ?? [ex.label]).includes(pred[i]!) ? 1 : 0;
    a[1]++;
    by.set(ex.group ?? '', a);
  });
  return [...by.values()].reduce((acc, [c, n]) => acc + c / n, 0) / Math.max(1, by.size);
};

export interface TrainParams {
  epochs: number;
  lr: number;
  l2: number;
  minCount: number;
  seed: number;
  /** Features whose largest absolute weight is below this are dropped from the JSON (default: exact zeros). */
  prune?: number;
  /** Decimals kept per weight (default 3). */
  decimals?: number;
}

/** Multinomial logistic regression by SGD with L2 (lazy-free, fine at this size). */
export function trainSoftmax(name: string, classes: string[], examples: Example[], p: TrainParams, meta: Record<string, unknown>): LinearModelJson {
  const counts = new Map<string, number>();
  for (const ex of examples) for (const k of ex.feats.keys()) counts.set(k, (counts.get(k) ?? 0) + 1);
  const features = [...counts.entries()]
    .filter(([k, c]) => c >= p.minCount || k.startsWith('lex:') || k.startsWith('x:'))
    .map(([k]) => k)
    .sort();
  const index = new Map(features.map((f, i) => [f, i]));
  const K = classes.length;
  const W = new Float64Array(features.length * K);
  const b = new Float64Array(K);
  const rows = examples.map((ex) => ({
    idx: [...ex.feats.entries()].filter(([k]) => index.has(k)).map(([k, v]) => [index.get(k)!, v] as const),
    label: ex.label,
    weight: ex.weight,
  }));
  const rand = mulberry32(p.seed);
  const order = rows.map((_, i) => i);
  const z = new Float64Array(K);
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = p.lr / (1 + epoch * 0.5);
    for (const oi of order) {
      const r = rows[oi]!;
      for (let c = 0; c < K; c++) z[c] = b[c]!;
      for (const [f, v] of r.idx) for (let c = 0; c < K; c++) z[c]! += W[f * K + c]! * v;
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, z[c]!);
      let sum = 0;
      for (let c = 0; c < K; c++) {
        z[c] = Math.exp(z[c]! - max);
        sum += z[c]!;
      }
      for (let c = 0; c < K; c++) {
        const g = r.weight * (z[c]! / sum - (c === r.label ? 1 : 0));
        b[c]! -= lr * g;
        for (const [f, v] of r.idx) {
          const k = f * K + c;
          W[k]! -= lr * (g * v + p.l2 * W[k]!);
        }
      }
    }
  }
  // Drop features whose weights all round to zero: smaller JSON, same predictions.
  const keptF: string[] = [];
  const keptW: number[] = [];
  const scale = 10 ** (p.decimals ?? 3);
  const round = (x: number): number => Math.round(x * scale) / scale;
  const floor = p.prune ?? 0;
  features.forEach((f, i) => {
    const ws = Array.from({ length: K }, (_, c) => round(W[i * K + c]!));
    if (ws.some((w) => w !== 0 && Math.abs(w) >= floor)) {
      keptF.push(f);
      keptW.push(...ws);
    }
  });
  return { name, classes, features: keptF, weights: keptW, bias: Array.from(b, (x) => Math.round(x * 1000) / 1000), meta: { ...meta, ...p, examples: examples.length } };
}


/**
 * k-fold cross-validation INSIDE the tune split, used to choose hyper-parameters and thresholds (the
 * held-out split stays untouched). Folds are fixed by a seeded draw per example position. Returns each
 * example's class probabilities from the model trained on the other folds.
 */
export function crossValidateProbs(classes: string[], examples: Example[], p: TrainParams, k = 4): number[][] {
  const { loadLinearModel, predictProba } = linearRuntime!;
  const rand = mulberry32(99);
  const fold = examples.map(() => Math.floor(rand() * k));
  const out: number[][] = new Array<number[]>(examples.length);
  for (let f = 0; f < k; f++) {
    const m = loadLinearModel(trainSoftmax('cv', classes, examples.filter((_, i) => fold[i] !== f), p, {}));
    examples.forEach((ex, i) => {
      if (fold[i] === f) out[i] = predictProba(m, ex.feats);
    });
  }
  return out;
}

/** Scores out-of-fold predictions: gold labels, predicted labels, and the examples themselves. */
export type CvScore = (gold: number[], pred: number[], examples: readonly Example[]) => number;

export function crossValidate(classes: string[], examples: Example[], p: TrainParams, score: CvScore, k = 4): number {
  const probs = crossValidateProbs(classes, examples, p, k);
  const pred = probs.map((pr) => pr.indexOf(Math.max(...pr)));
  return score(examples.map((ex) => ex.label), pred, examples);
}

let linearRuntime: typeof import('../server/analysis/linear-model.ts') | undefined;

/** Tries each parameter set by cross-validation and returns the best one (ties: first). */
function selectParams(
  name: string,
  classes: string[],
  examples: Example[],
  grid: TrainParams[],
  score: CvScore,
): TrainParams {
  let best = grid[0]!;
  let bestScore = -1;
  for (const p of grid) {
    const s = crossValidate(classes, examples, p, score);
    console.log(`  cv ${name} epochs=${p.epochs} lr=${p.lr} l2=${p.l2} minCount=${p.minCount}: ${s.toFixed(4)}`);
    if (s > bestScore) {
      bestScore = s;
      best = p;
    }
  }
  console.log(`  -> ${name}: epochs=${best.epochs} lr=${best.lr} l2=${best.l2} (cv ${bestScore.toFixed(4)})`);
  return best;
}

function grid(base: Omit<TrainParams, 'l2' | 'epochs'>, l2s: number[], epochs: number[]): TrainParams[] {
  return l2s.flatMap((l2) => epochs.map((e) => ({ ...base, l2, epochs: e })));
}

function writeModel(file: string, json: unknown): void {
  const path = join(MODELS_DIR, file);
  const text = `${JSON.stringify(json)}\n`;
  writeFileSync(path, text);
  console.log(`wrote ${path} (${(text.length / 1024).toFixed(0)} KiB)`);
}

/** VADER's lexicon as two parallel arrays (compact, and cheap for tsc to type). */
function exportLexicon(): void {
  const src = readFileSync(join(REPO_ROOT, 'node_modules/vader-sentiment/vader_lexicon.txt'), 'utf8');
  const m = new Map<string, number>();
  for (const line of src.split('\n')) {
    const [w, v] = line.split('\t');
    if (w && v !== undefined && Number.isFinite(Number(v))) m.set(w.toLowerCase(), Number(v));
  }
  const words = [...m.keys()].sort();
  writeModel('sentiment-lexicon.json', {
    source: 'VADER lexicon (cjhutto/vaderSentiment, MIT) via npm vader-sentiment 1.1.3',
    words,
    values: words.map((w) => m.get(w)!),
  });
}

type FeatureFns = typeof import('../server/analysis/features.ts');

export const SENTIMENT_CLASSES = ['negative', 'neutral', 'positive'];

/** Size of the shipped JSON: weights to 2 decimals, features whose weights all stay under 0.01 dropped. */
const LEAN = { prune: 0.01, decimals: 2 };

/** Today's recipe per task (hyper-parameters chosen by CV on tune; eval's leave-one-dataset-out reuses them). */
export const RECIPE = {
  sentiment: { lr: 0.05, minCount: 2, seed: 7, l2: 3e-4, epochs: 3, ...LEAN } as TrainParams,
  topic: { lr: 0.1, minCount: 2, seed: 11, l2: 3e-4, epochs: 5, ...LEAN } as TrainParams,
  human: { lr: 0.1, minCount: 2, seed: 13, l2: 1e-5, epochs: 5, ...LEAN } as TrainParams,
  humanThreshold: 0.4,
};


export function sentimentExamples(f: FeatureFns, rows: readonly SentimentRow[]): Example[] {
  return rows.map((r) => ({ feats: f.sentimentFeatures(r.text), label: SENTIMENT_CLASSES.indexOf(r.label), weight: 1, group: r.dataset }));
}

/** HWU64 is large and all "other": a quarter of it (by text hash) teaches out-of-scope without swamping the rest. */
const keepForTopic = (r: IntentRow): boolean => r.dataset !== 'hwu64' || fnv1a(`hwu|${r.text}`) % 4 === 0;

export function topicExamples(f: FeatureFns, rows: readonly IntentRow[], classes: string[]): Example[] {
  const out: Example[] = [];
  for (const r of rows) {
    if (r.topics.length === 0 || !keepForTopic(r)) continue;
    const feats = f.topicFeatures(r.text);
    const accept = r.topics.map((t) => classes.indexOf(t));
    for (const t of r.topics) out.push({ feats, label: classes.indexOf(t), weight: 1, group: r.dataset, accept });
  }
  return out;
}

export const topicClassesOf = (rows: readonly IntentRow[]): string[] => [...new Set(rows.filter(keepForTopic).flatMap((r) => r.topics))].sort();

export function humanExamples(f: FeatureFns, rows: readonly IntentRow[]): Example[] {
  return rows.map((r) => ({ feats: f.intentFeatures(r.text), label: r.human ? 1 : 0, weight: r.human ? 4 : 1, group: r.dataset }));
}

async function main(): Promise<void> {
  exportLexicon();
  // Imported after the lexicon is written: the feature code reads it at module load.
  const features = await import('../server/analysis/features.ts');
  linearRuntime = await import('../server/analysis/linear-model.ts');
  humanRuntime = await import('../server/analysis/human-request.ts');
  const quick = process.argv.includes('--no-cv');

  const sentClasses = SENTIMENT_CLASSES;
  const sentRows = loadSentimentRows().filter((r) => r.split === 'tune');
  const sentEx = sentimentExamples(features, sentRows);
  const sentGrid = grid({ lr: 0.05, minCount: 2, seed: 7 }, [3e-4, 1e-3, 3e-3], [3, 5]);
  const sentParams = quick ? RECIPE.sentiment : selectParams('sentiment', sentClasses, sentEx, sentGrid, groupMeanMacroF1);
  writeModel(
    'sentiment.json',
    trainSoftmax('sentiment', sentClasses, sentEx, { ...sentParams, ...LEAN }, {
      data: 'vader-tweets + goemotions (unambiguous sentiment_groups) + tweeteval val, grouped tune split only',
    }),
  );

  const intentRows = loadIntentRows().filter((r) => r.split === 'tune');
  const topicClasses = topicClassesOf(intentRows.filter((r) => r.topics.length > 0));
  const topicEx = topicExamples(features, intentRows, topicClasses);
  // Chosen by the mean of the per-dataset CV accuracies: Bitext alone is large and easy.
  const topicGrid = grid({ lr: 0.1, minCount: 2, seed: 11 }, [1e-4, 3e-4, 1e-3], [5, 10]);
  const topicParams = quick ? RECIPE.topic : selectParams('topic', topicClasses, topicEx, topicGrid, groupMeanAccuracy);
  writeModel(
    'topic.json',
    trainSoftmax('topic', topicClasses, topicEx, { ...topicParams, ...LEAN }, {
      data: 'bitext + banking77 + nlupp + clinc150 engine_topic mapping + a quarter of hwu64 as other, grouped tune split only',
      features: 'words, bigrams, hashed character 3-5-grams of words at value 0.5 (features.ts topicFeatures)',
      selection: '4-fold CV on tune, mean of per-dataset accuracy',
    }),
  );

  const humanEx = humanExamples(features, intentRows);
  const positiveF1 = (g: number[], p: number[]): number => f1For(g, p, 1);
  const humanGrid = grid({ lr: 0.1, minCount: 2, seed: 13 }, [1e-5, 1e-4, 5e-4], [5, 10]);
  const humanParams = quick ? RECIPE.human : selectParams('human-request', ['no', 'yes'], humanEx, humanGrid, positiveF1);
  const threshold = quick ? RECIPE.humanThreshold : selectHumanThreshold(intentRows, humanEx, humanParams);
  writeModel(
    'human-request.json',
    trainSoftmax('human-request', ['no', 'yes'], humanEx, { ...humanParams, ...LEAN }, {
      data: 'bitext contact_human_agent + nlupp handoff vs every other tune utterance (incl. hwu64 hard negatives), grouped tune split only',
      threshold,
      thresholdSelection: '4-fold CV on tune of the whole check (patterns, then the model): mean F1 of NLU++ and Bitext, FPR <= 1 %',
    }),
  );
}

/** Mean over datasets of the macro-F1 inside each, so no single corpus decides. */
const groupMeanMacroF1: CvScore = (gold, pred, examples) => {
  const by = new Map<string, number[]>();
  examples.forEach((ex, i) => by.set(ex.group ?? '', [...(by.get(ex.group ?? '') ?? []), i]));
  let sum = 0;
  for (const idx of by.values()) sum += macroF1(idx.map((i) => gold[i]!), idx.map((i) => pred[i]!), [0, 1, 2]);
  return sum / Math.max(1, by.size);
};

/**
 * The model threshold, chosen on out-of-fold probabilities inside the tune split for the check as the
 * engine runs it: a pattern match (or a negated one) decides first, the model only sees the rest.
 */
function selectHumanThreshold(rows: IntentRow[], examples: Example[], p: TrainParams): number {
  const { matchPatterns } = humanRuntime!;
  const probs = crossValidateProbs(['no', 'yes'], examples, p);
  const patterns = rows.map((r) => matchPatterns(foldAccents(normalizeQuotes(r.text))));
  let best = 0.5;
  let bestScore = -1;
  for (const th of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
    const pred = rows.map((_, i) => (patterns[i] === 'negated' ? 0 : patterns[i] ? 1 : probs[i]![1]! >= th ? 1 : 0));
    const f1Of = (ds: string): number => {
      const idx = rows.flatMap((r, i) => (r.dataset === ds ? [i] : []));
      return f1For(idx.map((i) => examples[i]!.label), idx.map((i) => pred[i]!), 1);
    };
    const negatives = rows.flatMap((r, i) => (r.human ? [] : [i]));
    const fpr = negatives.filter((i) => pred[i] === 1).length / Math.max(1, negatives.length);
    const score = fpr <= 0.01 ? (f1Of('nlupp') + f1Of('bitext')) / 2 : -1;
    console.log(`  cv human-request threshold ${th}: mean F1 ${score.toFixed(4)}, FPR ${(fpr * 100).toFixed(2)} %`);
    // Ties go to the threshold nearer 0.5.
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && Math.abs(th - 0.5) < Math.abs(best - 0.5))) {
      bestScore = score;
      best = th;
    }
  }
  console.log(`  -> human-request threshold ${best} (cv mean F1 ${bestScore.toFixed(4)})`);
  return best;
}

let humanRuntime: typeof import('../server/analysis/human-request.ts') | undefined;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
