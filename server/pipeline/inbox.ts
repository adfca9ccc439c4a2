/**
 * The inbox: events accepted in the same turn of the event loop are committed together in one SQLite
 * transaction (group commit), and each webhook is answered only after that commit. Same durability as one
 * transaction per event, a fraction of the cost under load (see bench/ingestion.ts).
 */
import type { HandoffEvent } from '../types/handoff-event.ts';
import type { InboxResult, Store } from '../store/store.ts';

interface Pending {
  event: HandoffEvent;
  resolve: (r: InboxResult) => void;
  reject: (err: unknown) => void;
}

export class Inbox {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 256,
  ) {}

  accept(event: HandoffEvent): Promise<InboxResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    let results: InboxResult[];
    try {
      results = this.store.acceptMany(batch.map((p) => p.event));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i] as InboxResult));
  }
}
