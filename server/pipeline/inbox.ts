/**
 * The inbox: events accepted in the same turn of the event loop are committed together in one
 * transaction (group commit), and each webhook is answered only after that commit. Same durability as one
 * transaction per event, a fraction of the cost under load (see bench/ingestion.ts).
 *
 * One sender cannot fail another's batch: each event is serialized before it joins a batch (a value that
 * cannot be serialized is refused alone), and if the batch transaction fails, its events are retried one
 * transaction each, so only the event that fails again is rejected.
 */
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { InboxResult, Store } from '../store/store.ts';

/** The event cannot be stored as JSON (e.g. too deeply nested): a property of the input, not of the store. */
export class UnserializableEventError extends Error {
  override name = 'UnserializableEventError';
}

interface Pending {
  event: HandoffEvent;
  json: string;
  resolve: (r: InboxResult) => void;
  reject: (err: unknown) => void;
}

export interface InboxOptions {
  /** A batch is committed at once when it reaches this many events (default 256). */
  maxBatch?: number;
  /**
   * How long a batch stays open for more events, in ms. 0 (default): until the end of the event-loop turn. With
   * `durability: "full"` (an fsync per commit) a window of 1–2 ms lets concurrent webhooks share one fsync.
   */
  commitWindowMs?: number;
}

export class Inbox {
  private pending: Pending[] = [];
  /** Cancels the scheduled flush of the open batch, if one is scheduled. */
  private cancelScheduled: (() => void) | undefined;
  private readonly maxBatch: number;
  private readonly commitWindowMs: number;

  constructor(
    private readonly store: Store,
    opts: InboxOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.commitWindowMs = opts.commitWindowMs ?? 0;
  }

  accept(event: HandoffEvent): Promise<InboxResult> {
    let json: string;
    try {
      json = JSON.stringify(event);
    } catch (err) {
      return Promise.reject(new UnserializableEventError(`event cannot be stored as JSON: ${(err as Error).message}`));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ event, json, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.cancelScheduled) this.cancelScheduled = this.schedule();
    });
  }

  private schedule(): () => void {
    if (this.commitWindowMs > 0) {
      const timer = setTimeout(() => this.flush(), this.commitWindowMs);
      return () => clearTimeout(timer);
    }
    const immediate = setImmediate(() => this.flush());
    return () => clearImmediate(immediate);
  }

  private flush(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) void this.commit(batch);
  }

  /** Batches commit independently: on Postgres the next batch forms (and may commit) while this one is in flight. */
  private async commit(batch: Pending[]): Promise<void> {
    let results: InboxResult[];
    try {
      results = await this.store.acceptMany(
        batch.map((p) => p.event),
        batch.map((p) => p.json),
      );
    } catch {
      // The whole batch rolled back: find the culprit by committing each event on its own.
      for (const p of batch) await this.commitAlone(p);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i] as InboxResult));
  }

  private async commitAlone(p: Pending): Promise<void> {
    try {
      p.resolve((await this.store.acceptMany([p.event], [p.json]))[0] as InboxResult);
    } catch (err) {
      p.reject(err);
    }
  }
}
