// Orders audit events by stageTimestamp with bounded memory: events are kept
// in per-scrape-interval buckets and a bucket is written once the simulation
// has moved past it (nothing later can finish earlier than its arrival).

import { createMicroTimeFormatter } from "./format";
import type { Timeline } from "./params";
import { serializeAuditEvent, type AuditContext, type Stage } from "./audit-event";
import type { SimRequest } from "./task";

interface Entry {
  t: number;
  seq: number;
  stage: Stage;
  req: SimRequest;
}

export class AuditLog {
  private readonly buckets: Entry[][];
  private next = 1;
  private readonly ctx: AuditContext;

  constructor(
    private readonly timeline: Timeline,
    seed: number,
    private readonly emit: (line: string) => void,
  ) {
    this.buckets = Array.from({ length: timeline.samples }, () => []);
    this.ctx = {
      seed,
      originUnixUs: timeline.startUnixSeconds * 1e6,
      formatReceived: createMicroTimeFormatter(),
      formatStage: createMicroTimeFormatter(),
    };
  }

  /** Queues the lines of a request: ResponseStarted for streaming watches, ResponseComplete when it ends. */
  add(req: SimRequest): void {
    if (req.startedUs >= 0) this.place({ t: req.startedUs, seq: req.seq, stage: "ResponseStarted", req });
    this.place({ t: req.endUs, seq: req.seq, stage: "ResponseComplete", req });
  }

  /** Writes every bucket that ends at or before `nowUs`. */
  advance(nowUs: number): void {
    while (this.next < this.timeline.samples && this.next * this.timeline.stepUs <= nowUs) this.flush(this.next++);
  }

  finish(): void {
    while (this.next < this.timeline.samples) this.flush(this.next++);
  }

  private place(entry: Entry): void {
    if (entry.t <= 0 || entry.t > this.timeline.endUs) return;
    const k = Math.ceil(entry.t / this.timeline.stepUs);
    if (k < this.next) throw new Error(`audit event at ${entry.t}us arrived after its interval was written`);
    (this.buckets[k] as Entry[]).push(entry);
  }

  private flush(k: number): void {
    const entries = this.buckets[k] as Entry[];
    this.buckets[k] = [];
    entries.sort((a, b) => a.t - b.t || a.seq - b.seq || (a.stage < b.stage ? 1 : a.stage > b.stage ? -1 : 0));
    for (const e of entries) this.emit(serializeAuditEvent(e.req, e.stage, this.ctx));
  }
}
