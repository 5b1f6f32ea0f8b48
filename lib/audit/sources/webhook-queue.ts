// The audit webhook's write path: batches from kube-apiserver wait in a bounded queue and are stored together
// (group commit) — each request is answered only once its batch is durably stored, and a full queue answers
// "try later" so the API server's webhook backend retries instead of dropping events.
import type { Outcome } from "../ingest/accounting";

export interface QueueLimits {
  /** Bytes waiting before new batches are turned away. */
  maxPendingBytes: number;
  /** Bytes stored in one transaction. */
  maxCommitBytes: number;
}

interface Pending {
  body: string;
  resolve: (o: Outcome) => void;
  reject: (e: Error) => void;
}

export class WebhookQueue {
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private busy = false;

  constructor(
    private readonly store: (bodies: string[]) => Promise<Outcome>,
    private readonly limits: QueueLimits,
  ) {}

  /** Resolves once stored; null when the queue is full (answer 429). */
  submit(body: string): Promise<Outcome> | null {
    // Bytes in the commit running now count too: they are held until it ends. Only an idle queue takes a batch
    // larger than the limit (it would be turned away forever otherwise).
    if (this.pendingBytes > 0 && this.pendingBytes + body.length > this.limits.maxPendingBytes) return null;
    const done = new Promise<Outcome>((resolve, reject) => this.pending.push({ body, resolve, reject }));
    this.pendingBytes += body.length;
    void this.drain();
    return done;
  }

  get backlogBytes(): number {
    return this.pendingBytes;
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending.length > 0) {
        const batch: Pending[] = [];
        let bytes = 0;
        while (this.pending.length > 0 && (batch.length === 0 || bytes + this.pending[0]!.body.length <= this.limits.maxCommitBytes)) {
          const p = this.pending.shift()!;
          bytes += p.body.length;
          batch.push(p);
        }
        try {
          const outcome = await this.store(batch.map((p) => p.body));
          for (const p of batch) p.resolve(outcome);
        } catch (err) {
          for (const p of batch) p.reject(err as Error);
        } finally {
          this.pendingBytes -= bytes;
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

/** One JSON document per line: kube-apiserver sends compact JSON; anything pretty-printed is compacted. */
export function bodiesAsLines(bodies: string[]): string {
  return bodies
    .map((b) => {
      if (!b.includes("\n")) return b;
      try {
        return JSON.stringify(JSON.parse(b));
      } catch {
        return b.replace(/\r?\n/g, " "); // reported as invalid JSON, on one line
      }
    })
    .join("\n");
}
