/**
 * Per-analysis memo of the per-message work several parts need: the folded text, the word tokens (one
 * tokenization per text, read by the sentiment, topic and human-request models and the repetition check),
 * the sentiment model and the human-request check. Keyed by the message text, so each distinct text is prepared and scored once per
 * analyze() call, and nothing leaks between calls (the memo lives only as long as one analysis).
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import { charGramBuckets, WordTable, type WordIds } from './features.ts';
import { newLexiconTokenCache, type LexiconTokenCache } from './lexicon-score.ts';
import { detectHumanRequestPrepared, type HumanRequestHit } from './human-request.ts';
import { messageSentimentPrepared, type MessageSentiment, type SharedTables } from './message-sentiment.ts';
import { foldAccents, normalizeQuotes } from './text.ts';

/**
 * Lookup tables shared by every text of one analysis: each distinct word (WordTable) and each distinct
 * white-space token of the lexicon scorer is looked up in the models once per analysis, not per occurrence.
 */
export class AnalysisTables {
  readonly words = new WordTable();
  readonly lexicon: LexiconTokenCache = newLexiconTokenCache();
}

/** One text, prepared lazily: every field is computed at most once. */
export class PreparedText {
  private foldedText: string | undefined;
  private wordList: string[] | undefined;
  private ids: WordIds | undefined;
  private buckets: number[] | undefined;
  private sentimentResult: MessageSentiment | undefined;
  private humanResult: HumanRequestHit | null | undefined;
  constructor(
    readonly text: string,
    private readonly tables: AnalysisTables = new AnalysisTables(),
  ) {}

  /** foldAccents(normalizeQuotes(text)), case kept. */
  get folded(): string {
    return (this.foldedText ??= foldAccents(normalizeQuotes(this.text)));
  }

  /** words(text). Callers must not mutate the array. */
  get words(): readonly string[] {
    if (this.wordList) return this.wordList;
    // The same strings as words(text), each distinct word built once per analysis (the word table's).
    const { table, ids } = this.wordIds;
    const ws = table.words;
    const list: string[] = new Array<string>(ids.length);
    for (let i = 0; i < ids.length; i++) list[i] = ws[ids[i]!]!;
    return (this.wordList = list);
  }

  /** The ids of words in the analysis's word table. */
  get wordIds(): WordIds {
    return (this.ids ??= { table: this.tables.words, ids: this.tables.words.idsOf(this.text) });
  }

  /** What the sentiment scorer shares with the rest of the analysis. */
  get shared(): SharedTables {
    return { lexicon: this.tables.lexicon, wordIds: this.wordIds };
  }

  /** Hashed character n-grams (see charGramBuckets), read by the topic model with the words. */
  get charBuckets(): readonly number[] {
    return (this.buckets ??= charGramBuckets(this.words));
  }

  get sentiment(): MessageSentiment {
    return (this.sentimentResult ??= messageSentimentPrepared(this));
  }

  get human(): HumanRequestHit | undefined {
    if (this.humanResult === undefined) this.humanResult = detectHumanRequestPrepared(this) ?? null;
    return this.humanResult ?? undefined;
  }
}

export class MessageMemo {
  private readonly byText = new Map<string, PreparedText>();
  private readonly tables = new AnalysisTables();
  constructor(private readonly messages: readonly HandoffMessage[]) {}

  /** The prepared form of any text (shared with every message that has the same text). */
  text(text: string): PreparedText {
    let p = this.byText.get(text);
    if (!p) {
      p = new PreparedText(text, this.tables);
      this.byText.set(text, p);
    }
    return p;
  }

  message(index: number): PreparedText {
    return this.text(this.messages[index]?.text ?? '');
  }

  sentiment(index: number): MessageSentiment {
    return this.message(index).sentiment;
  }

  human(index: number): HumanRequestHit | undefined {
    return this.message(index).human;
  }
}
