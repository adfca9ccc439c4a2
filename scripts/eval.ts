/**
 * `npm run eval`: scores the analysis engine on ../shared/datasets (override with BATON_DATASETS) and prints
 * one markdown table per task, with anchors in the same run: VADER (npm vader-sentiment, compound ±0.05)
 * for sentiment and a keyword regex for human requests. Every figure is given on the held-out split (30 %,
 * by text hash; never used for training or tuning) and on the tune split (what the models were trained on).
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectHumanRequest } from '../server/analysis/human-request.ts';
import { messageSentiment, modelSentiment } from '../server/analysis/message-sentiment.ts';
import { DEFAULT_ANALYSIS_OPTIONS } from '../server/analysis/options.ts';
import { classifyTopic } from '../server/analysis/topics.ts';
import { datasetsDir, loadIntentRows, loadSentimentRows, type IntentRow, type SentimentRow, type Split } from './train-models.ts';
import { f1For, macroF1 } from './metrics.ts';

/** vader-sentiment ships no types; this is the one call we use. */
export interface VaderModule {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number; pos: number; neg: number; neu: number } };
}
export const vader = createRequire(import.meta.url)('vader-sentiment') as VaderModule;

const SPLITS: Split[] = ['heldout', 'tune'];
const KEYWORD_RE = /\b(human|agent|person|representative|operator)\b/i;


const fmt = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

function table(title: string, header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [`### ${title}`, '', line(header), line(header.map(() => '---')), ...rows.map(line), ''].join('\n');
}

function vaderLabel(text: string): string {
  const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  return c >= 0.05 ? 'positive' : c <= -0.05 ? 'negative' : 'neutral';
}

function sentimentTable(rows: SentimentRow[]): string {
  const out: string[][] = [];
  const groups: [string, (r: SentimentRow) => boolean][] = [
    ['vader-tweets', (r) => r.dataset === 'vader-tweets'],
    ['goemotions (unambiguous)', (r) => r.dataset === 'goemotions'],
    ['both', () => true],
  ];
  for (const split of SPLITS) {
    for (const [name, keep] of groups) {
      const rs = rows.filter((r) => r.split === split && keep(r));
      const gold = rs.map((r) => r.label);
      const engine = rs.map((r) => messageSentiment(r.text).label);
      const model = rs.map((r) => modelSentiment(r.text).label);
      const vad = rs.map((r) => vaderLabel(r.text));
      out.push([
        split,
        name,
        String(rs.length),
        `**${fmt(macroF1(gold, engine))}**`,
        fmt(f1For(gold, engine, 'negative')),
        fmt(macroF1(gold, model)),
        fmt(macroF1(gold, vad)),
        fmt(f1For(gold, vad, 'negative')),
      ]);
    }
  }
  return table(
    'Sentiment (3 classes)',
    ['split', 'dataset', 'n', 'engine macro-F1', 'engine neg-F1', 'model only macro-F1', 'VADER macro-F1', 'VADER neg-F1'],
    out,
  );
}

function prf(gold: readonly boolean[], pred: readonly boolean[]): { p: number; r: number; f: number; fpr: number; pos: number } {
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
  return { p: tp + fp ? tp / (tp + fp) : 0, r: tp + fn ? tp / (tp + fn) : 0, f: tp ? (2 * tp) / (2 * tp + fp + fn) : 0, fpr: neg ? fp / neg : 0, pos: tp + fn };
}

function humanTable(rows: IntentRow[]): string {
  const out: string[][] = [];
  const groups: [string, (r: IntentRow) => boolean][] = [
    ['NLU++ (handoff)', (r) => r.dataset === 'nlupp'],
    ['Bitext (contact_human_agent)', (r) => r.dataset === 'bitext'],
    ['NLU++ + Bitext', (r) => r.dataset === 'nlupp' || r.dataset === 'bitext'],
    ['CLINC150 incl. oos (all negative)', (r) => r.dataset === 'clinc150'],
    ['Banking77 (all negative)', (r) => r.dataset === 'banking77'],
  ];
  for (const split of SPLITS) {
    for (const [name, keep] of groups) {
      const rs = rows.filter((r) => r.split === split && keep(r));
      const gold = rs.map((r) => r.human);
      const e = prf(gold, rs.map((r) => detectHumanRequest(r.text) !== undefined));
      const k = prf(gold, rs.map((r) => KEYWORD_RE.test(r.text)));
      const hasPos = e.pos > 0;
      out.push([
        split,
        name,
        `${rs.length} (${e.pos} pos)`,
        hasPos ? fmt(e.p) : '–',
        hasPos ? fmt(e.r) : '–',
        hasPos ? `**${fmt(e.f)}**` : '–',
        `**${pct(e.fpr)}**`,
        hasPos ? fmt(k.f) : '–',
        pct(k.fpr),
      ]);
    }
  }
  return table('Human request', ['split', 'dataset', 'n', 'engine P', 'engine R', 'engine F1', 'engine FPR', 'keyword F1', 'keyword FPR'], out);
}

/** how_to is a refinement of "other" in the engine; the dataset mapping has no how_to, so score it as other. */
function topicOf(text: string): string {
  const t = classifyTopic({ texts: [text] }, DEFAULT_ANALYSIS_OPTIONS).id;
  return t === 'how_to' ? 'other' : t;
}

function topicTable(rows: IntentRow[]): string {
  const out: string[][] = [];
  const groups: [string, (r: IntentRow) => boolean][] = [
    ['Bitext', (r) => r.dataset === 'bitext'],
    ['Banking77', (r) => r.dataset === 'banking77'],
    ['NLU++ (rows with a topic)', (r) => r.dataset === 'nlupp'],
    ['CLINC150', (r) => r.dataset === 'clinc150'],
    ['all', () => true],
  ];
  for (const split of SPLITS) {
    for (const [name, keep] of groups) {
      const rs = rows.filter((r) => r.split === split && r.topics.length > 0 && keep(r));
      const pred = rs.map((r) => topicOf(r.text));
      // Multi-label NLU++ rows count as correct when the prediction is any of their topics.
      const gold = rs.map((r, i) => (r.topics.includes(pred[i]!) ? pred[i]! : r.topics[0]!));
      const acc = rs.filter((r, i) => r.topics.includes(pred[i]!)).length / Math.max(1, rs.length);
      const majority = [...gold.reduce((m, g) => m.set(g, (m.get(g) ?? 0) + 1), new Map<string, number>()).values()].sort((a, b) => b - a)[0] ?? 0;
      out.push([split, name, String(rs.length), `**${fmt(acc)}**`, fmt(macroF1(gold, pred)), fmt(majority / Math.max(1, rs.length))]);
    }
  }
  return table('Topic (engine_topic mapping; how_to scored as other)', ['split', 'dataset', 'n', 'accuracy', 'macro-F1', 'majority-class accuracy'], out);
}

function main(): void {
  const started = performance.now();
  console.log(`# Baton analysis eval\n\ndatasets: ${datasetsDir()}\nheld-out = 30 % by FNV-1a hash of the text (never trained or tuned on); tune = the rest (training data).\n`);
  const sentRows = loadSentimentRows();
  const intentRows = loadIntentRows();
  console.log(sentimentTable(sentRows));
  console.log(humanTable(intentRows));
  console.log(topicTable(intentRows));
  console.log('Targets on held-out: sentiment macro-F1 >= 0.70; human-request F1 >= 0.95 with FPR <= 1 %; topic accuracy >= 0.85.');
  console.log(`(eval took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
