/**
 * Per-analysis memo of the per-message work several parts need: the folded text, the word tokens (one
 * tokenization per text, read by the sentiment, topic and human-request models and the repetition check),
 * the sentiment model and the human-request check. Keyed by the message text, so each distinct text is prepared and scored once per
 * analyze() call, and nothing leaks between calls (the memo lives only as long as one analysis).
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import { charGramBuckets } from './features.ts';
import { detectHumanRequestPrepared, type HumanRequestHit } from './human-request.ts';
import { messageSentimentPrepared, type MessageSentiment } from './message-sentiment.ts';
import { foldAccents, normalizeQuotes, words } from './text.ts';

/** One text, prepared lazily: every field is computed at most once. */
export class PreparedText {
  private foldedText: string | undefined;
  private wordList: string[] | undefined;
  private buckets: number[] | undefined;
  private sentimentResult: MessageSentiment | undefined;
  private humanResult: HumanRequestHit | null | undefined;
  constructor(readonly text: string) {}

  /** foldAccents(normalizeQuotes(text)), case kept. */
  get folded(): string {
    return (this.foldedText ??= foldAccents(normalizeQuotes(this.text)));
  }

  /** words(text). Callers must not mutate the array. */
  get words(): readonly string[] {
    return (this.wordList ??= words(this.text));
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
  constructor(private readonly messages: readonly HandoffMessage[]) {}

  /** The prepared form of any text (shared with every message that has the same text). */
  text(text: string): PreparedText {
    let p = this.byText.get(text);
    if (!p) {
      p = new PreparedText(text);
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
