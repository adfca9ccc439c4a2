/**
 * The analysis hot paths (issue 7: analyze() of 1 MB within 100 ms) compute exactly what their reference
 * definitions do: the tokenizer against its regular expression, the model scorers against
 * logits(model, features) bit for bit, the repetition index against comparing every pair of turns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import humanJson from '../../../server/analysis/models/human-request.json' with { type: 'json' };
import sentimentJson from '../../../server/analysis/models/sentiment.json' with { type: 'json' };
import topicJson from '../../../server/analysis/models/topic.json' with { type: 'json' };
import { intentFeatures, intentLogits, sentimentFeatures, sentimentLogits, WordTable } from '../../../server/analysis/features.ts';
import { Interner } from '../../../server/analysis/interner.ts';
import { loadLinearModel, logits, type LinearModelJson } from '../../../server/analysis/linear-model.ts';
import { lexiconScore, newLexiconTokenCache } from '../../../server/analysis/lexicon-score.ts';
import { MessageMemo } from '../../../server/analysis/memo.ts';
import { detectSignals } from '../../../server/analysis/signals.ts';
import { clip, collapseSpaces, excerptAround, jaccardSets, sentences, wordIds, words, wordsByRegex } from '../../../server/analysis/text.ts';
import { FIXTURES } from './helpers.ts';

/** Deterministic pseudo-random numbers (no Math.random in tests). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const HANDWRITTEN = [
  '',
  'ok',
  "I don't think it's working, it STILL doesn't work!!! Why???",
  'Not good. Not bad either. But the delivery was terrible :( and I am NOT happy',
  'I was charged twice for order #A10023, two charges of $29.99 on Nov 17.',
  "Hola, no funciona. ¿Puedo hablar con una persona? Qu'est-ce que c'est l'ÉTÉ",
  'Ich möchte mit einem Mitarbeiter sprechen, bitte — SOFORT!',
  'never never never good good good great great but awful awful',
  'rock’n’roll don’t won‘t “quoted” x\'y 1\'2 a\'b\'c \'lead trail\' o\'',
  'İstanbul ǅemal ﬁne 𝐀𝐁𝐂 😀😀 中文字符 ٣٤ Ⅻ \u00e9\u0301 \ud800 lone',
  'a.a.a.a.a.a.a.a.a.a.a.a.a.a@x',
  'AAA BBB CCC ddd eee fff ggg',
  'can I talk to a human please, I need a real person now',
];

function fixtureTexts(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(FIXTURES)) {
    const body = JSON.parse(readFileSync(`${FIXTURES}${f}`, 'utf8')) as { messages?: { text?: string }[] };
    for (const m of body.messages ?? []) if (typeof m.text === 'string') out.push(m.text);
  }
  return out;
}

function randomTexts(n: number, seed: number): string[] {
  const rnd = lcg(seed);
  const pieces = ['a', 'B', "'", '’', ' ', '  ', '1', 'é', 'É', '\u0301', 'ß', 'İ', '𝐀', '😀', '\ud800', '\udc00', '٣', 'Ⅻ', '-', '_', '!', '?', 'not ', 'good ', 'bad ', 'but ', 'very ', "don't ", 'HELP ', 'agent ', 'human ', 'talk to ', 'a ', ':( '];
  return Array.from({ length: n }, () => {
    let t = '';
    const len = Math.floor(rnd() * 25);
    for (let j = 0; j < len; j++) t += pieces[Math.floor(rnd() * pieces.length)];
    return t;
  });
}

const TEXTS = [...HANDWRITTEN, ...fixtureTexts(), ...randomTexts(3000, 7)];

describe('words()', () => {
  it('finds exactly the matches of WORD_RE in the lower-cased text', () => {
    for (const t of TEXTS) expect(words(t), JSON.stringify(t)).toEqual(wordsByRegex(t));
  });

  it('wordIds() names the same tokens through one interner shared by every text', () => {
    const interner = new Interner();
    for (const t of TEXTS) expect([...wordIds(t, interner)].map((id) => interner.strings[id]), JSON.stringify(t)).toEqual(words(t));
    // Each distinct token has exactly one id.
    expect(new Set(interner.strings).size).toBe(interner.size);
  });
});

describe('white-space helpers', () => {
  const SPACES = [' ', '  ', '\n', '\t', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b', '\u0085'];
  const rnd = lcg(5);
  const extra = Array.from({ length: 3000 }, () => {
    const pieces = ['a', 'b.', 'c!', 'd?', 'e…', '.', '…', '$49.99', 'v2.1', ...SPACES];
    let t = '';
    const len = Math.floor(rnd() * 16);
    for (let j = 0; j < len; j++) t += pieces[Math.floor(rnd() * pieces.length)];
    return t;
  });
  const all = [...TEXTS, ...extra];

  it('collapseSpaces(t) is t.replace(/\\s+/g, " ").trim()', () => {
    for (const t of all) expect(collapseSpaces(t), JSON.stringify(t)).toBe(t.replace(/\s+/g, ' ').trim());
  });

  it('sentences() splits as the regular expressions did', () => {
    const reference = (t: string): string[] =>
      t.replace(/\s+/g, ' ').trim().split(/(?<=[.!?…])\s+/).map((x) => x.trim()).filter((x) => x.length > 0);
    for (const t of all) expect(sentences(t), JSON.stringify(t)).toEqual(reference(t));
  });

  it('clip() and excerptAround() are unchanged on text that needs no collapsing and on text that does', () => {
    for (const t of all) {
      const ref = t.replace(/\s+/g, ' ').trim();
      if (ref.length <= 20) expect(clip(t, 20)).toBe(ref);
      if (t.length <= 20) expect(excerptAround(t, 0, 1, 20)).toBe(ref);
    }
  });
});

describe('model scorers read words without building feature names', () => {
  const sentiment = loadLinearModel(sentimentJson as LinearModelJson);
  const human = loadLinearModel(humanJson as LinearModelJson);
  const topic = loadLinearModel(topicJson as LinearModelJson);

  it('sentimentLogits equals logits(model, sentimentFeatures(text)) bit for bit', () => {
    for (const t of TEXTS) expect([...sentimentLogits(sentiment, t)], JSON.stringify(t)).toEqual([...logits(sentiment, sentimentFeatures(t))]);
  });

  it('the word-id paths (one table for many texts, as in one analysis) give the same logits', () => {
    const table = new WordTable();
    for (const t of TEXTS) {
      const byId = { table, ids: table.idsOf(t) };
      expect([...sentimentLogits(sentiment, t, words(t), lexiconScore(t), byId)], JSON.stringify(t)).toEqual([...sentimentLogits(sentiment, t)]);
      expect([...intentLogits(human, words(t), byId)], JSON.stringify(t)).toEqual([...intentLogits(human, words(t))]);
    }
  });

  it('intentLogits equals logits(model, intentFeatures(text)) for the human-request and topic models', () => {
    for (const t of TEXTS) {
      expect([...intentLogits(human, words(t))], JSON.stringify(t)).toEqual([...logits(human, intentFeatures(t))]);
      expect([...intentLogits(topic, words(t))], JSON.stringify(t)).toEqual([...logits(topic, intentFeatures(t))]);
    }
  });
});

describe('repetition signal', () => {
  /** The definition: a turn repeats when any earlier turn's token set has Jaccard >= 0.6 with its own. */
  function bruteForce(texts: string[]): number[] {
    const seen: Set<string>[] = [];
    const out: number[] = [];
    texts.forEach((t, i) => {
      const tokens = words(t).filter((w) => w.length > 2);
      if (tokens.length < 3) return;
      const set = new Set(tokens);
      if (seen.some((s) => jaccardSets(s, set) >= 0.6)) out.push(i);
      seen.push(set);
    });
    return out;
  }

  it('flags the same turns as comparing every pair', () => {
    const rnd = lcg(11);
    const vocab = Array.from({ length: 16 }, (_, i) => `word${i}`);
    let flagged = 0;
    let eligible = 0;
    for (let round = 0; round < 40; round++) {
      const texts = Array.from({ length: 60 }, () => {
        const n = 1 + Math.floor(rnd() * 9);
        // A small vocabulary with skewed frequencies, so near-duplicates and near-misses both occur.
        return Array.from({ length: n }, () => vocab[Math.floor(rnd() * rnd() * vocab.length)]).join(' ');
      });
      const turns = texts.map((text, i) => ({ messageIndex: i, text }));
      const got = detectSignals(turns).filter((s) => s.id === 'repetition').map((s) => s.messageIndex);
      expect(got).toEqual(bruteForce(texts));
      // The same with the word ids of one analysis's table (as analyze() runs it).
      const memo = new MessageMemo([]);
      const prepared = texts.map((text, i) => ({ messageIndex: i, text, prepared: memo.text(text) }));
      expect(detectSignals(prepared).filter((s) => s.id === 'repetition').map((s) => s.messageIndex)).toEqual(got);
      flagged += got.length;
      eligible += texts.filter((t) => words(t).filter((w) => w.length > 2).length >= 3).length;
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(flagged).toBeGreaterThan(eligible * 0.1);
    expect(flagged).toBeLessThan(eligible * 0.9);
  });
});

describe('lexiconScore tokens', () => {
  it('scores the same with a token cache shared by many texts', () => {
    const cache = newLexiconTokenCache();
    for (const t of TEXTS) expect(lexiconScore(t, cache), JSON.stringify(t)).toEqual(lexiconScore(t));
  });

  it('splits on exactly what /\\s/ matches', () => {
    // "good<c>bad": "bad" is a token of its own (and a lexicon hit) exactly when <c> is white space to /\s/.
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const hits = lexiconScore(`good${ch}bad`).hits.map((h) => h.word);
      expect(hits.includes('bad'), `U+${c.toString(16)}`).toBe(/\s/.test(ch));
    }
  });
});
