// The audit webhook's write path: batches from kube-apiserver wait in a bounded queue and are stored together
// (group commit) — each request is answered only once its batch is durably stored, and a full queue answers
// "try later" so the API server's webhook backend retries instead of dropping events.
// Storing is two steps: `prepare` parses a group (no table touched), `commit` stores it. The next group is
// prepared while the previous one commits, so both cores work; commits stay in order.
import type { Outcome } from "../ingest/accounting";

export interface QueueLimits {
  /** Bytes waiting before new batches are turned away. */
  maxPendingBytes: number;
  /** Bytes stored in one transaction. */
  maxCommitBytes: number;
}

export interface QueueSteps<P> {
  prepare(bodies: Buffer[]): Promise<P>;
  commit(prepared: P): Promise<Outcome>;
}

interface Pending {
  body: Buffer;
  resolve: (o: Outcome) => void;
  reject: (e: Error) => void;
}

export class WebhookQueue<P = unknown> {
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private busy = false;
  /** Commits run one after the other, in the order their groups were taken. */
  private lastCommit: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly steps: QueueSteps<P>,
    private readonly limits: QueueLimits,
  ) {}

  /** Resolves once stored; null when the queue is full (answer 429). */
  submit(body: Buffer): Promise<Outcome> | null {
    // Bytes being prepared or committed count too: they are held until stored. Only an idle queue takes a batch
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

  /** The batches waiting, up to maxCommitBytes (at least one). */
  private take(): Pending[] {
    const group: Pending[] = [];
    let bytes = 0;
    while (this.pending.length > 0 && (group.length === 0 || bytes + this.pending[0]!.body.length <= this.limits.maxCommitBytes)) {
      const p = this.pending.shift()!;
      bytes += p.body.length;
      group.push(p);
    }
    return group;
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending.length > 0) {
        const group = this.take();
        const prepared = this.steps.prepare(group.map((p) => p.body));
        const committed = this.lastCommit.then(async () => this.steps.commit(await prepared));
        const release = () => (this.pendingBytes -= group.reduce((n, p) => n + p.body.length, 0));
        committed.then(
          (outcome) => {
            release();
            for (const p of group) p.resolve(outcome);
          },
          (err: Error) => {
            release();
            for (const p of group) p.reject(err);
          },
        );
        // One group prepared ahead of the commit running, no more.
        await Promise.allSettled([prepared, this.lastCommit]);
        this.lastCommit = committed.catch(() => undefined);
      }
    } finally {
      this.busy = false;
    }
  }
}

const NEWLINE = Buffer.from("\n");

/** One JSON document per line: kube-apiserver sends compact JSON; anything pretty-printed is compacted. */
export function bodiesAsLines(bodies: Buffer[]): Buffer {
  const lines = bodies.map((b) => {
    if (!b.includes(0x0a)) return b;
    const text = b.toString("utf8");
    try {
      return Buffer.from(JSON.stringify(JSON.parse(text)));
    } catch {
      return Buffer.from(text.replace(/\r?\n/g, " ")); // reported as invalid JSON, on one line
    }
  });
  return Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [NEWLINE, l])));
}
