/**
 * Per-analysis memo of the per-message work several parts need (sentiment model, human-request check),
 * keyed by message index so each message is scored once per analyze() call and nothing leaks between calls.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import { detectHumanRequest, type HumanRequestHit } from './human-request.ts';
import { messageSentiment, type MessageSentiment } from './message-sentiment.ts';

export class MessageMemo {
  private readonly sentiments: (MessageSentiment | undefined)[] = [];
  private readonly humans: (HumanRequestHit | null | undefined)[] = [];
  constructor(private readonly messages: readonly HandoffMessage[]) {}

  sentiment(index: number): MessageSentiment {
    return (this.sentiments[index] ??= messageSentiment(this.messages[index]?.text ?? ''));
  }

  human(index: number): HumanRequestHit | undefined {
    let h = this.humans[index];
    if (h === undefined) {
      h = detectHumanRequest(this.messages[index]?.text ?? '') ?? null;
      this.humans[index] = h;
    }
    return h ?? undefined;
  }
}
